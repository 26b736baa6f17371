#include <cmath>
#include <limits>
#include <memory>

#include "app/verify_command.h"
#include "cli/subcommand.h"
#include "server/ws_url.h"
#include "util/json_pointer.h"

namespace wsmock::cli {
namespace {

// Values checked after parsing, so each error names its flag.
struct RawVerifyFlags {
  int64_t session = 0;
};

constexpr int kMaxConnections = 10000;

void AddVerifyOptions(CLI::App* cmd, app::VerifyOptions* o, RawVerifyFlags* raw) {
  cmd->add_option("SESSION.db", o->path, "Session file recorded by wsmock record (read-only)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--target", o->target,
                  "Server to verify: ws://host:port/path or wss://host:port/path")
      ->required();
  cmd->add_option("--session", raw->session, "Session id to verify (default: the latest)")
      ->check(Int64Range(1, std::numeric_limits<int64_t>::max()));
  cmd->add_option("--ignore", o->ignore,
                  "JSON Pointer into the answers left out of the comparison, e.g. "
                  "/data/station/lastUpdate (* = any key or index; repeatable)")
      ->allow_extra_args(false);  // one pointer per --ignore, so SESSION.db may follow
  cmd->add_flag("--compare-updates", o->compare_updates,
                "Also compare the pushes (updates), in order per connection");
  cmd->add_flag("--only-schema", o->only_schema,
                "Fail only on fields added or removed and types changed, not on values");
  cmd->add_option("--timeout", o->timeout, "Seconds to wait for each answer, update or connection")
      ->capture_default_str();
  cmd->add_option("--connections", o->connections,
                  "Run this many copies of each recorded connection at once (a small load replay)")
      ->capture_default_str();
  cmd->add_option("--report", o->report_json, "Write the verify report here as JSON");
  cmd->add_option("--junit", o->junit, "Write the verify report here as JUnit XML");
  cmd->add_option("--ca", o->ca_file, "wss: trust this PEM CA certificate file")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--insecure", o->insecure, "wss: skip the certificate and host name checks");
  cmd->add_option("--target-header", o->headers,
                  "'Name: value' added to every handshake with the target (repeatable), e.g. "
                  "'Authorization: Bearer ...'; only the name is ever printed")
      ->allow_extra_args(false);  // one header per flag, so SESSION.db may follow
  cmd->add_option("--target-subprotocol", o->subprotocol,
                  "WebSocket subprotocol (Sec-WebSocket-Protocol) to ask the target for");
}

std::string FinishVerifyOptions(app::VerifyOptions* o, const RawVerifyFlags& raw) {
  const bool tls = o->target.starts_with("wss://");
  if (!tls && !o->target.starts_with("ws://")) {
    return "--target must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:10009/ws";
  }
  // Checked here, once, rather than by every connection failing alike.
  Result<server::WsUrl> url = server::ParseWsUrl(o->target);
  if (!url.ok()) return "--target: " + url.status().message();
  if ((!o->ca_file.empty() || o->insecure) && !tls) {
    return "--ca and --insecure need a wss:// target";
  }
  std::string problem = HeaderFlagProblem("--target-header", o->headers);
  if (problem.empty() && !o->subprotocol.empty()) {
    problem = SubprotocolFlagProblem("--target-subprotocol", o->subprotocol);
  }
  if (!problem.empty()) return problem;
  if (!std::isfinite(o->timeout) || o->timeout <= 0 || o->timeout > kMaxSeconds) {
    return "--timeout must be more than 0 and at most 2592000 seconds";
  }
  if (o->connections < 1 || o->connections > kMaxConnections) {
    return "--connections must be from 1 to " + std::to_string(kMaxConnections);
  }
  for (const std::string& pointer : o->ignore) {
    if (pointer.empty()) return "--ignore: the empty JSON pointer would ignore every answer";
    Result<json::JsonPointer> parsed = json::JsonPointer::Parse(pointer);
    if (!parsed.ok()) return "--ignore: " + parsed.status().message();
  }
  if (raw.session > 0) o->session = raw.session;
  for (const auto& [flag, path] : {std::pair{"--report", o->report_json}, {"--junit", o->junit}}) {
    std::string refused = CheckReportTarget(o->path, flag, path);
    if (!refused.empty()) return refused;
  }
  return {};
}

}  // namespace

void AddVerifyCommand(CLI::App* root, SubcommandTable* table) {
  auto options = std::make_shared<app::VerifyOptions>();
  auto raw = std::make_shared<RawVerifyFlags>();
  CLI::App* cmd = root->add_subcommand(
      "verify",
      "Check a live server against a recording: send each recorded connection's requests "
      "(new requestIds) and diff every answer as JSON; exit 0 only if all matched");
  cmd->footer(
      "Prints a diff per mismatch (JSON path; field added, field removed, type changed or "
      "value changed) and 'N matched, N differed, N failed'. Exit: 0 all matched, 1 otherwise, "
      "2 usage error.");
  AddVerifyOptions(cmd, options.get(), raw.get());
  table->push_back({cmd, [=] { return FinishVerifyOptions(options.get(), *raw); },
                    [=] { return app::RunVerify(*options); }});
}

}  // namespace wsmock::cli
