#include "store/session_store.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <utility>

#include "store/message_journal.h"
#include "store/schema.h"

namespace wsmock::store {

namespace {

// Indexed by SessionStore::Query.
constexpr const char* kCachedSql[] = {
    "INSERT INTO sessions (started_at_us, started_at, mode, wsmock_version, options_json, "
    "upstream) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "UPDATE sessions SET ended_at_us = ?2 WHERE id = ?1",
    "INSERT INTO connections (session_id, id, opened_at_us, closed_at_us, peer, path, "
    "close_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "UPDATE connections SET closed_at_us = ?3, close_code = ?4 WHERE session_id = ?1 AND id = ?2",
    "INSERT INTO messages (session_id, connection_id, seq, offset_us, direction, kind, action, "
    "request_id, payload, is_binary) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO snapshots (session_id, tick_index, taken_at_us) VALUES (?1, ?2, ?3)",
    "INSERT INTO snapshot_stations (session_id, tick_index, station_id, station_json) "
    "VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO message_journal (session_id, message_count, packed) VALUES (?1, ?2, ?3)",
    "SELECT id, session_id, packed FROM message_journal ORDER BY id LIMIT 1",
    "DELETE FROM message_journal WHERE id = ?1",
};

template <typename T>
void BindOptionalInt(Statement* stmt, int index, const std::optional<T>& value) {
  if (value.has_value()) {
    stmt->BindInt64(index, *value);
  } else {
    stmt->BindNull(index);
  }
}

// The parameters of one row of an INSERT INTO messages, 10 per row.
constexpr const char* kMessageValues = "(?,?,?,?,?,?,?,?,?,?)";

// Binds without a copy: REQUIRES as for Statement::BindTextRef.
void BindOptionalTextRef(Statement* stmt, int index, const std::optional<std::string_view>& value) {
  if (value.has_value()) {
    stmt->BindTextRef(index, *value);
  } else {
    stmt->BindNull(index);
  }
}

// Binds `message` of `session_id` as row `index` (from 0) of an INSERT INTO
// messages. Its bytes outlive the Run() that follows, and every parameter
// is bound again before each, so nothing need be copied into SQLite first.
void BindMessage(Statement* st, int index, int64_t session_id, const JournalMessage& message) {
  const int p = index * 10;
  st->BindInt64(p + 1, session_id).BindInt64(p + 2, message.connection_id);
  st->BindInt64(p + 3, message.seq).BindInt64(p + 4, message.offset);
  st->BindTextRef(p + 5, message.direction).BindTextRef(p + 6, message.kind);
  BindOptionalTextRef(st, p + 7, message.action);
  BindOptionalTextRef(st, p + 8, message.request_id);
  st->BindBlobRef(p + 9, message.payload).BindInt64(p + 10, message.binary ? 1 : 0);
}

std::optional<int64_t> OptionalInt(const Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return stmt.ColumnInt64(index);
}

std::optional<std::string> OptionalText(const Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return std::string(stmt.ColumnText(index));
}

// Runs a query whose single row holds one value that may be NULL.
Result<std::optional<int64_t>> QueryOptionalInt(Statement* stmt) {
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return OptionalInt(*stmt, 0);
}

// Reads every row of `stmt` with `read_row`, which returns one T.
template <typename T, typename ReadRow>
Result<std::vector<T>> ReadAll(Statement* stmt, ReadRow read_row) {
  std::vector<T> rows;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    rows.push_back(read_row(*stmt));
  }
}

SessionInfo ReadSession(const Statement& stmt) {
  SessionInfo info;
  info.id = stmt.ColumnInt64(0);
  info.started_at = stmt.ColumnInt64(1);
  info.ended_at = OptionalInt(stmt, 2);
  info.mode = stmt.ColumnText(3);
  info.wsmock_version = stmt.ColumnText(4);
  info.options_json = stmt.ColumnText(5);
  info.upstream = stmt.ColumnText(6);  // NULL reads as empty
  info.connection_count = stmt.ColumnInt64(7);
  info.message_count = stmt.ColumnInt64(8);
  return info;
}

ConnectionRow ReadConnection(const Statement& stmt) {
  ConnectionRow row;
  row.session_id = stmt.ColumnInt64(0);
  row.id = stmt.ColumnInt64(1);
  row.opened_at = stmt.ColumnInt64(2);
  row.closed_at = OptionalInt(stmt, 3);
  row.peer = stmt.ColumnText(4);
  row.path = stmt.ColumnText(5);
  if (!stmt.ColumnIsNull(6)) row.close_code = static_cast<int>(stmt.ColumnInt64(6));
  return row;
}

MessageRow ReadMessage(const Statement& stmt) {
  MessageRow row;
  row.session_id = stmt.ColumnInt64(0);
  row.connection_id = stmt.ColumnInt64(1);
  row.seq = stmt.ColumnInt64(2);
  row.offset = stmt.ColumnInt64(3);
  row.direction = stmt.ColumnText(4);
  row.kind = stmt.ColumnText(5);
  row.action = OptionalText(stmt, 6);
  row.request_id = OptionalText(stmt, 7);
  row.payload = stmt.ColumnBlob(8);
  row.binary = stmt.ColumnInt64(9) != 0;
  return row;
}

StationRow ReadStation(const Statement& stmt) {
  return StationRow{std::string(stmt.ColumnText(0)), std::string(stmt.ColumnText(1))};
}

}  // namespace

