#include "app/proxy_command.h"

#include <memory>
#include <variant>

#include "app/client_control.h"
#include "app/control_answers.h"
#include "app/server_runner.h"
#include "app/session_storage.h"
#include "app/stored_lists.h"
#include "app/stubbed_answer.h"
#include "app/stubs.h"
#include "app/upstream_dial.h"
#include "proxy/proxy_handler.h"
#include "recorder/recorder.h"
#include "server/handshake_headers.h"
#include "util/json.h"

namespace wsmock::app {
namespace {

// The proxy's control endpoint: health and the client routes, whose pushes
// and stubbed answers are recorded as the upstream's are. Ticks and
// stations are the upstream's.
server::ControlAnswer ProxyControl(const ClientControl& clients, size_t client_count,
                                   std::string_view method, std::string_view path,
                                   std::string_view body) {
  std::variant<ControlTarget, server::ControlAnswer> route = RouteControl(method, path);
  if (auto* refused = std::get_if<server::ControlAnswer>(&route)) return std::move(*refused);
  const ControlTarget target = std::get<ControlTarget>(route);
  if (IsClientRoute(target.route)) return AnswerClientControl(clients, target, body);
  if (target.route == ControlRoute::kTick) {
    return ControlError(409, "a proxy has no ticks: its pushes come from the upstream");
  }
  if (target.route == ControlRoute::kStation) {
    return ControlError(409,
                        "a proxy has no stations of its own: its answers come from the "
                        "upstream");
  }
  // A proxy's own state is the request journal and the stubs.
  if (target.route == ControlRoute::kReset) {
    clients.server->received().Clear();
    RemoveStubs(clients, std::nullopt);
  }
  return HealthAnswer("proxy", client_count, std::nullopt);
}

}  // namespace

std::string ProxyOptionsJson(const UpstreamOptions& upstream) {
  std::string out = "{\"upstream\":";
  json::AppendString(&out, upstream.url);
  out += ",\"ca\":";
  if (upstream.ca_file.empty()) {
    out += "null";
  } else {
    json::AppendString(&out, upstream.ca_file);
  }
  out += upstream.insecure ? ",\"insecure\":true" : ",\"insecure\":false";
  out += upstream.record_headers ? ",\"headers\":[" : ",\"headerNames\":[";
  for (size_t i = 0; i < upstream.headers.size(); ++i) {
    if (i > 0) out += ",";
    json::AppendString(&out, upstream.record_headers ? upstream.headers[i]
                                                     : server::HeaderName(upstream.headers[i]));
  }
  out += "]}";
  return out;
}

Status RunProxyRecord(const ServeOptions& options, const RecordOptions& record,
                      const UpstreamOptions& upstream) {
  SystemClock clock;
  Logger log(&clock, options.listen.log_level);
  ServerRunner runner(&log);  // first: blocks the stop signals for every later thread

  const server::DialOptions dial = UpstreamDial(upstream);
  Status checked = server::CheckDialOptions(dial);
  if (!checked.ok()) return checked.WithContext("--upstream");
  Result<std::shared_ptr<const json::Redactor>> redactor = RedactorFor(record.redact);
  if (!redactor.ok()) return redactor.status();
  proxy::ProxyHandler handler(dial, &log, /*recorder=*/nullptr);
  // Listening first: a port in use or a bad certificate leaves the session
  // file as it was (--overwrite included).
  Result<server::WsServer*> server = runner.Listen(options.listen, &handler);
  if (!server.ok()) return server.status();
  handler.Attach(*server);
  // The --redact pointers and --subprotocol names go with the session, for
  // replay to redact and accept the same.
  Result<std::string> stored_options =
      WithServerLists(ProxyOptionsJson(upstream), record.redact, options.listen.subprotocols);
  if (!stored_options.ok()) return stored_options.status();
  Result<SessionStorage> storage = OpenSessionStorage(record.path, record.overwrite, "proxy",
                                                      *stored_options, upstream.url, clock.Now());
  if (!storage.ok()) return storage.status();
  recorder::Recorder recorder(storage->writer.get(), storage->session_id, &clock);
  recorder.RedactWith(*redactor);
  StopOnStorageError(&runner, storage->writer.get(), "the recording", &log);
  ThrottleToStorage(*server, storage->writer.get(), &log);
  handler.RecordTo(&recorder);
  // A request a stub answers is recorded with its answer and never reaches
  // the upstream.
  StubTable stubs;
  const ClientControl clients{*server, &log, &recorder, &stubs};
  handler.InterceptWith([clients, &handler](server::ConnectionId client, std::string_view message) {
    if (clients.stubs->empty()) return false;  // the usual case, at no cost
    return AnswerIfStubbed(clients, client, message,
                           {[&handler](server::ConnectionId id, std::string_view frame) {
                              handler.Relayed(id, frame, /*binary=*/false);
                            },
                            {}}) != StubOutcome::kNone;
  });
  handler.ControlWith(
      [clients, &handler](std::string_view method, std::string_view path, std::string_view body) {
        return ProxyControl(clients, handler.client_count(), method, path, body);
      });
  log.Info("Recording session " + std::to_string(storage->session_id) + " into " + record.path +
           ", relaying every client to " + upstream.url);

  Status run = runner.Run();
  recorder.End();
  Status stored = FinishSessionStorage(*storage, &log);
  log.Info("Server stopped");
  if (!stored.ok()) {
    log.Error("The recording could not all be stored: " + stored.message());
  } else {
    log.Info("Recording saved to " + record.path);
  }
  if (!run.ok()) return run;
  return stored;
}

}  // namespace wsmock::app
