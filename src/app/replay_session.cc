#include "app/replay_session.h"

#include <memory>

#include "store/database.h"

namespace wsmock::app {
namespace {

// The columns of store::SessionStore's session rows, without the counts.
constexpr const char* kSessionColumns =
    "SELECT id, started_at_us, ended_at_us, mode, wsmock_version, options_json, upstream "
    "FROM sessions ";

std::optional<int64_t> OptionalInt(const store::Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return stmt.ColumnInt64(index);
}

std::optional<std::string> OptionalText(const store::Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return std::string(stmt.ColumnText(index));
}

// The session's row; NotFound (the caller words it) when there is none.
Result<store::SessionInfo> ReadSessionRow(store::Database* db, std::optional<int64_t> session) {
  const std::string sql = std::string(kSessionColumns) +
                          (session ? "WHERE id = ?1" : "ORDER BY id DESC LIMIT 1");
  Result<store::Statement> stmt = db->Prepare(sql.c_str());
  if (!stmt.ok()) return stmt.status();
  if (session) stmt->BindInt64(1, *session);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no session");
  store::SessionInfo info;
  info.id = stmt->ColumnInt64(0);
  info.started_at = stmt->ColumnInt64(1);
  info.ended_at = OptionalInt(*stmt, 2);
  info.mode = stmt->ColumnText(3);
  info.wsmock_version = stmt->ColumnText(4);
  info.options_json = stmt->ColumnText(5);
  info.upstream = stmt->ColumnText(6);  // NULL reads as empty
  return info;
}

// NOT INDEXED: a sequential read of the table in rowid order, as
// SessionStore::Messages does, without its sort.
Result<std::vector<store::MessageRow>> ReadMessages(store::Database* db, int64_t session_id) {
  Result<store::Statement> stmt = db->Prepare(
      "SELECT connection_id, seq, offset_us, direction, kind, action, request_id, payload, "
      "is_binary FROM messages NOT INDEXED WHERE session_id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt64(1, session_id);
  std::vector<store::MessageRow> rows;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    store::MessageRow& m = rows.emplace_back();
    m.session_id = session_id;
    m.connection_id = stmt->ColumnInt64(0);
    m.seq = stmt->ColumnInt64(1);
    m.offset = stmt->ColumnInt64(2);
    m.direction = stmt->ColumnText(3);
    m.kind = stmt->ColumnText(4);
    m.action = OptionalText(*stmt, 5);
    m.request_id = OptionalText(*stmt, 6);
    m.payload = stmt->ColumnBlob(7);
    m.binary = stmt->ColumnInt64(8) != 0;
  }
}

}  // namespace

Result<ReplaySession> LoadReplaySession(const std::string& path, std::optional<int64_t> session) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  ReplaySession loaded;
  Result<store::SessionInfo> info = ReadSessionRow(db->get(), session);
  if (!info.ok()) {
    if (info.status().code() != Status::Code::kNotFound) return info.status().WithContext(path);
    if (!session) return Status::NotFound(path + ": holds no session");
    return Status::NotFound(path + ": no session " + std::to_string(*session) +
                            " (see wsmock sessions " + path + ")");
  }
  loaded.info = std::move(*info);
  store::SessionStore store(db->get());
  Result<std::vector<store::ConnectionRow>> connections = store.Connections(loaded.info.id);
  if (!connections.ok()) return connections.status();
  loaded.connections = std::move(*connections);
  Result<std::vector<store::MessageRow>> messages = ReadMessages(db->get(), loaded.info.id);
  if (!messages.ok()) return messages.status().WithContext(path);
  loaded.messages = std::move(*messages);
  return loaded;
}

}  // namespace wsmock::app