SessionStore::SessionStore(Database* db) : db_(db) {}

Result<Statement*> SessionStore::Cached(Query query) {
  std::optional<Statement>& slot = cache_[query];
  if (!slot.has_value()) {
    Result<Statement> stmt = db_->Prepare(kCachedSql[query]);
    if (!stmt.ok()) return stmt.status();
    slot.emplace(std::move(stmt).value());
  }
  return &*slot;
}

Result<int64_t> SessionStore::CreateSession(Micros started_at, std::string_view mode,
                                            std::string_view options_json,
                                            std::string_view upstream) {
  Result<Statement*> stmt = Cached(kInsertSession);
  if (!stmt.ok()) return Context(stmt.status());
  (*stmt)->BindInt64(1, started_at).BindText(2, FormatIso8601(started_at)).BindText(3, mode);
  (*stmt)->BindText(4, WSMOCK_VERSION).BindText(5, options_json);
  if (upstream.empty()) {
    (*stmt)->BindNull(6);
  } else {
    (*stmt)->BindText(6, upstream);
  }
  Status s = (*stmt)->Run();
  if (!s.ok()) return Context(s);
  return db_->LastInsertRowId();
}

Status SessionStore::EndSession(int64_t session_id, Micros ended_at) {
  Result<Statement*> stmt = Cached(kEndSession);
  if (!stmt.ok()) return Context(stmt.status());
  Status s = (*stmt)->BindInt64(1, session_id).BindInt64(2, ended_at).Run();
  if (s.ok() && db_->Changes() == 0) {
    s = Status::NotFound("no session " + std::to_string(session_id));
  }
  return Context(s);
}

Status SessionStore::InsertConnection(const ConnectionRow& row) {
  Result<Statement*> stmt = Cached(kInsertConnection);
  if (!stmt.ok()) return Context(stmt.status());
  Statement* st = *stmt;
  st->BindInt64(1, row.session_id).BindInt64(2, row.id).BindInt64(3, row.opened_at);
  BindOptionalInt(st, 4, row.closed_at);
  st->BindText(5, row.peer).BindText(6, row.path);
  BindOptionalInt(st, 7, row.close_code);
  return Context(st->Run());
}

Status SessionStore::CloseConnection(int64_t session_id, int64_t id, Micros closed_at,
                                     int close_code) {
  Result<Statement*> stmt = Cached(kCloseConnection);
  if (!stmt.ok()) return Context(stmt.status());
  Status s = (*stmt)
                 ->BindInt64(1, session_id)
                 .BindInt64(2, id)
                 .BindInt64(3, closed_at)
                 .BindInt64(4, close_code)
                 .Run();
  if (s.ok() && db_->Changes() == 0) {
    s = Status::NotFound("no connection " + std::to_string(id) + " in session " +
                         std::to_string(session_id));
  }
  return Context(s);
}

