// SessionStore: the typed API over the tables of a wsmock file (sessions,
// connections, messages and their journal, snapshots), in plain structs that know nothing of
// the protocol. One thread at a time; wraps a Database it does not own,
// which must outlive it. Errors name the file.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::store {

struct SessionInfo {
  int64_t id = 0;
  Micros started_at = 0;
  std::optional<Micros> ended_at;  // none while running or after a crash
  std::string mode;                // serve, record, proxy or import
  std::string wsmock_version;
  std::string options_json;
  std::string upstream;  // empty when there was none
  int64_t connection_count = 0;
  int64_t message_count = 0;
};

struct ConnectionRow {
  int64_t session_id = 0;
  int64_t id = 0;  // per session from 1
  Micros opened_at = 0;
  std::optional<Micros> closed_at;
  std::string peer;  // the client's IP address, "127.0.0.1"
  std::string path;  // "/ws"
  std::optional<int> close_code;
};

struct MessageRow {
  int64_t session_id = 0;
  int64_t connection_id = 0;
  int64_t seq = 0;        // per connection from 1
  Micros offset = 0;      // since the connection opened
  std::string direction;  // "in" (from the client) or "out"
  std::string kind;       // request, response, error, update or other
  std::optional<std::string> action;
  std::optional<std::string> request_id;  // JSON text of the requestId
  std::string payload;                    // exact frame bytes
  bool binary = false;
};

// One message as views, for writing without copies (message_journal.h).
struct JournalMessage;

// Where one copy of a message sent to many connections (a push) goes.
struct MessageCopy {
  int64_t connection_id = 0;
  int64_t seq = 0;
  Micros offset = 0;
};

struct TickRow {
  int64_t tick_index = 0;
  Micros taken_at = 0;
};

struct StationRow {
  std::string station_id;
  std::string station_json;
};

class SessionStore {
 public:
  // REQUIRES: `db` outlives this store.
  explicit SessionStore(Database* db);
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  // Writes. Each is atomic; inside a transaction of the caller's it joins it.
  // Returns the new session's id. An empty `upstream` is stored as NULL.
  Result<int64_t> CreateSession(Micros started_at, std::string_view mode,
                                std::string_view options_json, std::string_view upstream);
  Status EndSession(int64_t session_id, Micros ended_at);  // NotFound if no such session
  // Deletes every session and all that belongs to them (record --overwrite).
  // REQUIRES: a file of the current schema version (opened for writing).
  Status DeleteAllSessions();
  Status InsertConnection(const ConnectionRow& row);
  Status CloseConnection(int64_t session_id, int64_t id, Micros closed_at, int close_code);
  Status InsertMessage(const MessageRow& row);
  // The same for many rows, in order, with one statement per run of rows:
  // the schema's CHECK (... IN (...)) lists cost SQLite a temporary table per
  // statement run, which one row at a time was most of an insert's cost.
  // A failure may leave a prefix inserted: run it inside a transaction.
  Status InsertMessages(const std::vector<MessageRow>& rows);
  Status InsertMessages(int64_t session_id, const std::vector<JournalMessage>& messages);
  // Adds one row of the message journal: `message_count` messages of
  // `session_id` packed by AppendToJournal (message_journal.h).
  Status AppendJournal(int64_t session_id, int64_t message_count, std::string_view packed);
  // Journals one copy of `row` per entry of `copies`, which give each its
  // connection, seq and offset. Every copy after a row's first is written
  // as a delta of it: a push to 10,000 clients stores its payload about
  // once, not 10,000 times. A row ends once it holds or rebuilds about
  // 4 MiB (kRowRebuiltBytes). REQUIRES: CanJournal(JournalMessage::Of(row)).
  Status AppendJournalCopies(const MessageRow& row, std::span<const MessageCopy> copies);
  // Moves journal rows, oldest first, into `messages` until at least
  // `at_least` messages or `at_most_bytes` packed bytes (rows are moved
  // whole) have moved, or the journal is empty; returns how many
  // moved (0: the journal is empty). Run it inside a transaction, so that a
  // failure moves nothing. REQUIRES: at_least > 0.
  Result<int64_t> SettleJournal(int64_t at_least, size_t at_most_bytes = SIZE_MAX);
  // Messages waiting in the journal, all sessions.
  Result<int64_t> JournalBacklog();
  // Messages AppendJournal added since the last call (committed or not).
  int64_t TakeJournaledCount() { return std::exchange(journaled_, 0); }
  // REQUIRES: at tick 0 `stations` holds every station; at a later tick only
  // the stations that changed at it.
  Status InsertSnapshot(int64_t session_id, int64_t tick_index, Micros taken_at,
                        const std::vector<StationRow>& stations);

