#include "transfer/stored_sessions.h"

#include <utility>

namespace wsmock::transfer {
namespace {

Status WriteRecord(store::SessionStore* store, const SessionRecord& record, int64_t* new_id) {
  Result<int64_t> id = store->InsertSession(record.info);
  if (!id.ok()) return id.status();
  *new_id = *id;
  for (store::ConnectionRow row : record.connections) {
    row.session_id = *id;
    WSMOCK_RETURN_IF_ERROR(store->InsertConnection(row));
  }
  for (store::MessageRow row : record.messages) {
    row.session_id = *id;
    WSMOCK_RETURN_IF_ERROR(store->InsertMessage(row));
  }
  for (const SnapshotRows& snapshot : record.snapshots) {
    WSMOCK_RETURN_IF_ERROR(store->InsertSnapshot(*id, snapshot.tick.tick_index,
                                                 snapshot.tick.taken_at, snapshot.stations));
  }
  return Status::Ok();
}

}  // namespace

Result<SessionRecord> ReadSessionRecord(store::SessionStore* store,
                                        const store::SessionInfo& info) {
  SessionRecord record;
  record.info = info;
  Result<std::vector<store::ConnectionRow>> connections = store->Connections(info.id);
  if (!connections.ok()) return connections.status();
  record.connections = std::move(*connections);
  Result<std::vector<store::MessageRow>> messages = store->Messages(info.id);
  if (!messages.ok()) return messages.status();
  record.messages = std::move(*messages);
  Result<std::vector<store::TickRow>> ticks = store->Ticks(info.id);
  if (!ticks.ok()) return ticks.status();
  for (const store::TickRow& tick : *ticks) {
    Result<std::vector<store::StationRow>> rows = store->SnapshotDelta(info.id, tick.tick_index);
    if (!rows.ok()) return rows.status();
    record.snapshots.push_back(SnapshotRows{tick, std::move(*rows)});
  }
  return record;
}

Result<std::vector<int64_t>> WriteSessionRecords(store::Database* db,
                                                 const std::vector<SessionRecord>& records) {
  WSMOCK_RETURN_IF_ERROR(db->Begin());
  store::SessionStore store(db);
  std::vector<int64_t> ids(records.size());
  Status s;
  for (size_t i = 0; i < records.size() && s.ok(); ++i) {
    s = WriteRecord(&store, records[i], &ids[i]);
  }
  if (s.ok()) s = db->Commit();
  if (!s.ok()) {
    db->Rollback();
    return s;
  }
  return ids;
}

}  // namespace wsmock::transfer