Status SessionStore::InsertMessage(const MessageRow& row) {
  Result<Statement*> stmt = Cached(kInsertMessage);
  if (!stmt.ok()) return Context(stmt.status());
  BindMessage(*stmt, 0, row.session_id, JournalMessage::Of(row));
  return Context((*stmt)->Run());
}

Result<Statement*> SessionStore::CachedMultiInsert(size_t rows) {
  std::optional<Statement>& slot = rows == kRowsLarge ? insert_large_ : insert_small_;
  if (!slot.has_value()) {
    std::string sql =
        "INSERT INTO messages (session_id, connection_id, seq, offset_us, direction, kind, "
        "action, request_id, payload, is_binary) VALUES ";
    for (size_t i = 0; i < rows; ++i) sql.append(i == 0 ? "" : ",").append(kMessageValues);
    Result<Statement> stmt = db_->Prepare(sql.c_str());
    if (!stmt.ok()) return stmt.status();
    slot.emplace(std::move(stmt).value());
  }
  return &*slot;
}

Status SessionStore::InsertMessages(const std::vector<MessageRow>& rows) {
  // Runs of one session share a call; a session changes rarely, if ever.
  std::vector<JournalMessage> run;
  for (size_t i = 0; i < rows.size(); ++i) {
    run.push_back(JournalMessage::Of(rows[i]));
    if (i + 1 == rows.size() || rows[i + 1].session_id != rows[i].session_id) {
      WSMOCK_RETURN_IF_ERROR(InsertMessages(rows[i].session_id, run));
      run.clear();
    }
  }
  return Status::Ok();
}

Status SessionStore::InsertMessages(int64_t session_id,
                                    const std::vector<JournalMessage>& messages) {
  size_t i = 0;
  for (size_t chunk : {kRowsLarge, kRowsSmall, size_t{1}}) {
    if (messages.size() - i < chunk) continue;
    Result<Statement*> stmt = chunk == 1 ? Cached(kInsertMessage) : CachedMultiInsert(chunk);
    if (!stmt.ok()) return Context(stmt.status());
    for (; messages.size() - i >= chunk; i += chunk) {
      for (size_t r = 0; r < chunk; ++r) {
        BindMessage(*stmt, static_cast<int>(r), session_id, messages[i + r]);
      }
      WSMOCK_RETURN_IF_ERROR(Context((*stmt)->Run()));
    }
  }
  return Status::Ok();
}

Status SessionStore::AppendJournal(int64_t session_id, int64_t message_count,
                                   std::string_view packed) {
  Result<Statement*> stmt = Cached(kAppendJournal);
  if (!stmt.ok()) return Context(stmt.status());
  (*stmt)->BindInt64(1, session_id).BindInt64(2, message_count).BindBlobRef(3, packed);
  WSMOCK_RETURN_IF_ERROR(Context((*stmt)->Run()));
  journaled_ += message_count;
  return Status::Ok();
}

Status SessionStore::AppendJournalCopies(const MessageRow& row,
                                         std::span<const MessageCopy> copies) {
  FlaggedMessage message = FlaggedMessage::Of(JournalMessage::Of(row));
  JournalPacker packer;
  std::string packed;
  int64_t count = 0;
  for (const MessageCopy& copy : copies) {
    message.connection_id = copy.connection_id;
    message.seq = copy.seq;
    message.offset = copy.offset;
    packer.Append(message, &packed);
    ++count;
    // Copies of a payload too large for deltas are written whole: rows are
    // bounded by what they hold as well as by what they rebuild.
    if (packer.rebuilt_bytes() > kRowRebuiltBytes || packed.size() > kRowRebuiltBytes) {
      WSMOCK_RETURN_IF_ERROR(AppendJournal(row.session_id, count, packed));
      packed.clear();
      count = 0;
      packer.Reset();  // a row reads on its own
    }
  }
  if (count == 0) return Status::Ok();
  return AppendJournal(row.session_id, count, packed);
}

