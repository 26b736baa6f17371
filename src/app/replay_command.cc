#include "app/replay_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/missing_recording.h"
#include "app/mock_handler.h"
#include "app/replay_handler.h"
#include "app/replay_session.h"
#include "app/server_runner.h"
#include "app/session_storage.h"
#include "app/snapshot_source.h"
#include "app/stored_lists.h"
#include "replayer/match_key.h"
#include "replayer/replay_index.h"
#include "replayer/replay_report.h"
#include "server/handshake_headers.h"
#include "store/database.h"
#include "store/session_store.h"
#include "util/file_write.h"

namespace wsmock::app {
namespace {

// After the last request of --exit-after is answered, the loop runs this much
// longer so that the reply is written before the connections close.
constexpr Micros kExitGrace = 100'000;

Micros SecondsToMicros(double seconds) {
  return static_cast<Micros>(std::llround(seconds * 1e6));
}

// Prints the report and writes --report and --junit; with --strict an
// unmatched request makes the run fail (one recorded now does not).
Status FinishReport(const ReplayOptions& options, const replayer::ReplayReport& report,
                    Logger* log) {
  log->Flush();
  std::fputs(replayer::FormatText(report).c_str(), stderr);
  if (!options.report_json.empty()) {
    WSMOCK_RETURN_IF_ERROR(WriteWholeFile(options.report_json, replayer::FormatJson(report)));
  }
  if (!options.junit.empty()) {
    WSMOCK_RETURN_IF_ERROR(
        WriteWholeFile(options.junit, replayer::FormatJunit(report, "wsmock replay")));
  }
  if (options.strict && !report.unmatched.empty()) {
    int64_t count = 0;
    for (const auto& u : report.unmatched) count += u.count;
    return Status::InvalidArgument("strict replay: " + std::to_string(count) +
                                   " request(s) had no recording");
  }
  return Status::Ok();
}

// Stands in front of the real handler and stops the server after
// --exit-after requests, or after --idle-timeout seconds in which no client
// was connected (since the start, or since the last one left). A connected
// client keeps the replay running however quiet it is: it may be waiting
// for a recorded push minutes away. Loop thread only.
class StopRules final : public server::Handler {
 public:
  StopRules(const ReplayOptions& options, server::Handler* inner, Logger* log)
      : exit_after_(options.exit_after),
        idle_(SecondsToMicros(options.idle_timeout)),
        inner_(inner),
        log_(log) {}

  // Starts the idle clock. REQUIRES: before the server runs.
  void Arm(server::WsServer* server) {
    server_ = server;
    if (connected_ == 0) StartIdleClock();
  }
  // Counts answered requests (ReplayHandler::OnRequest).
  void Answered(int64_t count) {
    if (exit_after_ > 0 && count == exit_after_) {
      log_->Info("Answered " + std::to_string(count) + " requests: stopping");
      server_->After(kExitGrace, [this] { server_->Stop(); });
    }
  }

  void OnOpen(server::ConnectionId id, const server::PeerInfo& peer) override {
    ++connected_;
    StopIdleClock();
    inner_->OnOpen(id, peer);
  }
  void OnMessage(server::ConnectionId id, std::string_view m, bool binary) override {
    inner_->OnMessage(id, m, binary);
  }
  void OnClose(server::ConnectionId id, int code) override {
    inner_->OnClose(id, code);
    if (--connected_ == 0) StartIdleClock();
  }
  // Control requests are not clients: they keep no replay running.
  server::ControlAnswer OnControl(std::string_view method, std::string_view path,
                                  std::string_view body) override {
    return inner_->OnControl(method, path, body);
  }

 private:
  void StartIdleClock() {
    if (idle_ <= 0 || server_ == nullptr) return;
    StopIdleClock();
    idle_timer_ = server_->After(idle_, [this] {
      idle_timer_.reset();
      log_->Info("Idle for " + std::to_string(idle_ / 1000) + " ms: stopping");
      server_->Stop();
    });
  }
  void StopIdleClock() {
    if (idle_timer_) server_->Cancel(*idle_timer_);
    idle_timer_.reset();
  }

