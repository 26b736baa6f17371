#include "app/serve_command.h"

#include <cmath>
#include <memory>
#include <mutex>

#include "app/mock_handler.h"
#include "app/signal_waiter.h"
#include "app/tls_setup.h"
#include "generator/station_generator.h"
#include "model/fixture_loader.h"
#include "recorder/recorder.h"
#include "store/background_writer.h"
#include "store/database.h"
#include "store/session_store.h"
#include "util/json.h"

namespace wsmock::app {
namespace {

// The log is written out at least this often; lines are buffered between.
constexpr Micros kLogFlushInterval = 200'000;

Result<std::vector<model::Station>> LoadStations(const ServeOptions& options, Micros now,
                                                 Logger* log) {
  if (!options.fixture.empty()) {
    Result<std::vector<model::Station>> stations = model::LoadFixture(options.fixture);
    if (stations.ok()) {
      log->Info("Loaded " + std::to_string(stations->size()) + " stations from " +
                options.fixture);
    }
    return stations;
  }
  std::vector<model::Station> stations =
      generator::GenerateStations(options.seed, options.stations, now);
  log->Info("Generated " + std::to_string(stations.size()) + " stations (seed " +
            std::to_string(options.seed) + ")");
  return stations;
}

// The options that shape the data, stored with the session.
std::string OptionsJson(const ServeOptions& options) {
  std::string out = "{\"seed\":" + std::to_string(options.seed);
  out += ",\"stations\":" + std::to_string(options.stations);
  out += ",\"tick\":";
  json::AppendNumber(&out, options.tick_seconds);
  out += ",\"clock\":";
  if (options.clock_start) {
    json::AppendString(&out, FormatIso8601(*options.clock_start));
  } else {
    out += "null";
  }
  out += ",\"fixture\":";
  if (options.fixture.empty()) {
    out += "null";
  } else {
    json::AppendString(&out, options.fixture);
  }
  out += "}";
  return out;
}

// Opens the snapshot database, starts a session in it and hands it to the
// writer thread, so snapshots never touch the disk on the loop thread.
struct SnapshotStorage {
  std::unique_ptr<store::BackgroundWriter> writer;
  int64_t session_id = 0;
};

Result<SnapshotStorage> OpenStorage(const ServeOptions& options, const RecordOptions* record,
                                    Micros now) {
  std::string path = options.db.empty() ? ":memory:" : options.db;
  if (record != nullptr) path = record->path;
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  store::SessionStore sessions(db->get());
  if (record != nullptr && record->overwrite) {
    Status cleared = sessions.DeleteAllSessions();
    if (!cleared.ok()) return cleared;
  }
  Result<int64_t> session = sessions.CreateSession(now, record != nullptr ? "record" : "serve",
                                                   OptionsJson(options), "");
  if (!session.ok()) return session.status().WithContext(path);
  Result<std::unique_ptr<store::BackgroundWriter>> writer =
      store::BackgroundWriter::Start(std::move(*db));
  if (!writer.ok()) return writer.status();
  return SnapshotStorage{std::move(*writer), *session};
}

// Hands each snapshot to the writer: tick 0 in full, later ticks as deltas.
MockHandler::SnapshotSink SnapshotWriter(store::BackgroundWriter* writer, int64_t session_id) {
  return [writer, session_id](const model::SnapshotPtr& snapshot,
                              const std::vector<size_t>& changed) {
    writer->Submit([snapshot, changed, session_id](store::SessionStore& store) {
      std::vector<store::StationRow> rows;
      rows.reserve(changed.size());
      for (size_t i : changed) {
        rows.push_back({snapshot->stations()[i].id, snapshot->json(i).full()});
      }
      return store.InsertSnapshot(session_id, snapshot->tick_index(), snapshot->taken_at(),
                                  rows);
    });
  };
}

// Stops the server from the signal thread; a signal that arrives before the
// server exists stops it as soon as it is armed.
class StopSwitch {
 public:
  void Arm(server::WsServer* server) {
    std::lock_guard<std::mutex> lock(mu_);
    server_ = server;
    if (fired_) server_->Stop();
  }
  void Disarm() {
    std::lock_guard<std::mutex> lock(mu_);
    server_ = nullptr;
  }
  void Fire() {
    std::lock_guard<std::mutex> lock(mu_);
    fired_ = true;
    if (server_ != nullptr) server_->Stop();
  }

 private:
  std::mutex mu_;
  server::WsServer* server_ = nullptr;
  bool fired_ = false;
};

// Re-arms itself after every run: the tick and the log flush.
void Every(server::WsServer* server, Micros interval, std::function<void()> fn) {
  server->After(interval, [server, interval, fn] {
    fn();
    Every(server, interval, fn);
  });
}

Status RunMock(const ServeOptions& options, const RecordOptions* record) {
  // Signals are turned into a stop request before any thread exists, so
  // every later thread inherits the blocked mask.
  StopSwitch stop;
  SignalWaiter signals([&stop](int) { stop.Fire(); });
  SystemClock wall_clock;
  Logger log(&wall_clock, options.log_level);
  std::unique_ptr<ManualClock> virtual_clock;
  if (options.clock_start) virtual_clock = std::make_unique<ManualClock>(*options.clock_start);
  const Clock* data_clock = virtual_clock ? static_cast<const Clock*>(virtual_clock.get())
                                          : &wall_clock;

  Result<std::vector<model::Station>> stations = LoadStations(options, data_clock->Now(), &log);
  if (!stations.ok()) return stations.status();
  Result<SnapshotStorage> storage = OpenStorage(options, record, wall_clock.Now());
  if (!storage.ok()) return storage.status();
  Result<server::TlsConfig> tls = ResolveTls(options.tls, options.tls_cert, options.tls_key, &log);
  if (!tls.ok()) return tls.status();

  auto first = std::make_shared<const model::Snapshot>(std::move(*stations), 0, data_clock->Now());
  MockHandler handler(first, options.seed, data_clock, &log,
                      SnapshotWriter(storage->writer.get(), storage->session_id));
  std::unique_ptr<recorder::Recorder> recorder;
  if (record != nullptr) {
    recorder = std::make_unique<recorder::Recorder>(storage->writer.get(), storage->session_id,
                                                    &wall_clock);
    handler.RecordTo(recorder.get());
    log.Info("Recording session " + std::to_string(storage->session_id) + " into " +
             record->path);
  }

  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.path = options.path;
  server_options.tls = *tls;
  server_options.max_message = options.max_message;
  server_options.max_connections = options.max_connections;
  log.Info("Starting WebSocket server on " + options.host + ":" + std::to_string(options.port));
  Result<std::unique_ptr<server::WsServer>> server =
      server::WsServer::Create(server_options, &handler);
  if (!server.ok()) return server.status();
  server::WsServer* ws = server->get();
  handler.Attach(ws);

  stop.Arm(ws);
  const Micros tick = static_cast<Micros>(std::llround(options.tick_seconds * 1e6));
  if (tick > 0) {
    Every(ws, tick, [&] {
      if (virtual_clock) virtual_clock->Advance(tick);
      handler.Tick();
    });
  }
  Every(ws, kLogFlushInterval, [&log] { log.Flush(); });
  log.Info("Server started at " + ws->url());
  log.Flush();

  Status run = ws->Run();
  stop.Disarm();
  if (recorder) recorder->End();
  Status stored = storage->writer->Flush();
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

Status RunRecord(const ServeOptions& options, const RecordOptions& record) {
  return RunMock(options, &record);
}

}  // namespace wsmock::app