Result<int64_t> SessionStore::SettleJournal(int64_t at_least, size_t at_most_bytes) {
  if (!HasJournal()) return 0;
  int64_t moved = 0;
  size_t bytes = 0;
  bool found = true;
  while (found && moved < at_least && bytes < at_most_bytes) {
    Result<int64_t> row = SettleOldestJournalRow(&found);
    if (!row.ok()) return row.status();
    moved += *row;
    bytes += settle_buffer_.size();
  }
  return moved;
}

Result<int64_t> SessionStore::SettleOldestJournalRow(bool* found) {
  Result<Statement*> oldest = Cached(kOldestJournalRow);
  if (!oldest.ok()) return Context(oldest.status());
  Result<bool> row = (*oldest)->Step();
  *found = row.ok() && *row;
  if (!*found) {
    (*oldest)->Reset();
    return row.ok() ? Result<int64_t>(0) : Context(row.status());
  }
  const int64_t id = (*oldest)->ColumnInt64(0);
  const int64_t session_id = (*oldest)->ColumnInt64(1);
  // The blob's view lasts only until the statement moves on.
  settle_buffer_.assign((*oldest)->ColumnBlob(2));
  (*oldest)->Reset();
  std::vector<JournalMessage> messages;
  std::deque<std::string> rebuilt;
  Status s = ReadJournal(settle_buffer_, &messages, &rebuilt);
  if (!s.ok()) return Context(s.WithContext("message journal row " + std::to_string(id)));
  WSMOCK_RETURN_IF_ERROR(InsertMessages(session_id, messages));
  Result<Statement*> remove = Cached(kDeleteJournalRow);
  if (!remove.ok()) return Context(remove.status());
  WSMOCK_RETURN_IF_ERROR(Context((*remove)->BindInt64(1, id).Run()));
  return static_cast<int64_t>(messages.size());
}

Result<int64_t> SessionStore::JournalBacklog() {
  if (!HasJournal()) return 0;
  Result<Statement> stmt = db_->Prepare("SELECT coalesce(sum(message_count), 0) FROM message_journal");
  if (!stmt.ok()) return Context(stmt.status());
  Result<std::optional<int64_t>> count = QueryOptionalInt(&*stmt);
  if (!count.ok()) return Context(count.status());
  return count->value_or(0);
}

bool SessionStore::HasJournal() const { return db_->schema_version() >= kJournalVersion; }

Status SessionStore::InsertSnapshot(int64_t session_id, int64_t tick_index, Micros taken_at,
                                    const std::vector<StationRow>& stations) {
  // A savepoint makes the snapshot all-or-nothing whether or not the caller
  // holds a transaction (BEGIN cannot nest; savepoints can).
  Status s = db_->Exec("SAVEPOINT wsmock_snapshot");
  if (!s.ok()) return Context(s);
  Result<Statement*> stmt = Cached(kInsertSnapshot);
  s = stmt.status();
  if (s.ok())
    s = (*stmt)->BindInt64(1, session_id).BindInt64(2, tick_index).BindInt64(3, taken_at).Run();
  if (s.ok()) s = InsertStations(session_id, tick_index, stations);
  if (s.ok()) return Context(db_->Exec("RELEASE wsmock_snapshot"));
  db_->Exec("ROLLBACK TO wsmock_snapshot; RELEASE wsmock_snapshot");
  return Context(s);
}

Status SessionStore::InsertStations(int64_t session_id, int64_t tick_index,
                                    const std::vector<StationRow>& stations) {
  Result<Statement*> stmt = Cached(kInsertStation);
  if (!stmt.ok()) return stmt.status();
  for (const StationRow& station : stations) {
    WSMOCK_RETURN_IF_ERROR((*stmt)
                               ->BindInt64(1, session_id)
                               .BindInt64(2, tick_index)
                               .BindText(3, station.station_id)
                               .BindText(4, station.station_json)
                               .Run());
  }
  return Status::Ok();
}

