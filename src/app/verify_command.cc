#include "app/verify_command.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

#include "server/handshake_headers.h"
#include "server/ws_server.h"
#include "util/file_write.h"
#include "verify/conversation.h"
#include "verify/json_diff.h"
#include "verify/recorded_session.h"
#include "verify/verify_plan.h"
#include "verify/verify_report.h"

namespace wsmock::app {
namespace {

// The answer's requestId is verify's own, so it never counts as a change.
constexpr char kRequestIdPointer[] = "/requestId";

// "5 s", "0.2 s": the shortest text that reads back as the flag's value.
std::string SecondsText(double seconds) {
  char buf[32];
  char* end = std::to_chars(buf, buf + sizeof buf, seconds).ptr;
  return std::string(buf, end) + " s";
}

// " (headers Authorization, X-Env; subprotocol v1.json)", or "" when the
// handshake asks for nothing extra. Names only: a value is often a token.
std::string HandshakeText(const VerifyOptions& options) {
  std::string parts;
  for (const std::string& header : options.headers) {
    parts += (parts.empty() ? "headers " : ", ") + server::HeaderName(header);
  }
  if (!options.subprotocol.empty()) {
    parts += (parts.empty() ? "" : "; ") + std::string("subprotocol ") + options.subprotocol;
  }
  return parts.empty() ? "" : " (" + parts + ")";
}

// One Dial()ed copy of a recorded connection: the Wire its Conversation
// talks through, and the timer it asked for. `after_timeout` runs after the
// conversation has handled a timeout. Loop thread only.
class LiveConnection final : public verify::Wire {
 public:
  LiveConnection(const verify::ConnectionPlan* plan, int copy, int copies,
                 const verify::JsonDiffer* differ, const verify::ConversationOptions& options,
                 Micros timeout, server::WsServer* server, std::function<void()> after_timeout)
      : conversation_(plan, copy, copies, differ, options, this),
        server_(server),
        timeout_(timeout),
        after_timeout_(std::move(after_timeout)) {}

  verify::Conversation& conversation() { return conversation_; }
  void set_id(server::ConnectionId id) { id_ = id; }

  bool Send(std::string_view text) override {
    return server_->Send(id_, text) == server::SendResult::kQueued;
  }
  void StartTimer() override {
    StopTimer();
    timer_ = server_->After(timeout_, [this] {
      timer_.reset();
      conversation_.OnTimeout();
      after_timeout_();
    });
  }
  void StopTimer() override {
    if (timer_) server_->Cancel(*timer_);
    timer_.reset();
  }
  void Finish() override { server_->Close(id_, 1000, "verify done"); }

 private:
  verify::Conversation conversation_;
  server::WsServer* server_;
  const Micros timeout_;
  const std::function<void()> after_timeout_;
  server::ConnectionId id_ = 0;
  std::optional<server::WsServer::TimerId> timer_;
};

// Runs the plan: the copies of one recorded connection at once, recorded
// connections one after another, then stops the loop. Loop thread only.
class VerifyRun final : public server::Handler {
 public:
  VerifyRun(const std::vector<verify::ConnectionPlan>* plan, const verify::JsonDiffer* differ,
            const VerifyOptions& options)
      : plan_(plan), differ_(differ), options_(options) {
    conversation_options_.compare_updates = options.compare_updates;
    conversation_options_.only_schema = options.only_schema;
    conversation_options_.timeout_text = SecondsText(options.timeout);
    dial_.url = options.target;
    dial_.ca_file = options.ca_file;
    dial_.insecure = options.insecure;
    dial_.headers = options.headers;
    dial_.subprotocol = options.subprotocol;
  }

  // REQUIRES: before server->Run(); `server` outlives the run's callbacks.
  void Start(server::WsServer* server) {
    server_ = server;
    StartNextGroup();
  }
  std::vector<verify::Check> TakeChecks() { return std::move(checks_); }

  void OnOpen(server::ConnectionId id, const server::PeerInfo&) override {
    Dispatch(id, [](verify::Conversation& c) { c.OnOpen(); });
  }
  void OnMessage(server::ConnectionId id, std::string_view message, bool binary) override {
    Dispatch(id, [&](verify::Conversation& c) { c.OnMessage(message, binary); });
  }
  void OnClose(server::ConnectionId id, int close_code) override {
    Dispatch(id, [&](verify::Conversation& c) { c.OnClose(close_code); });
  }
  void OnDialFailed(server::ConnectionId id, const std::string& reason) override {
    Dispatch(id, [&](verify::Conversation& c) { c.OnDialFailed(DialFailure(reason)); });
  }

 private:
  // Feeds an event to its conversation, then moves on once the whole group
  // is done.
  template <typename Fn>
  void Dispatch(server::ConnectionId id, Fn&& fn) {
    auto it = live_.find(id);
    if (it == live_.end()) return;  // a finished group's connection closing
    fn(it->second->conversation());
    CheckGroup();
  }

  std::string DialFailure(const std::string& reason) const {
    if (reason.starts_with("cannot connect to ")) return reason;
    return "cannot connect to " + options_.target + ": " + reason;
  }

  bool Wanted(const verify::ConnectionPlan& connection) const {
    return connection.checked_steps() > 0 ||
           (options_.compare_updates && !connection.pushes.empty());
  }

