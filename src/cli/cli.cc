#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cmath>
#include <memory>
#include <sstream>

#include "app/replay_command.h"
#include "app/serve_command.h"
#include "app/serve_options.h"
#include "app/transfer_commands.h"
#include "util/json_pointer.h"

namespace wsmock::cli {
namespace {

// The longest tick accepted, and the shortest non-zero one (a shorter tick
// would keep the loop busy with nothing but updates).
constexpr double kMaxTickSeconds = 30 * 86400.0;
constexpr double kMinTickSeconds = 0.01;

// Values CLI11 parses as text and we check ourselves, so the error names the
// flag and the accepted form.
struct RawListenFlags {
  std::string log_level = "info";
  bool self_signed = false;
  bool no_ssl = false;
};

struct RawServeFlags {
  RawListenFlags listen;
  std::string clock;
  int64_t tick_index = -1;
};

void AddListenOptions(CLI::App* cmd, app::ListenOptions* o, RawListenFlags* raw) {
  cmd->add_option("--host", o->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o->port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--path", o->path, "WebSocket path")->capture_default_str();
  cmd->add_option("--log-level", raw->log_level, "debug, info, warn, error or off")
      ->capture_default_str();
  auto* cert = cmd->add_option("--tls-cert", o->tls_cert, "Serve wss with this PEM certificate");
  auto* key = cmd->add_option("--tls-key", o->tls_key, "Private key (PEM) of --tls-cert");
  cert->needs(key);
  key->needs(cert);
  auto* self = cmd->add_flag("--self-signed", raw->self_signed,
                             "Serve wss with a certificate generated in memory at start");
  auto* plain = cmd->add_flag("--no-ssl", raw->no_ssl, "Serve plain ws");
  self->excludes(cert)->excludes(key)->excludes(plain);
  plain->excludes(cert)->excludes(key);
  cmd->add_option("--max-message", o->max_message,
                  "Largest accepted message in bytes; larger ones close with 1009")
      ->check(CLI::Range(static_cast<size_t>(64), static_cast<size_t>(1) << 30))
      ->capture_default_str();
  cmd->add_option("--max-connections", o->max_connections,
                  "Connections accepted at once; more get HTTP 503")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
}

void AddServeOptions(CLI::App* cmd, app::ServeOptions* o, RawServeFlags* raw) {
  cmd->add_option("--seed", o->seed, "Seed of the generated data and of every tick")
      ->capture_default_str();
  cmd->add_option("--stations", o->stations, "Number of generated stations (1..100000)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--tick", o->tick_seconds,
                  "Seconds between status updates (fractions allowed); 0 = none")
      ->capture_default_str();
  cmd->add_option("--clock", raw->clock,
                  "Virtual start time, e.g. 2024-01-20T10:30:00Z: timestamps start there "
                  "and advance one tick per tick (reproducible output)");
  auto* fixture = cmd->add_option("--fixture", o->fixture, "Serve the stations in this JSON file");
  cmd->add_option("--db", o->db, "Keep station snapshots in this SQLite file (default: memory)");
  auto* from = cmd->add_option("--from", o->from,
                               "Start from a station snapshot recorded in this session file");
  from->excludes(fixture);
  cmd->add_option("--tick-index", raw->tick_index,
                  "With --from: the recorded tick to start from (default: the last)")
      ->needs(from)
      ->check(CLI::NonNegativeNumber);
  AddListenOptions(cmd, &o->listen, &raw->listen);
}

// Checks what CLI11 cannot: returns a one-line usage error or "".
std::string FinishListenOptions(app::ListenOptions* o, const RawListenFlags& raw) {
  Result<LogLevel> level = ParseLogLevel(raw.log_level);
  if (!level.ok()) return "--log-level: " + level.status().message();
  o->log_level = *level;
  if (o->path.empty() || o->path.front() != '/') return "--path must start with '/'";
  if (raw.self_signed) {
    o->tls = app::TlsMode::kSelfSigned;
  } else if (raw.no_ssl) {
    o->tls = app::TlsMode::kOff;
  } else if (!o->tls_cert.empty()) {
    o->tls = app::TlsMode::kFiles;
  }
  return "";
}

std::string FinishServeOptions(app::ServeOptions* o, const RawServeFlags& raw) {
  if (!std::isfinite(o->tick_seconds) || o->tick_seconds < 0 ||
      o->tick_seconds > kMaxTickSeconds ||
      (o->tick_seconds > 0 && o->tick_seconds < kMinTickSeconds)) {
    return "--tick must be 0 or from 0.01 to 2592000 seconds";
  }
  if (!raw.clock.empty()) {
    Result<Micros> start = ParseIso8601(raw.clock);
    if (!start.ok()) return "--clock: " + start.status().message();
    o->clock_start = *start;
  }
  if (raw.tick_index >= 0) o->tick_index = raw.tick_index;
  return FinishListenOptions(&o->listen, raw.listen);
}

void AddReplayOptions(CLI::App* cmd, app::ReplayOptions* o, RawListenFlags* raw,
                      int64_t* session) {
  cmd->add_option("SESSION.db", o->path, "Session file recorded by wsmock record (read-only)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--session", *session, "Session id to replay (default: the latest)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--match-ignore", o->match_ignore,
                  "JSON Pointer into the request left out of matching, e.g. /data/since "
                  "(* = any key or index; repeatable)");
  cmd->add_option("--speed", o->speed,
                  "Push schedule scale (2 = twice as fast); 0 = each push right after the "
                  "request that preceded it")
      ->capture_default_str();
  cmd->add_flag("--strict", o->strict, "Exit 1 at the end when any request had no recording");
  cmd->add_option("--exit-after", o->exit_after, "Stop after answering this many requests")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--idle-timeout", o->idle_timeout,
                  "Stop after this many seconds without a connection or message");
  cmd->add_option("--report", o->report_json, "Write the replay report here as JSON");
  cmd->add_option("--junit", o->junit, "Write the replay report here as JUnit XML");
  cmd->add_flag("--snapshots", o->snapshots,
                "Answer live from the recorded station snapshots instead of recorded replies");
  AddListenOptions(cmd, &o->listen, raw);
}

std::string FinishReplayOptions(app::ReplayOptions* o, const RawListenFlags& raw,
                                int64_t session) {
  if (!std::isfinite(o->speed) || o->speed < 0 || o->speed > 1e6) {
    return "--speed must be 0 or a positive number";
  }
  if (!std::isfinite(o->idle_timeout) || o->idle_timeout < 0 ||
      o->idle_timeout > kMaxTickSeconds) {
    return "--idle-timeout must be from 0 to 2592000 seconds";
  }
  for (const std::string& pointer : o->match_ignore) {
    Result<json::JsonPointer> parsed = json::JsonPointer::Parse(pointer);
    if (!parsed.ok()) return "--match-ignore: " + parsed.status().message();
  }
  if (session > 0) o->session = session;
  return FinishListenOptions(&o->listen, raw);
}

// One line: CLI11's messages can span lines.
std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

struct Subcommand {
  CLI::App* app;
  std::function<std::string()> finish;  // "" or a usage error
  std::function<Status()> run;
};

}  // namespace

Invocation ParseCommandLine(int argc, const char* const* argv) {
  CLI::App root{"wsmock: a record-and-replay WebSocket mock server", "wsmock"};
  root.set_version_flag("--version", std::string("wsmock ") + WSMOCK_VERSION);
  root.require_subcommand(1);

  auto serve_options = std::make_shared<app::ServeOptions>();
  auto serve_raw = std::make_shared<RawServeFlags>();
  std::vector<Subcommand> table;
  {
    CLI::App* cmd = root.add_subcommand(
        "serve", "Serve generated (or fixture) stations over ws or wss, with timed updates");
    AddServeOptions(cmd, serve_options.get(), serve_raw.get());
    table.push_back({cmd, [=] { return FinishServeOptions(serve_options.get(), *serve_raw); },
                     [=] { return app::RunServe(*serve_options); }});
  }
  auto record_serve = std::make_shared<app::ServeOptions>();
  auto record_raw = std::make_shared<RawServeFlags>();
  auto record_options = std::make_shared<app::RecordOptions>();
  {
    CLI::App* cmd = root.add_subcommand(
        "record", "Serve as `serve` does and record every exchange into a SQLite session file");
    cmd->add_option("SESSION.db", record_options->path, "Session file (created if missing)")
        ->required();
    cmd->add_flag("--overwrite", record_options->overwrite,
                  "Drop the sessions already in the file instead of appending a new one");
    AddServeOptions(cmd, record_serve.get(), record_raw.get());
    table.push_back({cmd, [=] { return FinishServeOptions(record_serve.get(), *record_raw); },
                     [=] { return app::RunRecord(*record_serve, *record_options); }});
  }

  auto replay_options = std::make_shared<app::ReplayOptions>();
  auto replay_raw = std::make_shared<RawListenFlags>();
  auto replay_session = std::make_shared<int64_t>(0);
  {
    CLI::App* cmd = root.add_subcommand(
        "replay", "Serve a recorded session back: same answers, same pushes, every run");
    AddReplayOptions(cmd, replay_options.get(), replay_raw.get(), replay_session.get());
    table.push_back(
        {cmd,
         [=] { return FinishReplayOptions(replay_options.get(), *replay_raw, *replay_session); },
         [=] { return app::RunReplay(*replay_options); }});
  }

  auto transfer_db = std::make_shared<std::string>();
  auto transfer_file = std::make_shared<std::string>();
  auto export_session = std::make_shared<int64_t>(0);
  {
    CLI::App* cmd = root.add_subcommand(
        "export", "Write a session file as JSON Lines to stdout (for git and code review)");
    cmd->add_option("SESSION.db", *transfer_db, "Session file (read-only)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--session", *export_session, "Only this session (default: all)")
        ->check(CLI::PositiveNumber);
    table.push_back({cmd, [] { return std::string(); }, [=] {
                       std::optional<int64_t> session;
                       if (*export_session > 0) session = *export_session;
                       return app::RunExport(*transfer_db, session, stdout);
                     }});
  }
  {
    CLI::App* cmd = root.add_subcommand(
        "import", "Append the sessions of a JSON Lines export to a session file");
    cmd->add_option("FILE.jsonl", *transfer_file, "JSON Lines from wsmock export; - for stdin")
        ->required();
    cmd->add_option("SESSION.db", *transfer_db, "Session file (created if missing)")->required();
    table.push_back({cmd,
                     [=] {
                       if (*transfer_file != "-" && access(transfer_file->c_str(), R_OK) != 0) {
                         return "cannot read " + *transfer_file;
                       }
                       return std::string();
                     },
                     [=] { return app::RunImport(*transfer_file, *transfer_db); }});
  }
  {
    CLI::App* cmd = root.add_subcommand(
        "sessions", "List the sessions of a session file (id, start, mode, connections, messages)");
    cmd->add_option("SESSION.db", *transfer_db, "Session file (read-only)")
        ->required()
        ->check(CLI::ExistingFile);
    table.push_back({cmd, [] { return std::string(); },
                     [=] { return app::RunSessions(*transfer_db, stdout); }});
  }

  Invocation result;
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    int code = root.exit(e, out, err);
    result.out = out.str();
    if (code == 0) return result;
    result.exit_code = kExitUsage;
    result.err = "wsmock: " + OneLine(e.what()) + " (see wsmock --help)";
    return result;
  }
  for (const Subcommand& sub : table) {
    if (!sub.app->parsed()) continue;
    std::string problem = sub.finish();
    if (!problem.empty()) {
      result.exit_code = kExitUsage;
      result.err = "wsmock " + sub.app->get_name() + ": " + problem;
      return result;
    }
    result.run = sub.run;
  }
  return result;
}

}  // namespace wsmock::cli