Result<std::vector<SessionInfo>> SessionStore::ListSessions() {
  // A version 1 file, read as it is, has no journal to count.
  const std::string journaled =
      HasJournal() ? " + (SELECT coalesce(sum(message_count), 0) FROM message_journal "
                     "WHERE session_id = s.id)"
                   : "";
  const std::string sql =
      "SELECT id, started_at_us, ended_at_us, mode, wsmock_version, options_json, upstream, "
      "(SELECT count(*) FROM connections WHERE session_id = s.id), "
      "(SELECT count(*) FROM messages WHERE session_id = s.id)" +
      journaled + " FROM sessions AS s ORDER BY id";
  Result<Statement> stmt = db_->Prepare(sql.c_str());
  if (!stmt.ok()) return Context(stmt.status());
  Result<std::vector<SessionInfo>> rows = ReadAll<SessionInfo>(&*stmt, ReadSession);
  if (!rows.ok()) return Context(rows.status());
  return rows;
}

Result<int64_t> SessionStore::LatestSessionId() {
  Result<Statement> stmt = db_->Prepare("SELECT max(id) FROM sessions");
  if (!stmt.ok()) return Context(stmt.status());
  Result<std::optional<int64_t>> id = QueryOptionalInt(&*stmt);
  if (!id.ok()) return Context(id.status());
  if (!id->has_value()) return Context(Status::NotFound("no sessions"));
  return **id;
}

Result<std::vector<ConnectionRow>> SessionStore::Connections(int64_t session_id) {
  Result<Statement> stmt = db_->Prepare(
      "SELECT session_id, id, opened_at_us, closed_at_us, peer, path, close_code "
      "FROM connections WHERE session_id = ?1 ORDER BY id");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id);
  Result<std::vector<ConnectionRow>> rows = ReadAll<ConnectionRow>(&*stmt, ReadConnection);
  if (!rows.ok()) return Context(rows.status());
  return rows;
}

Result<SessionInfo> SessionStore::Session(std::optional<int64_t> id) {
  // ReadSession's columns, with zeros for the counts, which cost a scan.
  const std::string sql =
      std::string("SELECT id, started_at_us, ended_at_us, mode, wsmock_version, options_json, "
                  "upstream, 0, 0 FROM sessions ") +
      (id ? "WHERE id = ?1" : "ORDER BY id DESC LIMIT 1");
  Result<Statement> stmt = db_->Prepare(sql.c_str());
  if (!stmt.ok()) return Context(stmt.status());
  if (id) stmt->BindInt64(1, *id);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return Context(row.status());
  if (!*row) {
    return Context(Status::NotFound(id ? "no session " + std::to_string(*id) : "no sessions"));
  }
  return ReadSession(*stmt);
}

Result<std::vector<MessageRow>> SessionStore::Messages(int64_t session_id, Order order) {
  ReadSnapshot snapshot(db_);
  if (!snapshot.status().ok()) return Context(snapshot.status());
  Result<int64_t> bound = MessageBound(session_id);
  if (!bound.ok()) return bound.status();
  std::vector<MessageRow> rows;
  rows.reserve(static_cast<size_t>(*bound));
  WSMOCK_RETURN_IF_ERROR(AppendStoredMessages(session_id, std::numeric_limits<int64_t>::min(),
                                              std::numeric_limits<int64_t>::max(), &rows));
  WSMOCK_RETURN_IF_ERROR(AppendJournaledMessages(session_id, &rows));
  FitRows(&rows);
  if (order == Order::kByConnection) SortByConnection(&rows);
  return rows;
}

Status SessionStore::AppendStoredMessages(int64_t session_id, int64_t first_rowid,
                                          int64_t last_rowid, std::vector<MessageRow>* rows) {
  // NOT INDEXED reads the table in rowid order, sequentially: walking the
  // primary key instead costs one table lookup per row, three times the
  // whole read for a large session. The rowid range still seeks.
  Result<Statement> stmt = db_->Prepare(
      "SELECT session_id, connection_id, seq, offset_us, direction, kind, action, request_id, "
      "payload, is_binary FROM messages NOT INDEXED "
      "WHERE session_id = ?1 AND rowid BETWEEN ?2 AND ?3");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id).BindInt64(2, first_rowid).BindInt64(3, last_rowid);
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return Context(row.status());
    if (!*row) return Status::Ok();
    rows->push_back(ReadMessage(*stmt));
  }
}

