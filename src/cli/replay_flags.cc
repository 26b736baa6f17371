#include <cmath>
#include <limits>
#include <memory>

#include "app/replay_command.h"
#include "cli/subcommand.h"
#include "replayer/match_key.h"

namespace wsmock::cli {
namespace {

// Values parsed as text or checked after parsing, so errors name the flag.
struct RawReplayFlags {
  RawListenFlags listen;
  int64_t session = 0;
  CLI::Option* seed = nullptr;  // given or not: the session's seed otherwise
  uint64_t seed_value = 0;
  CLI::Option* stations = nullptr;
  int stations_value = 0;
  std::string clock;
};

// --record-missing and what goes with it.
void AddRecordMissingOptions(CLI::App* cmd, app::ReplayOptions* o, RawReplayFlags* raw) {
  auto* record_missing = cmd->add_flag(
      "--record-missing", o->record_missing,
      "Answer requests the recording cannot answer from --upstream (or the generator) and "
      "append those exchanges to the replayed session (opens SESSION.db read-write)");
  CLI::Option* upstream = AddUpstreamOptions(
      cmd, &o->upstream,
      "With --record-missing: send unrecorded requests to this ws:// or wss:// backend "
      "instead of the generator");
  upstream->needs(record_missing);
  raw->seed = cmd->add_option("--seed", raw->seed_value,
                              "With --record-missing: the generator's seed (default: the "
                              "session's, else 42)")
                  ->check(SeedValue());
  raw->stations = cmd->add_option("--stations", raw->stations_value,
                                  "With --record-missing: the number of generated stations "
                                  "(default: the session's, else 100)")
                      ->check(CLI::Range(1, 100000));
  auto* clock = cmd->add_option("--clock", raw->clock,
                                "With --record-missing: the generator's data time, e.g. "
                                "2024-01-20T10:30:00Z (default: the session's --clock, else now)");
  for (CLI::Option* generator : {raw->seed, raw->stations, clock}) {
    generator->needs(record_missing)->excludes(upstream);
  }
}

void AddReplayOptions(CLI::App* cmd, app::ReplayOptions* o, RawReplayFlags* raw) {
  cmd->add_option("SESSION.db", o->path,
                  "Session file recorded by wsmock record (read-only unless --record-missing)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--session", raw->session, "Session id to replay (default: the latest)")
      ->check(Int64Range(1, std::numeric_limits<int64_t>::max()));
  cmd->add_option("--match-ignore", o->match_ignore,
                  "JSON Pointer into the request left out of matching, e.g. /data/since "
                  "(* = any key or index; repeatable)");
  cmd->add_option("--speed", o->speed,
                  "Push schedule scale (2 = twice as fast); 0 = each push right after the "
                  "request that preceded it")
      ->capture_default_str();
  cmd->add_flag("--per-connection", o->per_connection,
                "Each connection hears a request's recorded answers from the first, whatever "
                "other connections asked (default: one sequence for all, as recorded)");
  cmd->add_flag("--strict", o->strict,
                "Exit 1 at the end when any request had no recording (one recorded now by "
                "--record-missing does not count)");
  cmd->add_option("--exit-after", o->exit_after, "Stop after answering this many requests")
      ->check(Int64Range(1, std::numeric_limits<int64_t>::max()));
  cmd->add_option("--idle-timeout", o->idle_timeout,
                  "Stop after this many seconds with no client connected (since the start, or "
                  "since the last client left); a connected client keeps the replay running");
  cmd->add_option("--report", o->report_json, "Write the replay report here as JSON");
  cmd->add_option("--junit", o->junit, "Write the replay report here as JUnit XML");
  cmd->add_flag("--snapshots", o->snapshots,
                "Answer live from the recorded station snapshots instead of recorded replies");
  AddRecordMissingOptions(cmd, o, raw);
  AddListenOptions(cmd, &o->listen, &raw->listen);
}

std::string FinishRecordMissingOptions(app::ReplayOptions* o, const RawReplayFlags& raw) {
  if (o->per_connection && o->snapshots) {
    return "--per-connection cannot be used with --snapshots (--snapshots answers from the "
           "recorded stations, not from recorded answers in sequence)";
  }
  if (o->record_missing && o->snapshots) {
    return "--record-missing cannot be used with --snapshots (--snapshots answers every "
           "request from the recorded stations, so none is missing)";
  }
  std::string problem = FinishUpstreamOptions(o->upstream);
  if (!problem.empty()) return problem;
  if (raw.seed->count() > 0) o->seed = raw.seed_value;
  if (raw.stations->count() > 0) o->stations = raw.stations_value;
  return ParseClockFlag(raw.clock, &o->clock_start);
}

std::string FinishReplayOptions(app::ReplayOptions* o, const RawReplayFlags& raw) {
  if (!std::isfinite(o->speed) || o->speed < 0 || o->speed > 1e6) {
    return "--speed must be 0 or a positive number";
  }
  if (!std::isfinite(o->idle_timeout) || o->idle_timeout < 0 || o->idle_timeout > kMaxSeconds) {
    return "--idle-timeout must be from 0 to 2592000 seconds";
  }
  Result<replayer::KeyMaker> keys = replayer::KeyMaker::Create(o->match_ignore);
  if (!keys.ok()) return keys.status().message();
  if (raw.session > 0) o->session = raw.session;
  for (const auto& [flag, path] : {std::pair{"--report", o->report_json}, {"--junit", o->junit}}) {
    std::string refused = CheckReportTarget(o->path, flag, path);
    if (!refused.empty()) return refused;
  }
  std::string problem = FinishRecordMissingOptions(o, raw);
  if (!problem.empty()) return problem;
  return FinishListenOptions(&o->listen, raw.listen);
}

}  // namespace

void AddReplayCommand(CLI::App* root, SubcommandTable* table) {
  auto replay_options = std::make_shared<app::ReplayOptions>();
  auto replay_raw = std::make_shared<RawReplayFlags>();
  {
    CLI::App* cmd = root->add_subcommand(
        "replay", "Serve a recorded session back: same answers, same pushes, every run");
    cmd->footer(
        "Control over plain HTTP on the same port: GET /__wsmock/health, GET /__wsmock/clients, "
        "POST /__wsmock/push (the body as one text frame to every client), POST "
        "/__wsmock/disconnect (every client closed or dropped), POST "
        "/__wsmock/clients/ID/push or /disconnect for one, GET /__wsmock/requests (the last "
        "frames clients sent; DELETE forgets them), POST /__wsmock/stubs (answers of the "
        "test's own for the requests it matches), and POST /__wsmock/reset (every request "
        "answered from its first recorded answer again; no stubs) (README, \"Driving a running "
        "server "
        "from a test\").");
    AddReplayOptions(cmd, replay_options.get(), replay_raw.get());
    table->push_back({cmd, [=] { return FinishReplayOptions(replay_options.get(), *replay_raw); },
                      [=] { return app::RunReplay(*replay_options); }});
  }
}

}  // namespace wsmock::cli
