#include "app/serve_command.h"

#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/first_snapshot.h"
#include "app/mock_handler.h"
#include "app/proxy_command.h"
#include "app/serve_options_json.h"
#include "app/server_runner.h"
#include "app/session_storage.h"
#include "app/stored_lists.h"
#include "generator/ticker.h"
#include "recorder/recorder.h"
#include "store/background_writer.h"
#include "store/session_store.h"

namespace wsmock::app {
namespace {

// Hands each snapshot to the writer: the first in full, later ones as deltas.
// The rows are built on the writer thread from the shared, immutable snapshot.
MockHandler::SnapshotSink SnapshotWriter(store::BackgroundWriter* writer, int64_t session_id) {
  return [writer, session_id](const model::SnapshotPtr& snapshot,
                              const std::vector<size_t>& changed) {
    writer->Submit([snapshot, changed, session_id](store::SessionStore& store) {
      std::vector<store::StationRow> rows;
      rows.reserve(changed.size());
      for (size_t i : changed) {
        rows.push_back({snapshot->station(i).id, snapshot->json(i).full()});
      }
      return store.InsertSnapshot(session_id, snapshot->tick_index(), snapshot->taken_at(),
                                  rows);
    });
  };
}

// The options as the session keeps them: file paths absolute, so that
// replay --record-missing finds the fixture from any working directory.
ServeOptions AsStored(ServeOptions options) {
  for (std::string* path : {&options.fixture, &options.from}) {
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(*path, error);
    if (!path->empty() && !error) *path = absolute.lexically_normal().string();
  }
  return options;
}

Status RunMock(const ServeOptions& options, const RecordOptions* record) {
  SystemClock wall_clock;
  Logger log(&wall_clock, options.listen.log_level);
  ServerRunner runner(&log);  // first: blocks the stop signals for every later thread

  std::unique_ptr<ManualClock> virtual_clock;
  if (options.clock_start) virtual_clock = std::make_unique<ManualClock>(*options.clock_start);
  const Clock* data_clock = virtual_clock ? static_cast<const Clock*>(virtual_clock.get())
                                          : &wall_clock;

  ServeOptions pinned = options;  // --from's session and tick, once taken
  Result<model::SnapshotPtr> first = FirstSnapshot(&pinned, data_clock->Now(), &log);
  if (!first.ok()) return first.status();
  Result<std::shared_ptr<const json::Redactor>> redactor =
      RedactorFor(record != nullptr ? record->redact : std::vector<std::string>());
  if (!redactor.ok()) return redactor.status();
  MockHandler handler(*first, data_clock, &log);
  // The mock dials nothing (record --upstream is the proxy, elsewhere).
  // Listening comes before the session file is touched, so that a port in
  // use or a bad certificate leaves it as it was (--overwrite included).
  Result<server::WsServer*> server = runner.Listen(options.listen, &handler, /*dial_tls=*/false);
  if (!server.ok()) return server.status();
  handler.Attach(*server);
  // serve keeps its snapshots in --db. Without one there is no store at all:
  // an in-memory database could never be read by anyone, and it cost a
  // thread, SQLite's memory and, with 100,000 stations, most of a core at
  // start-up.
  std::optional<SessionStorage> storage;
  if (record != nullptr || !options.db.empty()) {
    // The --redact pointers and --subprotocol names go with the session,
    // for replay to redact and accept the same.
    Result<std::string> stored_options =
        WithServerLists(ServeOptionsJson(AsStored(pinned)),
                        record != nullptr ? record->redact : std::vector<std::string>(),
                        options.listen.subprotocols);
    if (!stored_options.ok()) return stored_options.status();
    Result<SessionStorage> opened = OpenSessionStorage(
        record != nullptr ? record->path : options.db, record != nullptr && record->overwrite,
        record != nullptr ? "record" : "serve", *stored_options, "", wall_clock.Now());
    if (!opened.ok()) return opened.status();
    storage = std::move(*opened);
    handler.StoreSnapshotsIn(SnapshotWriter(storage->writer.get(), storage->session_id));
    StopOnStorageError(&runner, storage->writer.get(),
                       record != nullptr ? "the recording" : "snapshots", &log);
    ThrottleToStorage(*server, storage->writer.get(), &log);
  }
  std::unique_ptr<recorder::Recorder> recorder;
  if (record != nullptr) {
    recorder = std::make_unique<recorder::Recorder>(storage->writer.get(), storage->session_id,
                                                    &wall_clock);
    recorder->RedactWith(*redactor);
    handler.RecordTo(recorder.get());
  }
  if (recorder) {
    log.Info("Recording session " + std::to_string(storage->session_id) + " into " +
             record->path);
  }

  const Micros tick = static_cast<Micros>(std::llround(options.tick_seconds * 1e6));
  // One tick, from the timer or asked for over the control endpoint (then
  // --clock time moves on by --tick too; with --tick 0 it stands still).
  auto next_tick = [&] {
    if (virtual_clock) virtual_clock->Advance(tick);
    Micros now = data_clock->Now();
    const model::Snapshot& current = *handler.snapshot();
    generator::TickResult next =
        generator::Tick(current, options.seed, now, handler.NextTickNumber());
    handler.Advance(model::Snapshot::Next(current, next.changed, std::move(next.updated),
                                          current.tick_index() + 1, now),
                    next.changed);
    return true;
  };
  handler.TickOnRequest(next_tick);
  if (virtual_clock) {
    handler.RewindClockWith(
        [&virtual_clock, start = *options.clock_start] { virtual_clock->Set(start); });
  }
  if (tick > 0) runner.Every(tick, [&next_tick] { next_tick(); });

  Status run = runner.Run();
  if (recorder) {
    recorder->End();
  } else if (storage) {  // serve --db: a session of snapshots, ended all the same
    storage->writer->Submit(
        [session = storage->session_id, now = wall_clock.Now()](store::SessionStore& store) {
          return store.EndSession(session, now);
        });
  }
  Status stored = storage ? FinishSessionStorage(*storage, &log) : Status::Ok();
  log.Info("Server stopped");
  if (!stored.ok()) {
    log.Error(std::string(record ? "The recording" : "Snapshots") +
              " could not all be stored: " + stored.message());
  } else if (record != nullptr) {
    log.Info("Recording saved to " + record->path);
  }
  if (!run.ok()) return run;
  return stored;
}

}  // namespace

Status RunServe(const ServeOptions& options) { return RunMock(options, nullptr); }

Status RunRecord(const ServeOptions& options, const RecordOptions& record,
                 const UpstreamOptions& upstream) {
  if (!upstream.url.empty()) return RunProxyRecord(options, record, upstream);
  return RunMock(options, &record);
}

}  // namespace wsmock::app
