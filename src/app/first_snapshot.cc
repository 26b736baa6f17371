#include "app/first_snapshot.h"

#include <memory>
#include <vector>

#include "app/snapshot_source.h"
#include "generator/station_generator.h"
#include "model/fixture_loader.h"

namespace wsmock::app {

Result<model::SnapshotPtr> FirstSnapshot(ServeOptions* pinned, Micros now, Logger* log) {
  const ServeOptions& options = *pinned;
  if (!options.from.empty()) {
    Result<RecordedSnapshots> recorded =
        LoadRecordedSnapshot(options.from, options.from_session, options.tick_index);
    if (!recorded.ok()) return recorded.status();
    model::SnapshotPtr first = recorded->snapshots.front();
    pinned->from_session = recorded->session_id;
    pinned->tick_index = first->tick_index();
    log->Info("Loaded " + std::to_string(first->size()) + " stations from " + options.from +
              " (session " + std::to_string(recorded->session_id) + ", tick " +
              std::to_string(first->tick_index()) + ")");
    return first;
  }
  std::vector<model::Station> stations;
  if (!options.fixture.empty()) {
    Result<std::vector<model::Station>> loaded = model::LoadFixture(options.fixture);
    if (!loaded.ok()) return loaded.status();
    stations = std::move(*loaded);
    log->Info("Loaded " + std::to_string(stations.size()) + " stations from " + options.fixture);
  } else {
    stations = generator::GenerateStations(options.seed, options.stations, now);
    log->Info("Generated " + std::to_string(stations.size()) + " stations (seed " +
              std::to_string(options.seed) + ")");
  }
  return std::make_shared<const model::Snapshot>(std::move(stations), 0, now);
}

}  // namespace wsmock::app
