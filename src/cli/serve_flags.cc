#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "app/serve_command.h"
#include "cli/subcommand.h"
#include "util/json_redact.h"

namespace wsmock::cli {
namespace {

// The shortest non-zero tick (a shorter tick would keep the loop busy with
// nothing but updates).
constexpr double kMinTickSeconds = 0.01;

struct RawServeFlags {
  RawListenFlags listen;
  std::string clock;
  int64_t tick_index = -1;
};

// Adds serve's flags (record's too, but for --db: a recording keeps its
// snapshots in its own file) and returns those that shape the generated
// stations, which a proxy has none of.
std::vector<CLI::Option*> AddServeOptions(CLI::App* cmd, app::ServeOptions* o, RawServeFlags* raw,
                                          bool with_db) {
  std::vector<CLI::Option*> data;
  data.push_back(cmd->add_option("--seed", o->seed, "Seed of the generated data and of every tick")
                     ->check(SeedValue())
                     ->capture_default_str());
  data.push_back(
      cmd->add_option("--stations", o->stations, "Number of generated stations (1..100000)")
          ->check(CLI::Range(1, 100000))
          ->capture_default_str());
  data.push_back(cmd->add_option("--tick", o->tick_seconds,
                                 "Seconds between status updates (fractions allowed); 0 = none")
                     ->capture_default_str());
  data.push_back(cmd->add_option("--clock", raw->clock,
                                 "Virtual start time, e.g. 2024-01-20T10:30:00Z: timestamps start "
                                 "there and advance one tick per tick (reproducible output)"));
  auto* fixture = cmd->add_option(
      "--fixture", o->fixture,
      "Serve the stations in this JSON file (each with exactly the 14 fields, lastUpdate "
      "written as served: 2024-01-20T10:30:00.000Z)");
  if (with_db) {
    cmd->add_option("--db", o->db,
                    "Keep station snapshots in this SQLite file (default: none are kept)");
  }
  auto* from = cmd->add_option("--from", o->from,
                               "Start from a station snapshot recorded in this session file");
  from->excludes(fixture);
  auto* tick_index =
      cmd->add_option("--tick-index", raw->tick_index,
                      "With --from: the recorded tick to start from (default: the last)")
          ->needs(from)
          ->check(Int64Range(0, std::numeric_limits<int64_t>::max()));
  data.insert(data.end(), {fixture, from, tick_index});
  AddListenOptions(cmd, &o->listen, &raw->listen);
  return data;
}

std::string FinishServeOptions(app::ServeOptions* o, const RawServeFlags& raw) {
  if (!std::isfinite(o->tick_seconds) || o->tick_seconds < 0 ||
      o->tick_seconds > kMaxSeconds ||
      (o->tick_seconds > 0 && o->tick_seconds < kMinTickSeconds)) {
    return "--tick must be 0 or from 0.01 to 2592000 seconds";
  }
  std::string problem = ParseClockFlag(raw.clock, &o->clock_start);
  if (!problem.empty()) return problem;
  if (raw.tick_index >= 0) o->tick_index = raw.tick_index;
  return FinishListenOptions(&o->listen, raw.listen);
}

std::string FinishRecordOptions(const app::RecordOptions& record,
                                const app::UpstreamOptions& upstream) {
  Result<json::Redactor> redactor = json::Redactor::Create(record.redact);
  if (!redactor.ok()) return "--redact: " + redactor.status().message();
  return FinishUpstreamOptions(upstream);
}

}  // namespace

CLI::Option* AddUpstreamOptions(CLI::App* cmd, app::UpstreamOptions* o,
                                const std::string& url_help) {
  auto* url = cmd->add_option("--upstream", o->url, url_help);
  cmd->add_option("--upstream-ca", o->ca_file, "Trust this PEM CA for a wss upstream")
      ->needs(url)
      ->check(CLI::ExistingFile);
  cmd->add_flag("--upstream-insecure", o->insecure,
                "Skip the upstream's certificate checks (self-signed test backends)")
      ->needs(url);
  cmd->add_option("--upstream-header", o->headers,
                  "'Name: value' added to every upstream handshake (repeatable); the value "
                  "is never stored unless record --record-headers. In record, it replaces "
                  "the client's Cookie, Authorization or Origin of the same name")
      ->needs(url);
  return url;
}

std::string FinishUpstreamOptions(const app::UpstreamOptions& upstream) {
  if (!upstream.url.empty() && upstream.url.rfind("ws://", 0) != 0 &&
      upstream.url.rfind("wss://", 0) != 0) {
    return "--upstream must start with ws:// or wss://";
  }
  return HeaderFlagProblem("--upstream-header", upstream.headers);
}

// The control endpoint, which no flag names (README, "Driving a running
// server from a test").
constexpr char kControlFooter[] =
    "Control over plain HTTP on the same port: GET /__wsmock/health, POST /__wsmock/tick (the "
    "next update now; with --tick 0 the only ones), POST /__wsmock/stations/ID with "
    "{\"status\":\"error\"} or {\"currentPower\":7.5}, GET /__wsmock/clients, POST "
    "/__wsmock/push (the body as one text frame to every client), POST /__wsmock/disconnect "
    "(every client closed, with {\"code\":4000} or {\"drop\":true} if wanted), POST "
    "/__wsmock/clients/ID/push or /disconnect for one, GET /__wsmock/requests (the last "
    "frames clients sent; DELETE forgets them), POST /__wsmock/stubs (answer the requests it "
    "matches with given data, an error, any frame, none or its own answer, late, then close; "
    "GET lists, DELETE removes), and POST /__wsmock/reset (changed stations back as at start, "
    "pushed; ticks and --clock from the start again; stubs and journal emptied). Exit: 0 after "
    "SIGINT or SIGTERM, 1 run-time failure, 2 usage error.";

void AddServeCommands(CLI::App* root, SubcommandTable* table) {
  auto serve_options = std::make_shared<app::ServeOptions>();
  auto serve_raw = std::make_shared<RawServeFlags>();
  {
    CLI::App* cmd = root->add_subcommand(
        "serve", "Serve generated (or fixture) stations over ws or wss, with timed updates");
    cmd->footer(kControlFooter);
    AddServeOptions(cmd, serve_options.get(), serve_raw.get(), /*with_db=*/true);
    table->push_back({cmd, [=] { return FinishServeOptions(serve_options.get(), *serve_raw); },
                     [=] { return app::RunServe(*serve_options); }});
  }
  auto record_serve = std::make_shared<app::ServeOptions>();
  auto record_raw = std::make_shared<RawServeFlags>();
  auto record_options = std::make_shared<app::RecordOptions>();
  auto record_upstream = std::make_shared<app::UpstreamOptions>();
  {
    CLI::App* cmd = root->add_subcommand(
        "record", "Serve as `serve` does and record every exchange into a SQLite session file");
    cmd->footer(kControlFooter);
    cmd->add_option("SESSION.db", record_options->path, "Session file (created if missing)")
        ->required();
    cmd->add_flag("--overwrite", record_options->overwrite,
                  "Drop the sessions already in the file instead of appending a new one");
    cmd->add_option("--redact", record_options->redact,
                    "JSON Pointer whose value is replaced by a fixed marker before it is "
                    "written, e.g. /data/token (* = any key or index; repeatable)");
    CLI::Option* upstream =
        AddUpstreamOptions(cmd, record_upstream.get(),
                           "Relay every client to this ws:// or wss:// backend and record the "
                           "real traffic (proxy mode) instead of serving stations; each "
                           "client's query, Cookie, Authorization and Origin go with it, "
                           "never logged or stored; a request a stub (POST /__wsmock/stubs) "
                           "matches is answered here instead");
    cmd->add_flag("--record-headers", record_upstream->record_headers,
                  "Keep the --upstream-header values in the session's options")
        ->needs(upstream);
    // The upstream is the data: flags for generated stations would be
    // silently ignored, so they are refused.
    for (CLI::Option* data : AddServeOptions(cmd, record_serve.get(), record_raw.get(),
                                             /*with_db=*/false)) {
      upstream->excludes(data);
    }
    table->push_back({cmd,
                      [=] {
                        std::string problem = FinishRecordOptions(*record_options, *record_upstream);
                        if (!problem.empty()) return problem;
                        return FinishServeOptions(record_serve.get(), *record_raw);
                      },
                      [=] { return app::RunRecord(*record_serve, *record_options, *record_upstream); }});
  }

}

}  // namespace wsmock::cli
