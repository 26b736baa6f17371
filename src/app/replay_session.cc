#include "app/replay_session.h"

#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>

#include "store/database.h"

namespace wsmock::app {
namespace {

// Below this many rows one connection reads them all: a second one costs an
// open and a thread, which a small session does not pay back.
constexpr int64_t kSplitRowids = 20000;

// Reads the `messages` rows of `session_id` with rowids in [first, last] on
// a read-only connection of its own, reserving `expected` rows.
Status ReadRowids(const std::string& path, int64_t session_id, int64_t first, int64_t last,
                  int64_t expected, std::vector<store::MessageRow>* rows) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  rows->reserve(static_cast<size_t>(expected));
  return store::SessionStore(db->get()).AppendStoredMessages(session_id, first, last, rows);
}

// The messages of `session_id` as SessionStore::Messages(kAsStored) gives
// them. Start-up of a large replay is mostly SQLite stepping through rows,
// so the upper half of the rowids is read on a second read-only connection,
// in a thread of its own, while `store` reads the lower half.
// REQUIRES: `store` holds a ReadSnapshot. Rows up to the largest rowid it
// sees never change once written (they are appended), so the second
// connection reads the same rows; journal rows that a recorder moves after
// the snapshot land past that rowid, and are read from the journal as the
// snapshot has them. Not covered: a `record --overwrite` of the same file
// while it loads, which empties the tables and numbers rows from 1 again.
Result<std::vector<store::MessageRow>> ReadMessages(const std::string& path,
                                                    store::SessionStore* store,
                                                    int64_t session_id) {
  Result<int64_t> last = store->LastMessageRowid();
  if (!last.ok()) return last.status();
  if (*last < kSplitRowids) return store->Messages(session_id, store::SessionStore::Order::kAsStored);
  Result<int64_t> bound = store->MessageBound(session_id);  // capped
  if (!bound.ok()) return bound.status();
  const int64_t middle = *last / 2;
  std::vector<store::MessageRow> upper;
  Status upper_read = Status::Ok();
  std::vector<store::MessageRow> rows;
  rows.reserve(static_cast<size_t>(*bound));
  auto read_upper = [&path, session_id, middle, last = *last, expected = *bound / 2, &upper,
                     &upper_read] {
    upper_read = ReadRowids(path, session_id, middle + 1, last, expected, &upper);
  };
  {
    // Declared after what it writes, so that it is joined before they go,
    // even if the lower half throws (bad_alloc).
    std::optional<std::jthread> reader;
    try {
      reader.emplace(read_upper);
    } catch (const std::system_error&) {
      read_upper();  // no thread to be had (RLIMIT_NPROC): one half after the other
    }
    Status lower_read = store->AppendStoredMessages(
        session_id, std::numeric_limits<int64_t>::min(), middle, &rows);
    reader.reset();
    if (!lower_read.ok()) return lower_read;
    if (!upper_read.ok()) return upper_read;
  }
  rows.insert(rows.end(), std::make_move_iterator(upper.begin()),
              std::make_move_iterator(upper.end()));
  WSMOCK_RETURN_IF_ERROR(store->AppendJournaledMessages(session_id, &rows));
  store::SessionStore::FitRows(&rows);
  return rows;
}

}  // namespace

Result<ReplaySession> LoadReplaySession(const std::string& path, std::optional<int64_t> session) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  // One snapshot for all the reads: a recorder may be writing to the file.
  store::ReadSnapshot snapshot(db->get());
  if (!snapshot.status().ok()) return snapshot.status();
  store::SessionStore store(db->get());
  ReplaySession loaded;
  Result<store::SessionInfo> info = store.Session(session);
  if (!info.ok()) {
    if (info.status().code() != Status::Code::kNotFound) return info.status();
    if (!session) return Status::NotFound(path + ": holds no session");
    return Status::NotFound(path + ": no session " + std::to_string(*session) +
                            " (see wsmock sessions " + path + ")");
  }
  loaded.info = std::move(*info);
  Result<std::vector<store::ConnectionRow>> connections = store.Connections(loaded.info.id);
  if (!connections.ok()) return connections.status();
  loaded.connections = std::move(*connections);
  Result<std::vector<store::MessageRow>> messages = ReadMessages(path, &store, loaded.info.id);
  if (!messages.ok()) return messages.status();
  loaded.messages = std::move(*messages);
  if (!session && loaded.messages.empty()) {
    Result<std::vector<store::SessionInfo>> all = store.ListSessions();
    if (!all.ok()) return all.status();
    for (const store::SessionInfo& earlier : *all) {
      if (earlier.id < loaded.info.id && earlier.message_count > 0) {
        loaded.earlier_with_messages = earlier;
      }
    }
  }
  return loaded;
}

}  // namespace wsmock::app
