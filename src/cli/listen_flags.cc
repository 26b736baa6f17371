#include <cmath>

#include "cli/subcommand.h"
#include "server/ws_server.h"

namespace wsmock::cli {
namespace {

// A shorter idle timeout would close clients between two ordinary messages.
constexpr double kMinIdleSeconds = 0.1;

}  // namespace

void AddListenOptions(CLI::App* cmd, app::ListenOptions* o, RawListenFlags* raw) {
  cmd->add_option("--host", o->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o->port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--path", o->path, "WebSocket path")->capture_default_str();
  cmd->add_option("--log-level", raw->log_level,
                  "debug (every frame too), info, warn, error or off")
      ->capture_default_str();
  auto* cert = cmd->add_option("--tls-cert", o->tls_cert, "Serve wss with this PEM certificate");
  auto* key = cmd->add_option("--tls-key", o->tls_key, "Private key (PEM) of --tls-cert");
  cert->needs(key);
  key->needs(cert);
  auto* self = cmd->add_flag("--self-signed", raw->self_signed,
                             "Serve wss with a certificate generated in memory at start");
  auto* plain = cmd->add_flag("--no-ssl", raw->no_ssl, "Serve plain ws");
  self->excludes(cert)->excludes(key)->excludes(plain);
  cmd->add_option("--self-signed-cert-out", o->self_signed_cert_out,
                  "With --self-signed: write its certificate (PEM, not the key) to this file "
                  "once bound and before serving, replacing it whole, for clients to trust "
                  "(NODE_EXTRA_CA_CERTS, verify --ca, record --upstream-ca)")
      ->needs(self);
  plain->excludes(cert)->excludes(key);
  cmd->add_option("--max-message", o->max_message,
                  "Largest accepted message in bytes; larger ones close with 1009")
      ->check(CLI::Range(static_cast<size_t>(64), static_cast<size_t>(1) << 30))
      ->capture_default_str();
  cmd->add_option("--max-send-queue", o->max_send_queue,
                  "Bytes queued for one client that is not reading; past this it is closed "
                  "with 1008 (a single larger reply still goes to a client that reads)")
      ->check(CLI::Range(static_cast<size_t>(64) << 10, static_cast<size_t>(1) << 32))
      ->capture_default_str();
  cmd->add_option("--max-connections", o->max_connections,
                  "Connections accepted at once; more get HTTP 503")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--handshake-timeout", o->handshake_timeout,
                  "Seconds a client has from connecting to a finished WebSocket upgrade; "
                  "slower ones are dropped")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--client-idle-timeout", o->client_idle_timeout,
                  "Close a client that sends no message for this many seconds with 1001 "
                  "'idle timeout' (fractions allowed); 0 = never")
      ->capture_default_str();
  cmd->add_option("--request-journal", o->request_journal,
                  "Keep the last N frames clients sent, for GET /__wsmock/requests; 0 keeps none")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  cmd->add_option("--subprotocol", o->subprotocols,
                  "Also accept clients asking for this WebSocket subprotocol, and answer with "
                  "it (repeatable, up to 8); a client asking only for others gets HTTP 400")
      ->allow_extra_args(false);
}

std::string FinishListenOptions(app::ListenOptions* o, const RawListenFlags& raw) {
  Result<LogLevel> level = ParseLogLevel(raw.log_level);
  if (!level.ok()) return "--log-level: " + level.status().message();
  o->log_level = *level;
  if (o->path.empty() || o->path.front() != '/') return "--path must start with '/'";
  // A request's query and fragment are cut off before its path is compared.
  if (o->path.find_first_of("?#") != std::string::npos ||
      !std::all_of(o->path.begin(), o->path.end(),
                   [](unsigned char c) { return c >= 32 && c != 127; })) {
    return "--path must be a path alone, without '?', '#' or control characters";
  }
  if (o->path.starts_with(server::kControlPrefix)) {
    return "--path must not be under " + std::string(server::kControlPrefix) +
           ", where the control endpoint is";
  }
  if (o->subprotocols.size() > server::kMaxSubprotocols) {
    return "--subprotocol: at most " + std::to_string(server::kMaxSubprotocols) + " names";
  }
  for (const std::string& name : o->subprotocols) {
    std::string problem = SubprotocolFlagProblem("--subprotocol", name);
    if (!problem.empty()) return problem;
  }
  if (!std::isfinite(o->client_idle_timeout) || o->client_idle_timeout < 0 ||
      o->client_idle_timeout > kMaxSeconds ||
      (o->client_idle_timeout > 0 && o->client_idle_timeout < kMinIdleSeconds)) {
    return "--client-idle-timeout must be 0 or from 0.1 to 2592000 seconds";
  }
  if (raw.self_signed) {
    o->tls = app::TlsMode::kSelfSigned;
  } else if (raw.no_ssl) {
    o->tls = app::TlsMode::kOff;
  } else if (!o->tls_cert.empty()) {
    o->tls = app::TlsMode::kFiles;
  }
  return "";
}

}  // namespace wsmock::cli
