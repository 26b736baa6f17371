#include <cmath>
#include <memory>

#include "app/replay_command.h"
#include "cli/subcommand.h"
#include "util/json_pointer.h"

namespace wsmock::cli {
namespace {

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
      o->idle_timeout > kMaxSeconds) {
    return "--idle-timeout must be from 0 to 2592000 seconds";
  }
  for (const std::string& pointer : o->match_ignore) {
    Result<json::JsonPointer> parsed = json::JsonPointer::Parse(pointer);
    if (!parsed.ok()) return "--match-ignore: " + parsed.status().message();
  }
  if (session > 0) o->session = session;
  return FinishListenOptions(&o->listen, raw);
}

}  // namespace

void AddReplayCommand(CLI::App* root, SubcommandTable* table) {
  auto replay_options = std::make_shared<app::ReplayOptions>();
  auto replay_raw = std::make_shared<RawListenFlags>();
  auto replay_session = std::make_shared<int64_t>(0);
  {
    CLI::App* cmd = root->add_subcommand(
        "replay", "Serve a recorded session back: same answers, same pushes, every run");
    AddReplayOptions(cmd, replay_options.get(), replay_raw.get(), replay_session.get());
    table->push_back(
        {cmd,
         [=] { return FinishReplayOptions(replay_options.get(), *replay_raw, *replay_session); },
         [=] { return app::RunReplay(*replay_options); }});
  }

}

}  // namespace wsmock::cli
