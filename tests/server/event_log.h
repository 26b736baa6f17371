// Test helpers for src/server: a Handler that writes down every event (and
// may echo messages back), and a WsServer running on its own loop thread
// that tests drive from theirs. Every wait is bounded.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/ws_server.h"

namespace wsmock::server::testing {

struct OpenEvent {
  ConnectionId id;
  PeerInfo peer;
};
struct MessageEvent {
  ConnectionId id;
  std::string text;
  bool binary;
};
struct CloseEvent {
  ConnectionId id;
  int code;
};
struct DialFailure {
  ConnectionId id;
  std::string reason;
};

// Callbacks come on the loop thread; the accessors copy under the lock.
class EventLog : public Handler {
 public:
  // With `echo`, every message goes back to its sender on `server`.
  void EchoOn(WsServer* server) { echo_ = server; }

  void OnOpen(ConnectionId id, const PeerInfo& peer) override;
  void OnMessage(ConnectionId id, std::string_view message, bool binary) override;
  void OnClose(ConnectionId id, int close_code) override;
  void OnDialFailed(ConnectionId id, const std::string& reason) override;

  // True once `pred` holds (checked under the lock, so it may read the
  // members but not call the accessors), false after `timeout_ms`.
  bool WaitUntil(const std::function<bool()>& pred, int timeout_ms = 5000);
  bool WaitForOpens(size_t n) {
    return WaitUntil([&] { return opens_.size() >= n; });
  }
  bool WaitForMessages(size_t n) {
    return WaitUntil([&] { return messages_.size() >= n; });
  }
  bool WaitForCloses(size_t n, int timeout_ms = 5000) {
    return WaitUntil([&] { return closes_.size() >= n; }, timeout_ms);
  }
  bool WaitForDialFailures(size_t n, int timeout_ms = 5000) {
    return WaitUntil([&] { return failures_.size() >= n; }, timeout_ms);
  }
  // Dials that opened or failed.
  bool WaitForDialOutcomes(size_t n) {
    return WaitUntil([&] { return opens_.size() + failures_.size() >= n; });
  }

  std::vector<OpenEvent> opens();
  std::vector<MessageEvent> messages();
  std::vector<CloseEvent> closes();
  std::vector<DialFailure> failures();

 private:
  void Note(const std::function<void()>& fn);

  WsServer* echo_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<OpenEvent> opens_;
  std::vector<MessageEvent> messages_;
  std::vector<CloseEvent> closes_;
  std::vector<DialFailure> failures_;
};

// A WsServer whose events go to an EventLog, run on a thread of its own
// and stopped and joined on destruction.
class LoopServer {
 public:
  explicit LoopServer(const ServerOptions& options, bool echo = false);
  ~LoopServer();
  LoopServer(const LoopServer&) = delete;
  LoopServer& operator=(const LoopServer&) = delete;

  bool ok() const { return server_ != nullptr; }
  const Status& create_status() const { return create_status_; }
  int port() const { return server_->port(); }
  WsServer& server() { return *server_; }
  EventLog& events() { return events_; }

  // Runs `fn` on the loop thread and waits for it to finish (5 s at most).
  bool OnLoop(const std::function<void()>& fn);
  // Dials from the loop thread, events to events().
  Result<ConnectionId> Dial(const DialOptions& options);
  SendResult Send(ConnectionId id, const std::string& text, bool binary = false);
  void Close(ConnectionId id, int code, const std::string& reason = "");
  void StopAndJoin();

 private:
  EventLog events_;
  Status create_status_;
  std::unique_ptr<WsServer> server_;
  std::thread thread_;
};

// Local options on 127.0.0.1 and a free port.
ServerOptions LocalServerOptions();

}  // namespace wsmock::server::testing