  const int64_t exit_after_;
  const Micros idle_;
  server::Handler* inner_;
  Logger* log_;
  server::WsServer* server_ = nullptr;
  int64_t connected_ = 0;  // served clients open now
  std::optional<server::WsServer::TimerId> idle_timer_;
};

// With --record-missing: the file open for appending, and the source of
// what the recording lacks. The log says where answers will come from.
Result<std::unique_ptr<MissingRecording>> StartRecordingMissing(
    const ReplayOptions& options, const ReplaySession& session,
    std::shared_ptr<const json::Redactor> redactor, const Clock* clock, Logger* log) {
  Result<std::unique_ptr<MissingRecording>> missing =
      MissingRecording::Open(options, session.info, session.connections, session.messages,
                             std::move(redactor), clock, log);
  if (!missing.ok()) return missing.status();
  log->Info("Recording missing answers from " + (*missing)->source()->Describe() +
            " into session " + std::to_string(session.info.id) + " of " + options.path);
  return missing;
}

// Commits what --record-missing appended and says so; an error when some
// rows could not be stored.
Status FinishRecordingMissing(const ReplayOptions& options, MissingRecording* missing,
                              int64_t recorded, Logger* log) {
  Status stored = missing->Finish();
  if (!stored.ok()) {
    log->Error("The new exchanges could not all be stored: " + stored.message());
    return stored;
  }
  log->Info("Appended " + std::to_string(recorded) + " new exchange" + (recorded == 1 ? "" : "s") +
            " to " + options.path);
  return Status::Ok();
}

// The --redact pointers the session was recorded or imported with (null
// when none): replay redacts them on incoming requests before keying, and
// --record-missing before appending, as record would have.
Result<std::shared_ptr<const json::Redactor>> SessionRedactor(const ReplayOptions& options,
                                                              const store::SessionInfo& session) {
  const std::string where = options.path + ": session " + std::to_string(session.id);
  Result<std::vector<std::string>> pointers = StoredList(session.options_json, kRedactList);
  if (!pointers.ok()) return pointers.status().WithContext(where);
  Result<std::shared_ptr<const json::Redactor>> redactor = RedactorFor(*pointers);
  if (!redactor.ok()) return redactor.status().WithContext(where);
  return redactor;
}

// The listen options for replaying `session`: the subprotocols it was
// recorded accepting (--subprotocol) join those given, so the clients that
// connected to the recording connect to its replay without the flag again.
// Names that are not subprotocol names, or past the server's limit, are
// left out.
Result<ListenOptions> ListenAsRecorded(const ReplayOptions& options,
                                       const store::SessionInfo& session) {
  Result<std::vector<std::string>> recorded = StoredList(session.options_json, kSubprotocolList);
  if (!recorded.ok()) {
    return recorded.status().WithContext(options.path + ": session " + std::to_string(session.id));
  }
  ListenOptions listen = options.listen;
  for (const std::string& name : *recorded) {
    if (server::IsSubprotocolName(name) && listen.subprotocols.size() < server::kMaxSubprotocols &&
        std::find(listen.subprotocols.begin(), listen.subprotocols.end(), name) ==
            listen.subprotocols.end()) {
      listen.subprotocols.push_back(name);
    }
  }
  return listen;
}

Status RunRecordedReplay(const ReplayOptions& options, ServerRunner* runner, Logger* log,
                         const Clock* clock) {
  Result<ReplaySession> session = LoadReplaySession(options.path, options.session);
  if (!session.ok()) return session.status();
  Result<std::shared_ptr<const json::Redactor>> redactor = SessionRedactor(options, session->info);
  if (!redactor.ok()) return redactor.status();
  Result<replayer::KeyMaker> keys = replayer::KeyMaker::Create(options.match_ignore, *redactor);
  if (!keys.ok()) return keys.status();
  // Connections appended by --record-missing open after the session's end
  // (MissingRecording gives a session without one the same end).
  std::optional<Micros> session_end = session->info.ended_at;
  if (options.record_missing && !session_end) {
    session_end = LastRecordedInstant(session->info, session->connections, session->messages);
  }
  Result<replayer::ReplayIndex> index =
      replayer::ReplayIndex::Build(session->connections, session->messages, *keys, session_end);
  if (!index.ok()) return index.status().WithContext(options.path);
  std::unique_ptr<MissingRecording> missing;
  if (options.record_missing) {
    Result<std::unique_ptr<MissingRecording>> started =
        StartRecordingMissing(options, *session, *redactor, clock, log);
    if (!started.ok()) return started.status();
    missing = std::move(*started);
  }
  if (const auto& earlier = session->earlier_with_messages) {
    log->Warn("Session " + std::to_string(session->info.id) + ", the latest of " + options.path +
              ", recorded no message; session " + std::to_string(earlier->id) + " has " +
              std::to_string(earlier->message_count) + ": replay it with --session " +
              std::to_string(earlier->id));
  }
  log->Info("Replaying session " + std::to_string(session->info.id) + " of " + options.path +
            ": " + std::to_string(index->recorded_connections()) + " connections, " +
            std::to_string(index->recorded_requests()) + " recorded requests, " +
            std::to_string(index->recorded_keys()) + " distinct");

  ReplayHandler handler(&*index, &*keys, options.speed, options.per_connection, clock, log);
  if (missing) {
    handler.RecordMissing(missing->source(), missing->recorder(), missing->session_end());
  }
  StopRules rules(options, &handler, log);
  Result<ListenOptions> listen = ListenAsRecorded(options, session->info);
  if (!listen.ok()) return listen.status();
  Result<server::WsServer*> server = runner->Listen(*listen, &rules);
  if (!server.ok()) return server.status();
  handler.Attach(*server);
  if (missing) {
    missing->Attach(*server);
    StopOnStorageError(runner, missing->writer(), "the new exchanges", log);
  }
  handler.OnRequest([&rules](int64_t count) { rules.Answered(count); });
  rules.Arm(*server);
  Status run = runner->Run();
  log->Info("Server stopped");
  Status stored = missing
                      ? FinishRecordingMissing(options, missing.get(), index->recorded_now(), log)
                      : Status::Ok();
  if (!run.ok()) return run;
  if (!stored.ok()) return stored;
  replayer::ReplayReport report = index->MakeReport();
  report.record_missing = options.record_missing;
  return FinishReport(options, report, log);
}

// --snapshots: the recorded stations answer every query through the same
// handler as serve, and the recorded ticks replay as updates.
Status RunSnapshotReplay(const ReplayOptions& options, ServerRunner* runner, Logger* log) {
  Result<RecordedSnapshots> recorded = LoadRecordedSnapshots(options.path, options.session);
  if (!recorded.ok()) return recorded.status();
  log->Info("Replaying " + std::to_string(recorded->snapshots.size()) + " snapshots of session " +
            std::to_string(recorded->session_id) + " of " + options.path);
  const model::SnapshotPtr first = recorded->snapshots.front();
  // Data time stands still between ticks: a snapshot's own time.
  ManualClock data_clock(first->taken_at());
  MockHandler handler(first, &data_clock, log);
  handler.ServeARecording();
  StopRules rules(options, &handler, log);
  Result<server::WsServer*> server = runner->Listen(options.listen, &rules);
  if (!server.ok()) return server.status();
  handler.Attach(*server);
  // Recorded tick `i` goes out once, in order, from its timer or from POST
  // /__wsmock/tick (the next one not yet out), whichever comes first; any
  // before it not yet out go first (timers due at the same time may fire
  // in any order).
  size_t shown = 0;
  auto show = [&handler, &data_clock, &shown, &recorded = *recorded](size_t i) {
    if (i <= shown || i >= recorded.snapshots.size()) return false;
    while (shown < i) {
      ++shown;
      data_clock.Set(recorded.snapshots[shown]->taken_at());
      handler.Advance(recorded.snapshots[shown], recorded.changed[shown]);
    }
    return true;
  };
  handler.TickOnRequest([&show, &shown] { return show(shown + 1); });
  if (options.speed > 0) {
    // A snapshot is due no earlier than the one before it: a reset winds
    // --clock back, so a later snapshot may carry an earlier time.
    Micros since_first = 0;
    for (size_t i = 1; i < recorded->snapshots.size(); ++i) {
      since_first = std::max(since_first, recorded->snapshots[i]->taken_at() - first->taken_at());
      const std::optional<Micros> at = AtSpeed(since_first, options.speed);
      if (!at) continue;  // not within a century at this speed: never
      (*server)->After(*at, [&show, i] { show(i); });
    }
  }
  rules.Arm(*server);
  Status run = runner->Run();
  log->Info("Server stopped");
  return run;
}

}  // namespace

Status RunReplay(const ReplayOptions& options) {
  SystemClock wall_clock;
  Logger log(&wall_clock, options.listen.log_level);
  ServerRunner runner(&log);  // first: blocks the stop signals for every later thread
  if (options.snapshots) return RunSnapshotReplay(options, &runner, &log);
  return RunRecordedReplay(options, &runner, &log, &wall_clock);
}

}  // namespace wsmock::app
