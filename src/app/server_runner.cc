#include "app/server_runner.h"

#include <malloc.h>

#include <cmath>

#include "app/tls_setup.h"
#include "server/ws_url.h"
#include "util/file_write.h"

namespace wsmock::app {

ServerRunner::ServerRunner(Logger* log) : log_(log), signals_([this](int) { OnSignal(); }) {}

ServerRunner::~ServerRunner() {
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
}

void ServerRunner::OnSignal() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_requested_ = true;
  if (running_) server_->Stop();
}

Result<server::WsServer*> ServerRunner::Listen(const ListenOptions& options,
                                               server::Handler* handler, bool dial_tls) {
  Result<server::TlsConfig> tls = ResolveTls(options.tls, options.tls_cert, options.tls_key, log_);
  if (!tls.ok()) return tls.status();
  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.path = options.path;
  server_options.tls = *tls;
  server_options.max_message = options.max_message;
  server_options.max_send_queue = options.max_send_queue;
  server_options.max_connections = options.max_connections;
  server_options.handshake_timeout = options.handshake_timeout;
  server_options.client_idle_timeout =
      static_cast<Micros>(std::llround(options.client_idle_timeout * 1e6));
  server_options.journal_frames = options.request_journal;
  server_options.log = log_;
  server_options.dial_tls = dial_tls;
  server_options.subprotocols = options.subprotocols;
  // With --port 0 the port is known only once listening: "Server started at".
  if (options.port != 0) {
    log_->Info("Starting WebSocket server on " + server::HostAndPort(options.host, options.port));
  }
  Result<std::unique_ptr<server::WsServer>> server =
      server::WsServer::Create(server_options, handler);
  if (!server.ok()) return server.status();
  if (!options.self_signed_cert_out.empty()) {
    // Once bound, so a start that fails (a port in use) leaves the file of
    // a server already running alone; before serving, so a client that
    // waits for the file finds a complete one and a server to talk to.
    WSMOCK_RETURN_IF_ERROR(ReplaceFileAtomically(options.self_signed_cert_out, tls->cert_pem)
                               .WithContext("--self-signed-cert-out"));
    log_->Info("Self-signed TLS certificate written to " + options.self_signed_cert_out);
  }
  server_ = std::move(*server);
  return server_.get();
}

void ServerRunner::Every(Micros interval, std::function<void()> fn) {
  server::WsServer* server = server_.get();
  server->After(interval, [this, interval, fn] {
    fn();
    Every(interval, fn);
  });
}

Status ServerRunner::Run() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = true;
    if (stop_requested_) server_->Stop();  // a signal came during start-up
  }
  log_->Banner("Server started at " + server_->url());
  log_->Flush();
  // Start-up's temporaries (option parsing, building the first snapshot)
  // are freed by now; hand their pages back rather than idle on them.
  malloc_trim(0);
  Status status = server_->Run();
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
  return status;
}

}  // namespace wsmock::app
