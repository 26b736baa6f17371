#include "app/snapshot_source.h"

#include "model/station_codec.h"
#include "store/database.h"
#include "store/session_store.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::app {
namespace {

Result<std::vector<model::Station>> ParseRows(const std::vector<store::StationRow>& rows,
                                              const std::string& path, int64_t tick) {
  std::vector<model::Station> stations;
  stations.reserve(rows.size());
  for (const store::StationRow& row : rows) {
    Result<json::JsonPtr> parsed = json::Parse(row.station_json);
    Result<model::Station> station =
        parsed.ok() ? model::StationFromJson(parsed->get(), model::StationRules::kStored)
                    : Result<model::Station>(parsed.status());
    // cJSON's strings end at a NUL, so an imported "a\u0000b" would be served
    // as "a": refused rather than misread.
    if (const size_t nul = json::FirstNulEscape(row.station_json);
        station.ok() && nul != std::string_view::npos) {
      station = Status::InvalidArgument("\\u0000 inside a string is not supported (byte offset " +
                                        std::to_string(nul) + ")");
    }
    if (!station.ok()) {
      return station.status().WithContext(path + ": tick " + std::to_string(tick) + ": station " +
                                          row.station_id);
    }
    stations.push_back(std::move(*station));
  }
  return stations;
}

struct OpenSession {
  std::unique_ptr<store::Database> db;
  int64_t session_id = 0;
  std::vector<store::TickRow> ticks;
};

Result<OpenSession> Open(const std::string& path, std::optional<int64_t> session) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  store::SessionStore store(db->get());
  int64_t id = 0;
  if (session) {
    id = *session;
  } else {
    Result<int64_t> latest = store.LatestSessionId();
    if (!latest.ok()) return Status::NotFound(path + ": holds no session");
    id = *latest;
  }
  Result<std::vector<store::TickRow>> ticks = store.Ticks(id);
  if (!ticks.ok()) return ticks.status();
  if (ticks->empty()) {
    return Status::NotFound(path + ": session " + std::to_string(id) + " has no snapshots");
  }
  return OpenSession{std::move(*db), id, std::move(*ticks)};
}

Result<model::SnapshotPtr> SnapshotAt(store::SessionStore* store, const OpenSession& open,
                                      const std::string& path, const store::TickRow& tick) {
  Result<std::vector<store::StationRow>> rows = store->SnapshotAt(open.session_id, tick.tick_index);
  if (!rows.ok()) return rows.status();
  Result<std::vector<model::Station>> stations = ParseRows(*rows, path, tick.tick_index);
  if (!stations.ok()) return stations.status();
  return std::make_shared<const model::Snapshot>(std::move(*stations), tick.tick_index,
                                                 tick.taken_at);
}

}  // namespace

Result<RecordedSnapshots> LoadRecordedSnapshot(const std::string& path,
                                               std::optional<int64_t> session,
                                               std::optional<int64_t> tick_index) {
  Result<OpenSession> open = Open(path, session);
  if (!open.ok()) return open.status();
  const store::TickRow* chosen = &open->ticks.back();
  if (tick_index) {
    chosen = nullptr;
    for (const store::TickRow& t : open->ticks) {
      if (t.tick_index == *tick_index) chosen = &t;
    }
    if (chosen == nullptr) {
      return Status::NotFound(path + ": session " + std::to_string(open->session_id) +
                              " has no tick " + std::to_string(*tick_index) + " (ticks " +
                              std::to_string(open->ticks.front().tick_index) + ".." +
                              std::to_string(open->ticks.back().tick_index) + ")");
    }
  }
  store::SessionStore store(open->db.get());
  Result<model::SnapshotPtr> snapshot = SnapshotAt(&store, *open, path, *chosen);
  if (!snapshot.ok()) return snapshot.status();
  RecordedSnapshots result;
  result.session_id = open->session_id;
  std::vector<size_t> all((*snapshot)->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  result.snapshots.push_back(std::move(*snapshot));
  result.changed.push_back(std::move(all));
  return result;
}

Result<RecordedSnapshots> LoadRecordedSnapshots(const std::string& path,
                                                std::optional<int64_t> session) {
  Result<OpenSession> open = Open(path, session);
  if (!open.ok()) return open.status();
  store::SessionStore store(open->db.get());
  RecordedSnapshots result;
  result.session_id = open->session_id;
  for (const store::TickRow& tick : open->ticks) {
    Result<model::SnapshotPtr> snapshot = SnapshotAt(&store, *open, path, tick);
    if (!snapshot.ok()) return snapshot.status();
    std::vector<size_t> changed;
    const model::Snapshot& now = **snapshot;
    if (result.snapshots.empty()) {
      for (size_t i = 0; i < now.size(); ++i) changed.push_back(i);
    } else {
      const model::Snapshot& before = *result.snapshots.back();
      for (size_t i = 0; i < now.size(); ++i) {
        int64_t j = before.IndexOf(now.station(i).id);
        if (j < 0 || !(before.station(static_cast<size_t>(j)) == now.station(i))) {
          changed.push_back(i);
        }
      }
    }
    result.snapshots.push_back(std::move(*snapshot));
    result.changed.push_back(std::move(changed));
  }
  return result;
}

}  // namespace wsmock::app