Result<int64_t> SessionStore::LastMessageRowid() {
  Result<Statement> stmt = db_->Prepare("SELECT coalesce(max(rowid), 0) FROM messages");
  if (!stmt.ok()) return Context(stmt.status());
  Result<std::optional<int64_t>> last = QueryOptionalInt(&*stmt);
  if (!last.ok()) return Context(last.status());
  return last->value_or(0);
}

Result<int64_t> SessionStore::MessageBound(int64_t session_id) {
  // A count would read the whole primary-key index (18 ms at 100,000 rows);
  // the largest rowid is one b-tree descent and bounds every session's rows
  // at once, which for the usual file of one session is the count. Capped:
  // a small session of a large file reserves at most 2^18 rows (56 MB of
  // address space, which only the rows read touch), and FitRows gives back
  // what it did not use.
  constexpr int64_t kMaxBound = 1 << 18;
  Result<int64_t> last = LastMessageRowid();
  if (!last.ok()) return last.status();
  int64_t journaled = 0;
  if (HasJournal()) {
    Result<Statement> stmt = db_->Prepare(
        "SELECT coalesce(sum(message_count), 0) FROM message_journal WHERE session_id = ?1");
    if (!stmt.ok()) return Context(stmt.status());
    stmt->BindInt64(1, session_id);
    Result<std::optional<int64_t>> count = QueryOptionalInt(&*stmt);
    if (!count.ok()) return Context(count.status());
    journaled = count->value_or(0);
  }
  return std::clamp<int64_t>(*last, 0, kMaxBound) + std::clamp<int64_t>(journaled, 0, kMaxBound);
}

void SessionStore::FitRows(std::vector<MessageRow>* rows) {
  if (rows->capacity() > 2 * rows->size() + 4096) rows->shrink_to_fit();
}

void SessionStore::SortByConnection(std::vector<MessageRow>* rows) {
  // Sorting the rows themselves moved every 200-byte row a dozen times:
  // sort their positions, then move each row once.
  std::vector<uint32_t> order(rows->size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [rows](uint32_t a, uint32_t b) {
    const MessageRow& x = (*rows)[a];
    const MessageRow& y = (*rows)[b];
    return x.connection_id != y.connection_id ? x.connection_id < y.connection_id : x.seq < y.seq;
  });
  std::vector<MessageRow> sorted;
  sorted.reserve(rows->size());
  for (uint32_t i : order) sorted.push_back(std::move((*rows)[i]));
  rows->swap(sorted);
}

Status SessionStore::AppendJournaledMessages(int64_t session_id, std::vector<MessageRow>* rows) {
  if (!HasJournal()) return Status::Ok();
  Result<Statement> stmt =
      db_->Prepare("SELECT id, packed FROM message_journal WHERE session_id = ?1 ORDER BY id");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id);
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return Context(row.status());
    if (!*row) return Status::Ok();
    Status s = ReadJournal(stmt->ColumnBlob(1), session_id, rows);
    if (!s.ok()) return Context(s.WithContext("message journal row " + std::to_string(stmt->ColumnInt64(0))));
  }
}

Result<int64_t> SessionStore::LastTickIndex(int64_t session_id) {
  Result<Statement> stmt =
      db_->Prepare("SELECT max(tick_index) FROM snapshots WHERE session_id = ?1");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id);
  Result<std::optional<int64_t>> tick = QueryOptionalInt(&*stmt);
  if (!tick.ok()) return Context(tick.status());
  if (!tick->has_value()) {
    return Context(Status::NotFound("session " + std::to_string(session_id) + " has no snapshots"));
  }
  return **tick;
}

