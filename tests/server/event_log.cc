#include "server/event_log.h"

#include <chrono>
#include <future>

namespace wsmock::server::testing {

void EventLog::Note(const std::function<void()>& fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn();
  }
  cv_.notify_all();
}

void EventLog::OnOpen(ConnectionId id, const PeerInfo& peer) {
  Note([&] { opens_.push_back({id, peer}); });
}

void EventLog::OnMessage(ConnectionId id, std::string_view message, bool binary) {
  Note([&] { messages_.push_back({id, std::string(message), binary}); });
  if (echo_ != nullptr) echo_->Send(id, message, binary);
}

void EventLog::OnClose(ConnectionId id, int close_code) {
  Note([&] { closes_.push_back({id, close_code}); });
}

void EventLog::OnDialFailed(ConnectionId id, const std::string& reason) {
  Note([&] { failures_.push_back({id, reason}); });
}

bool EventLog::WaitUntil(const std::function<bool()>& pred, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), pred);
}

std::vector<OpenEvent> EventLog::opens() {
  std::lock_guard<std::mutex> lock(mu_);
  return opens_;
}
std::vector<MessageEvent> EventLog::messages() {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}
std::vector<CloseEvent> EventLog::closes() {
  std::lock_guard<std::mutex> lock(mu_);
  return closes_;
}
std::vector<DialFailure> EventLog::failures() {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

LoopServer::LoopServer(const ServerOptions& options, bool echo) {
  Result<std::unique_ptr<WsServer>> created = WsServer::Create(options, &events_);
  if (!created.ok()) {
    create_status_ = created.status();
    return;
  }
  server_ = std::move(created).value();
  if (echo) events_.EchoOn(server_.get());
  thread_ = std::thread([this] { server_->Run(); });
}

LoopServer::~LoopServer() { StopAndJoin(); }

void LoopServer::StopAndJoin() {
  if (!thread_.joinable()) return;
  server_->Stop();
  thread_.join();
}

bool LoopServer::OnLoop(const std::function<void()>& fn) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  server_->Post([fn, done] {
    fn();
    done->set_value();
  });
  return finished.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
}

Result<ConnectionId> LoopServer::Dial(const DialOptions& options) {
  Result<ConnectionId> result = Status::Internal("the loop did not run the dial");
  OnLoop([&] { result = server_->Dial(options, &events_); });
  return result;
}

SendResult LoopServer::Send(ConnectionId id, const std::string& text, bool binary) {
  SendResult result = SendResult::kNoConnection;
  OnLoop([&] { result = server_->Send(id, text, binary); });
  return result;
}

void LoopServer::Close(ConnectionId id, int code, const std::string& reason) {
  OnLoop([&] { server_->Close(id, code, reason); });
}

ServerOptions LocalServerOptions() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  return options;
}

}  // namespace wsmock::server::testing
