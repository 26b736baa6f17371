#include <cmath>
#include <memory>

#include "app/serve_command.h"
#include "cli/subcommand.h"

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

std::string FinishServeOptions(app::ServeOptions* o, const RawServeFlags& raw) {
  if (!std::isfinite(o->tick_seconds) || o->tick_seconds < 0 ||
      o->tick_seconds > kMaxSeconds ||
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

}  // namespace

void AddServeCommands(CLI::App* root, SubcommandTable* table) {
  auto serve_options = std::make_shared<app::ServeOptions>();
  auto serve_raw = std::make_shared<RawServeFlags>();
  {
    CLI::App* cmd = root->add_subcommand(
        "serve", "Serve generated (or fixture) stations over ws or wss, with timed updates");
    AddServeOptions(cmd, serve_options.get(), serve_raw.get());
    table->push_back({cmd, [=] { return FinishServeOptions(serve_options.get(), *serve_raw); },
                     [=] { return app::RunServe(*serve_options); }});
  }
  auto record_serve = std::make_shared<app::ServeOptions>();
  auto record_raw = std::make_shared<RawServeFlags>();
  auto record_options = std::make_shared<app::RecordOptions>();
  {
    CLI::App* cmd = root->add_subcommand(
        "record", "Serve as `serve` does and record every exchange into a SQLite session file");
    cmd->add_option("SESSION.db", record_options->path, "Session file (created if missing)")
        ->required();
    cmd->add_flag("--overwrite", record_options->overwrite,
                  "Drop the sessions already in the file instead of appending a new one");
    AddServeOptions(cmd, record_serve.get(), record_raw.get());
    table->push_back({cmd, [=] { return FinishServeOptions(record_serve.get(), *record_raw); },
                     [=] { return app::RunRecord(*record_serve, *record_options); }});
  }

}

}  // namespace wsmock::cli
