// What every serving command shares: SIGINT/SIGTERM turned into a graceful
// stop, ws or wss chosen from the listen options, timers, and the start line. Construct it first, before any other thread but the log's.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "app/serve_options.h"
#include "app/signal_waiter.h"
#include "server/ws_server.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

class ServerRunner {
 public:
  // `log` must outlive the runner.
  explicit ServerRunner(Logger* log);
  ~ServerRunner();
  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Chooses ws or wss, binds and listens. `handler` must outlive the runner.
  // With dial_tls false the server may Dial() ws URLs only, and a plain ws
  // one never sets up OpenSSL.
  Result<server::WsServer*> Listen(const ListenOptions& options, server::Handler* handler,
                                   bool dial_tls = true);
  // Logs the start line and runs the loop until a signal or Stop().
  // REQUIRES: Listen() succeeded.
  Status Run();
  server::WsServer* server() const { return server_.get(); }
  // Runs `fn` every `interval` on the loop thread until the server stops.
  void Every(Micros interval, std::function<void()> fn);

 private:
  void OnSignal();

  Logger* log_;
  std::mutex mu_;
  bool stop_requested_ = false;  // guarded by mu_
  bool running_ = false;         // guarded by mu_
  std::unique_ptr<server::WsServer> server_;
  SignalWaiter signals_;  // last: its thread may call OnSignal until it is gone
};

}  // namespace wsmock::app