Result<bool> SessionStore::HasTick(int64_t session_id, int64_t tick_index) {
  Result<Statement> stmt =
      db_->Prepare("SELECT 1 FROM snapshots WHERE session_id = ?1 AND tick_index = ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt64(1, session_id).BindInt64(2, tick_index);
  return stmt->Step();
}

Result<std::vector<StationRow>> SessionStore::SnapshotAt(int64_t session_id, int64_t tick_index) {
  Result<bool> has_tick = HasTick(session_id, tick_index);
  if (!has_tick.ok()) return Context(has_tick.status());
  if (!*has_tick) {
    return Context(Status::NotFound("session " + std::to_string(session_id) + " has no tick " +
                                    std::to_string(tick_index)));
  }
  // SQLite documents that with a lone max() the other bare columns come from
  // the row holding the maximum: here each station's latest row up to N.
  Result<Statement> stmt = db_->Prepare(
      "SELECT station_id, station_json, max(tick_index) FROM snapshot_stations "
      "WHERE session_id = ?1 AND tick_index <= ?2 GROUP BY station_id ORDER BY station_id");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id).BindInt64(2, tick_index);
  Result<std::vector<StationRow>> rows = ReadAll<StationRow>(&*stmt, ReadStation);
  if (!rows.ok()) return Context(rows.status());
  return rows;
}

Status SessionStore::DeleteAllSessions() {
  // Children first: the tables reference sessions.
  constexpr const char* kDeleteAll =
      "DELETE FROM snapshot_stations; DELETE FROM snapshots; DELETE FROM message_journal; "
      "DELETE FROM messages; DELETE FROM connections; DELETE FROM sessions;";
  if (db_->InTransaction()) return Context(db_->Exec(kDeleteAll));
  // With foreign keys enforced SQLite deletes row by row, to keep count of
  // references; every table is emptied here, so none can dangle, and without
  // the checks it drops whole tables at once: --overwrite of a 250 MB file
  // went from 4 s to a moment. The pragma is a no-op inside a transaction.
  WSMOCK_RETURN_IF_ERROR(Context(db_->Exec("PRAGMA foreign_keys=OFF")));
  Status s = db_->Begin();
  if (s.ok()) s = db_->Exec(kDeleteAll);
  if (s.ok()) s = db_->Commit();
  if (!s.ok()) db_->Rollback();
  Status on = db_->Exec("PRAGMA foreign_keys=ON");
  return Context(s.ok() ? on : s);
}

Result<std::vector<TickRow>> SessionStore::Ticks(int64_t session_id) {
  Result<Statement> stmt = db_->Prepare(
      "SELECT tick_index, taken_at_us FROM snapshots WHERE session_id = ?1 ORDER BY tick_index");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id);
  Result<std::vector<TickRow>> rows = ReadAll<TickRow>(&*stmt, [](const Statement& row) {
    return TickRow{row.ColumnInt64(0), row.ColumnInt64(1)};
  });
  if (!rows.ok()) return Context(rows.status());
  return rows;
}

Result<std::vector<StationRow>> SessionStore::SnapshotDelta(int64_t session_id,
                                                            int64_t tick_index) {
  Result<Statement> stmt = db_->Prepare(
      "SELECT station_id, station_json FROM snapshot_stations "
      "WHERE session_id = ?1 AND tick_index = ?2 ORDER BY station_id");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, session_id).BindInt64(2, tick_index);
  Result<std::vector<StationRow>> rows = ReadAll<StationRow>(&*stmt, ReadStation);
  if (!rows.ok()) return Context(rows.status());
  return rows;
}

Result<int64_t> SessionStore::InsertSession(const SessionInfo& info) {
  Result<Statement> stmt = db_->Prepare(
      "INSERT INTO sessions (started_at_us, started_at, mode, wsmock_version, options_json, "
      "upstream, ended_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return Context(stmt.status());
  stmt->BindInt64(1, info.started_at).BindText(2, FormatIso8601(info.started_at));
  stmt->BindText(3, info.mode).BindText(4, info.wsmock_version).BindText(5, info.options_json);
  if (info.upstream.empty()) {
    stmt->BindNull(6);
  } else {
    stmt->BindText(6, info.upstream);
  }
  BindOptionalInt(&*stmt, 7, info.ended_at);
  Status s = stmt->Run();
  if (!s.ok()) return Context(s);
  return db_->LastInsertRowId();
}

}  // namespace wsmock::store