  void StartNextGroup() {
    while (next_ < plan_->size() && !Wanted((*plan_)[next_])) ++next_;
    if (next_ == plan_->size()) {
      server_->Stop();
      return;
    }
    const verify::ConnectionPlan* connection = &(*plan_)[next_++];
    const Micros timeout = static_cast<Micros>(std::llround(options_.timeout * 1e6));
    for (int copy = 1; copy <= options_.connections; ++copy) {
      auto live = std::make_unique<LiveConnection>(connection, copy, options_.connections, differ_,
                                                   conversation_options_, timeout, server_,
                                                   [this] { CheckGroup(); });
      live->conversation().OnDialing();
      Result<server::ConnectionId> id = server_->Dial(dial_, this);
      if (!id.ok()) {
        live->conversation().OnDialFailed(DialFailure(id.status().message()));
        finished_.push_back(std::move(live));
        continue;
      }
      live->set_id(*id);
      group_.push_back(live.get());
      live_.emplace(*id, std::move(live));
    }
    CheckGroup();
  }

  void CheckGroup() {
    for (LiveConnection* live : group_) {
      if (!live->conversation().done()) return;
    }
    for (auto& live : finished_) Collect(live.get());
    finished_.clear();
    for (LiveConnection* live : group_) Collect(live);
    group_.clear();
    StartNextGroup();
  }

  void Collect(LiveConnection* live) {
    for (verify::Check& c : live->conversation().TakeChecks()) checks_.push_back(std::move(c));
  }

  const std::vector<verify::ConnectionPlan>* plan_;
  const verify::JsonDiffer* differ_;
  const VerifyOptions& options_;
  verify::ConversationOptions conversation_options_;
  server::DialOptions dial_;
  server::WsServer* server_ = nullptr;
  size_t next_ = 0;  // the next recorded connection to run
  // Every connection stays until the run ends: lws may still report on it.
  std::map<server::ConnectionId, std::unique_ptr<LiveConnection>> live_;
  std::vector<std::unique_ptr<LiveConnection>> finished_;  // failed to dial at once
  std::vector<LiveConnection*> group_;                     // the copies now running
  std::vector<verify::Check> checks_;
};

// Runs every conversation on a loop with no listener.
Result<std::vector<verify::Check>> RunConversations(const std::vector<verify::ConnectionPlan>& plan,
                                                    const verify::JsonDiffer& differ,
                                                    const VerifyOptions& options) {
  VerifyRun run(&plan, &differ, options);
  server::ServerOptions server_options;
  server_options.port = -1;
  Result<std::unique_ptr<server::WsServer>> created =
      server::WsServer::Create(server_options, &run);
  if (!created.ok()) return created.status();
  // Declared after `run`, so it goes first: it may still report on run's connections.
  std::unique_ptr<server::WsServer> server = std::move(*created);
  run.Start(server.get());
  WSMOCK_RETURN_IF_ERROR(server->Run());
  server.reset();
  return run.TakeChecks();
}

size_t CountChecks(const std::vector<verify::ConnectionPlan>& plan, const VerifyOptions& options) {
  size_t n = 0;
  for (const auto& c : plan) {
    n += c.checked_steps() + (options.compare_updates ? c.pushes.size() : 0);
  }
  return n * static_cast<size_t>(options.connections);
}

Status WriteReports(const VerifyOptions& options, const verify::VerifyReport& report) {
  std::fputs(verify::FormatText(report).c_str(), stdout);
  std::fflush(stdout);
  if (!options.report_json.empty()) {
    WSMOCK_RETURN_IF_ERROR(WriteWholeFile(options.report_json, verify::FormatJson(report)));
  }
  if (!options.junit.empty()) {
    WSMOCK_RETURN_IF_ERROR(WriteWholeFile(options.junit, verify::FormatJunit(report)));
  }
  return Status::Ok();
}

}  // namespace

Status RunVerify(const VerifyOptions& options) {
  std::vector<std::string> ignore = options.ignore;
  ignore.push_back(kRequestIdPointer);
  Result<verify::JsonDiffer> differ = verify::JsonDiffer::Create(ignore);
  if (!differ.ok()) return differ.status();
  Result<verify::RecordedSession> session =
      verify::LoadRecordedSession(options.path, options.session);
  if (!session.ok()) return session.status();
  Result<std::vector<verify::ConnectionPlan>> plan =
      verify::MakePlan(session->connections, session->messages);
  if (!plan.ok()) return plan.status().WithContext(options.path);
  const size_t expected = CountChecks(*plan, options);
  if (expected == 0) {
    return Status::NotFound(options.path + ": session " + std::to_string(session->session_id) +
                            " has no recorded answers" +
                            (options.compare_updates ? " or updates" : "") + " to verify");
  }
  std::fprintf(stderr, "verify: session %lld of %s against %s%s: %zu checks\n",
               static_cast<long long>(session->session_id), options.path.c_str(),
               options.target.c_str(), HandshakeText(options).c_str(), expected);

  Result<std::vector<verify::Check>> checks = RunConversations(*plan, *differ, options);
  if (!checks.ok()) return checks.status();
  verify::VerifyReport report;
  report.target = options.target;
  report.copies = options.connections;
  report.checks = std::move(*checks);
  WSMOCK_RETURN_IF_ERROR(WriteReports(options, report));
  if (report.all_matched()) return Status::Ok();
  const size_t bad = report.checks.size() - report.Count(verify::Check::Outcome::kMatched);
  return Status::InvalidArgument("verify failed: " + std::to_string(bad) + " of " +
                                 std::to_string(report.checks.size()) + " checks did not match");
}

}  // namespace wsmock::app