  // Reads.
  Result<std::vector<SessionInfo>> ListSessions();  // ascending id
  Result<int64_t> LatestSessionId();                // NotFound when there is none
  Result<std::vector<ConnectionRow>> Connections(int64_t session_id);  // ascending id
  // One session's row without its counts (left 0): `id`, or the latest when
  // none is given. NotFound when there is no such session.
  Result<SessionInfo> Session(std::optional<int64_t> id);
  // From `messages` and the journal alike: by connection_id, seq; or, with
  // kAsStored, as they lie in the file (each connection's in seq order
  // among themselves only when they were written so), which saves a sort.
  enum class Order { kByConnection, kAsStored };
  Result<std::vector<MessageRow>> Messages(int64_t session_id, Order order = Order::kByConnection);
  // The parts of Messages(kAsStored), for a reader that splits a large
  // session among connections (app/replay_session.cc): the `messages` rows
  // of `session_id` whose rowid lies in [first_rowid, last_rowid], in rowid
  // order, then its journaled ones, each appended to `*rows`. The largest
  // rowid bounds the first; MessageBound (capped) bounds both, for
  // reserve(); FitRows shrinks a vector that was reserved far too large.
  Status AppendStoredMessages(int64_t session_id, int64_t first_rowid, int64_t last_rowid,
                              std::vector<MessageRow>* rows);
  Status AppendJournaledMessages(int64_t session_id, std::vector<MessageRow>* rows);
  Result<int64_t> LastMessageRowid();
  Result<int64_t> MessageBound(int64_t session_id);
  static void FitRows(std::vector<MessageRow>* rows);
  Result<int64_t> LastTickIndex(int64_t session_id);                   // NotFound without snapshots
  // The full station set at tick N: tick 0 rows overlaid with every delta up
  // to N, ordered by station_id. NotFound when tick N was not stored.
  Result<std::vector<StationRow>> SnapshotAt(int64_t session_id, int64_t tick_index);
  // Every stored tick of a session, ascending.
  Result<std::vector<TickRow>> Ticks(int64_t session_id);
  // The rows stored at tick N itself (all stations for the first tick, the
  // changed ones after), ordered by station_id.
  Result<std::vector<StationRow>> SnapshotDelta(int64_t session_id, int64_t tick_index);

  // Adds a session with every stored field of `info` as given (started_at,
  // ended_at, mode, wsmock_version, options_json, upstream; empty is NULL):
  // import keeps what the file says. Returns the new id; info.id and the
  // counts are ignored.
  Result<int64_t> InsertSession(const SessionInfo& info);

 private:
  // The statements used more than once, prepared on first use and kept.
  enum Query {
    kInsertSession,
    kEndSession,
    kInsertConnection,
    kCloseConnection,
    kInsertMessage,
    kInsertSnapshot,
    kInsertStation,
    kAppendJournal,
    kOldestJournalRow,
    kDeleteJournalRow,
    kQueryCount
  };

  Result<Statement*> Cached(Query query);
  // INSERT INTO messages of `rows` rows at once. REQUIRES: rows is kRowsLarge or kRowsSmall.
  Result<Statement*> CachedMultiInsert(size_t rows);
  static constexpr size_t kRowsLarge = 64, kRowsSmall = 8;
  Status InsertStations(int64_t session_id, int64_t tick_index,
                        const std::vector<StationRow>& stations);
  Result<bool> HasTick(int64_t session_id, int64_t tick_index);
  static void SortByConnection(std::vector<MessageRow>* rows);
  // Moves the oldest journal row; *found is false when there was none.
  Result<int64_t> SettleOldestJournalRow(bool* found);
  // Whether the file has a message_journal (schema version 2 on).
  bool HasJournal() const;
  Status Context(const Status& s) const { return s.WithContext(db_->path()); }

  Database* const db_;
  std::array<std::optional<Statement>, kQueryCount> cache_;
  std::optional<Statement> insert_large_, insert_small_;  // CachedMultiInsert
  int64_t journaled_ = 0;                                  // TakeJournaledCount
  std::string settle_buffer_;  // the journal row being moved, kept for its capacity
};

}  // namespace wsmock::store
