#include "store/session_store.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "store/message_journal.h"
#include "support/temp_dir.h"

namespace wsmock::store {
namespace {

using testing::TempDir;

std::unique_ptr<Database> OpenOrDie(const std::string& path, OpenMode mode) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, mode);
  EXPECT_TRUE(db.ok()) << db.status().message();
  return db.ok() ? std::move(db).value() : nullptr;
}

constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

std::vector<std::pair<std::string, std::string>> Pairs(const std::vector<StationRow>& rows) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const StationRow& row : rows) out.emplace_back(row.station_id, row.station_json);
  return out;
}

int64_t ValueOrMinusOne(const Result<int64_t>& result) {
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : -1;
}

class SessionStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.File("session.db"); }

  TempDir dir_;
};

// The snapshot half of SessionStore: tick 0 plus deltas.
using SnapshotStoreTest = SessionStoreTest;

TEST_F(SessionStoreTest, WritesThenReadsBackEveryTableReadOnly) {
  const std::string binary("\0\x01\xff\0tail", 8);
  const std::string cyrillic = R"({"city":"Москва","owner":"РосЭнерго"})";
  {
    std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
    ASSERT_NE(db, nullptr);
    SessionStore store(db.get());
    Result<int64_t> id = store.CreateSession(kStart, "proxy", R"({"seed":42})", "wss://up:1/ws");
    ASSERT_TRUE(id.ok()) << id.status().message();
    EXPECT_EQ(*id, 1);
    ASSERT_TRUE(store.InsertConnection({1, 1, kStart + 10, {}, "127.0.0.1:5001", "/ws", {}}).ok());
    ASSERT_TRUE(store.InsertConnection({1, 2, kStart + 20, {}, "127.0.0.1:5002", "/", {}}).ok());
    ASSERT_TRUE(store.CloseConnection(1, 1, kStart + 900, 1000).ok());
    ASSERT_TRUE(store
                    .InsertMessage(
                        {1, 1, 1, 5, "in", "request", "getStations", R"("req_1")", cyrillic, false})
                    .ok());
    ASSERT_TRUE(store.InsertMessage({1, 1, 2, 7, "out", "other", {}, {}, binary, true}).ok());
    ASSERT_TRUE(store.InsertMessage({1, 2, 1, 3, "out", "update", {}, "17", "{}", false}).ok());
    ASSERT_TRUE(store.InsertSnapshot(1, 0, kStart, {{"s1", "{\"a\":0}"}, {"s2", "{}"}}).ok());
    ASSERT_TRUE(store.EndSession(1, kStart + 1000).ok());
  }
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadOnly);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());

  Result<std::vector<SessionInfo>> sessions = store.ListSessions();
  ASSERT_TRUE(sessions.ok()) << sessions.status().message();
  ASSERT_EQ(sessions->size(), 1u);
  const SessionInfo& s = (*sessions)[0];
  EXPECT_EQ(s.id, 1);
  EXPECT_EQ(s.started_at, kStart);
  EXPECT_EQ(s.ended_at, kStart + 1000);
  EXPECT_EQ(s.mode, "proxy");
  EXPECT_EQ(s.wsmock_version, WSMOCK_VERSION);
  EXPECT_EQ(s.options_json, R"({"seed":42})");
  EXPECT_EQ(s.upstream, "wss://up:1/ws");
  EXPECT_EQ(s.connection_count, 2);
  EXPECT_EQ(s.message_count, 3);

  Result<std::vector<ConnectionRow>> connections = store.Connections(1);
  ASSERT_TRUE(connections.ok());
  ASSERT_EQ(connections->size(), 2u);
  const ConnectionRow& c1 = (*connections)[0];
  EXPECT_EQ(c1.id, 1);
  EXPECT_EQ(c1.opened_at, kStart + 10);
  EXPECT_EQ(c1.closed_at, kStart + 900);
  EXPECT_EQ(c1.close_code, 1000);
  EXPECT_EQ(c1.peer, "127.0.0.1:5001");
  EXPECT_EQ(c1.path, "/ws");
  const ConnectionRow& c2 = (*connections)[1];
  EXPECT_EQ(c2.id, 2);
  EXPECT_FALSE(c2.closed_at.has_value());
  EXPECT_FALSE(c2.close_code.has_value());
  EXPECT_EQ(c2.path, "/");

  Result<std::vector<MessageRow>> messages = store.Messages(1);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 3u);
  const MessageRow& m1 = (*messages)[0];
  EXPECT_EQ(m1.connection_id, 1);
  EXPECT_EQ(m1.seq, 1);
  EXPECT_EQ(m1.offset, 5);
  EXPECT_EQ(m1.direction, "in");
  EXPECT_EQ(m1.kind, "request");
  EXPECT_EQ(m1.action, "getStations");
  EXPECT_EQ(m1.request_id, R"("req_1")");
  EXPECT_EQ(m1.payload, cyrillic);
  EXPECT_FALSE(m1.binary);
  const MessageRow& m2 = (*messages)[1];
  EXPECT_EQ(m2.seq, 2);
  EXPECT_EQ(m2.payload, binary);
  EXPECT_EQ(m2.payload.size(), 8u);
  EXPECT_TRUE(m2.binary);
  EXPECT_FALSE(m2.action.has_value());
  EXPECT_FALSE(m2.request_id.has_value());
  const MessageRow& m3 = (*messages)[2];
  EXPECT_EQ(m3.connection_id, 2);
  EXPECT_EQ(m3.request_id, "17");

  Result<std::vector<StationRow>> stations = store.SnapshotAt(1, 0);
  ASSERT_TRUE(stations.ok());
  EXPECT_EQ(Pairs(*stations),
            (std::vector<std::pair<std::string, std::string>>{{"s1", "{\"a\":0}"}, {"s2", "{}"}}));
}

TEST_F(SessionStoreTest, SecondSessionIsAppendedAndListedInOrder) {
  {
    std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(SessionStore(db.get()).CreateSession(kStart, "record", "{}", "").ok());
  }
  {
    std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
    ASSERT_NE(db, nullptr);
    SessionStore store(db.get());
    Result<int64_t> id = store.CreateSession(kStart + 5, "serve", R"({"seed":1})", "");
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, 2);
    ASSERT_TRUE(store.InsertConnection({2, 1, kStart + 6, {}, "127.0.0.1:9", "/ws", {}}).ok());
  }
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadOnly);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  Result<std::vector<SessionInfo>> sessions = store.ListSessions();
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ((*sessions)[0].id, 1);
  EXPECT_EQ((*sessions)[0].mode, "record");
  EXPECT_EQ((*sessions)[0].upstream, "");
  EXPECT_FALSE((*sessions)[0].ended_at.has_value());
  EXPECT_EQ((*sessions)[0].connection_count, 0);
  EXPECT_EQ((*sessions)[1].id, 2);
  EXPECT_EQ((*sessions)[1].mode, "serve");
  EXPECT_EQ((*sessions)[1].connection_count, 1);
  Result<int64_t> latest = store.LatestSessionId();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, 2);
  EXPECT_TRUE(store.Connections(1)->empty());
}

TEST_F(SessionStoreTest, LatestSessionOfAnEmptyFileIsNotFound) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  Result<int64_t> latest = SessionStore(db.get()).LatestSessionId();
  ASSERT_FALSE(latest.ok());
  EXPECT_EQ(latest.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(latest.status().message(), path() + ": no sessions");
}

TEST_F(SnapshotStoreTest, SnapshotAtOverlaysDeltasOnTickZero) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "serve", "{}", "").ok());
  EXPECT_EQ(store.LastTickIndex(1).status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(store.InsertSnapshot(1, 0, kStart, {{"b", "b0"}, {"a", "a0"}, {"c", "c0"}}).ok());
  ASSERT_TRUE(store.InsertSnapshot(1, 1, kStart + 30, {{"b", "b1"}}).ok());
  ASSERT_TRUE(store.InsertSnapshot(1, 2, kStart + 60, {{"c", "c2"}, {"a", "a2"}}).ok());
  ASSERT_TRUE(store.InsertSnapshot(1, 3, kStart + 90, {}).ok());  // nothing changed

  using Rows = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Pairs(*store.SnapshotAt(1, 0)), (Rows{{"a", "a0"}, {"b", "b0"}, {"c", "c0"}}));
  EXPECT_EQ(Pairs(*store.SnapshotAt(1, 1)), (Rows{{"a", "a0"}, {"b", "b1"}, {"c", "c0"}}));
  EXPECT_EQ(Pairs(*store.SnapshotAt(1, 2)), (Rows{{"a", "a2"}, {"b", "b1"}, {"c", "c2"}}));
  EXPECT_EQ(Pairs(*store.SnapshotAt(1, 3)), (Rows{{"a", "a2"}, {"b", "b1"}, {"c", "c2"}}));
  Result<int64_t> last = store.LastTickIndex(1);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 3);
  Result<std::vector<StationRow>> missing = store.SnapshotAt(1, 4);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), path() + ": session 1 has no tick 4");
}

TEST_F(SnapshotStoreTest, ManyStationsWithSmallDeltasStaySmall) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "serve", "{}", "").ok());
  std::vector<StationRow> all;
  for (int i = 0; i < 5000; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "station_%05d", i);
    all.push_back({id, "{\"v\":0}"});
  }
  ASSERT_TRUE(store.InsertSnapshot(1, 0, kStart, all).ok());
  for (int tick = 1; tick <= 20; ++tick) {
    StationRow changed = all[static_cast<size_t>(tick * 97)];
    changed.station_json = "{\"v\":" + std::to_string(tick) + "}";
    ASSERT_TRUE(store.InsertSnapshot(1, tick, kStart + tick, {changed}).ok());
  }
  Result<Statement> rows = db->Prepare("SELECT count(*) FROM snapshot_stations");
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(*rows->Step());
  EXPECT_EQ(rows->ColumnInt64(0), 5000 + 20);
  Result<std::vector<StationRow>> at20 = store.SnapshotAt(1, 20);
  ASSERT_TRUE(at20.ok());
  ASSERT_EQ(at20->size(), 5000u);
  EXPECT_EQ((*at20)[97].station_json, "{\"v\":1}");
  EXPECT_EQ((*at20)[20 * 97].station_json, "{\"v\":20}");
  EXPECT_EQ((*at20)[1].station_json, "{\"v\":0}");
}

TEST_F(SnapshotStoreTest, FailedSnapshotLeavesNoTrace) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "serve", "{}", "").ok());
  Status s = store.InsertSnapshot(1, 0, kStart, {{"a", "1"}, {"b", "2"}, {"a", "3"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("UNIQUE constraint failed"), std::string::npos) << s.message();
  EXPECT_EQ(store.LastTickIndex(1).status().code(), Status::Code::kNotFound);
  // Inside a caller's transaction the failure is undone but the rest stays.
  ASSERT_TRUE(db->Begin().ok());
  ASSERT_TRUE(store.InsertSnapshot(1, 0, kStart, {{"a", "1"}}).ok());
  EXPECT_FALSE(store.InsertSnapshot(1, 1, kStart, {{"a", "2"}, {"a", "2"}}).ok());
  ASSERT_TRUE(db->Commit().ok());
  EXPECT_EQ(*store.LastTickIndex(1), 0);
}

TEST_F(SessionStoreTest, UpdatesOfMissingRowsAreNotFound) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  Status end = store.EndSession(9, kStart);
  EXPECT_EQ(end.code(), Status::Code::kNotFound);
  EXPECT_EQ(end.message(), path() + ": no session 9");
  Status close = store.CloseConnection(1, 3, kStart, 1000);
  EXPECT_EQ(close.code(), Status::Code::kNotFound);
  EXPECT_EQ(close.message(), path() + ": no connection 3 in session 1");
}

TEST_F(SessionStoreTest, SchemaRejectsRowsThatBreakItsRules) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  Result<int64_t> bad_mode = store.CreateSession(kStart, "dance", "{}", "");
  ASSERT_FALSE(bad_mode.ok());
  EXPECT_NE(bad_mode.status().message().find("CHECK constraint failed"), std::string::npos);
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  // A message needs its connection (foreign key, checked at commit).
  Status orphan = store.InsertMessage({1, 7, 1, 0, "in", "request", {}, {}, "x", false});
  EXPECT_NE(orphan.message().find("FOREIGN KEY constraint failed"), std::string::npos)
      << orphan.message();
  ASSERT_TRUE(store.InsertConnection({1, 1, kStart, {}, "p", "/", {}}).ok());
  Status sideways = store.InsertMessage({1, 1, 1, 0, "sideways", "request", {}, {}, "x", false});
  EXPECT_EQ(sideways.code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(store.InsertMessage({1, 1, 1, 0, "in", "request", {}, {}, "x", false}).ok());
  Status duplicate = store.InsertMessage({1, 1, 1, 0, "in", "request", {}, {}, "x", false});
  EXPECT_NE(duplicate.message().find("UNIQUE constraint failed"), std::string::npos);
  EXPECT_EQ(store.Messages(1)->size(), 1u);
}

TEST_F(SessionStoreTest, MessagesMergeTheJournalWithTheTableInOrder) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.InsertConnection({1, 1, kStart, {}, "p", "/", {}}).ok());
  ASSERT_TRUE(store.InsertConnection({1, 2, kStart, {}, "p", "/", {}}).ok());
  ASSERT_TRUE(store.InsertConnection({2, 1, kStart, {}, "p", "/", {}}).ok());
  ASSERT_TRUE(store.InsertMessage({1, 2, 1, 0, "in", "request", {}, {}, "table 2.1", false}).ok());
  std::string packed;
  AppendToJournal({1, 2, 9, "out", "response", "a", "7", "journal 1.2", false}, &packed);
  AppendToJournal({1, 1, 4, "in", "request", "a", "7", "journal 1.1", false}, &packed);
  AppendToJournal({2, 2, 5, "out", "update", {}, {}, "journal 2.2", false}, &packed);
  ASSERT_TRUE(store.AppendJournal(1, 3, packed).ok());
  std::string other;
  AppendToJournal({1, 1, 0, "in", "other", {}, {}, "session 2", true}, &other);
  ASSERT_TRUE(store.AppendJournal(2, 1, other).ok());

  Result<std::vector<MessageRow>> rows = store.Messages(1);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> payloads;
  for (const MessageRow& row : *rows) payloads.push_back(row.payload);
  EXPECT_EQ(payloads, (std::vector<std::string>{"journal 1.1", "journal 1.2", "table 2.1",
                                                "journal 2.2"}));
  EXPECT_EQ((*rows)[1].request_id, "7");
  Result<std::vector<SessionInfo>> sessions = store.ListSessions();
  ASSERT_TRUE(sessions.ok()) << sessions.status().message();
  EXPECT_EQ((*sessions)[0].message_count, 4);
  EXPECT_EQ((*sessions)[1].message_count, 1);
  EXPECT_EQ(ValueOrMinusOne(store.JournalBacklog()), 4);

  // Moving the journal changes where rows live, not what a reader sees.
  EXPECT_EQ(ValueOrMinusOne(store.SettleJournal(1)), 3);
  EXPECT_EQ(ValueOrMinusOne(store.SettleJournal(1)), 1);
  EXPECT_EQ(ValueOrMinusOne(store.SettleJournal(1)), 0);
  Result<std::vector<MessageRow>> settled = store.Messages(1);
  ASSERT_TRUE(settled.ok()) << settled.status().message();
  ASSERT_EQ(settled->size(), rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*settled)[i].payload, (*rows)[i].payload);
    EXPECT_EQ((*settled)[i].offset, (*rows)[i].offset);
    EXPECT_EQ((*settled)[i].kind, (*rows)[i].kind);
  }
  EXPECT_EQ(store.ListSessions()->at(0).message_count, 4);
}

// Opens connections 1..count of session 1, and gives each a copy numbered
// 3 at offset 100 + its id.
std::vector<MessageCopy> CopiesToNewConnections(SessionStore* store, int64_t count) {
  std::vector<MessageCopy> copies;
  for (int64_t id = 1; id <= count; ++id) {
    EXPECT_TRUE(store->InsertConnection({1, id, kStart, {}, "p", "/", {}}).ok());
    copies.push_back({id, 3, 100 + id});
  }
  return copies;
}

// The journal's row count, its message count and its packed bytes.
std::array<int64_t, 3> JournalTotals(Database* db) {
  Result<Statement> totals =
      db->Prepare("SELECT count(*), sum(message_count), sum(length(packed)) FROM message_journal");
  EXPECT_TRUE(totals.ok() && *totals->Step());
  if (!totals.ok()) return {-1, -1, -1};
  return {totals->ColumnInt64(0), totals->ColumnInt64(1), totals->ColumnInt64(2)};
}

TEST_F(SessionStoreTest, CopiesOfAPushAreJournaledAsDeltasAndReadBackWhole) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  const std::vector<MessageCopy> copies = CopiesToNewConnections(&store, 1000);
  const std::string push = "{\"type\":\"update\",\"data\":\"" + std::string(2000, 'u') + "\"}";
  const MessageRow row{1, 0, 0, 0, "out", "update", "stationsUpdated", {}, push, false};
  ASSERT_TRUE(store.AppendJournalCopies(row, copies).ok());
  // Whole, the copies would take 2 MB; as deltas they take about 30 KB.
  EXPECT_LT(JournalTotals(db.get())[2], 100'000);
  Result<std::vector<MessageRow>> rows = store.Messages(1);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1000u);
  for (size_t i = 0; i < rows->size(); ++i) {
    const MessageRow& read = (*rows)[i];
    EXPECT_EQ(read.connection_id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(read.seq, 3);
    EXPECT_EQ(read.offset, static_cast<int64_t>(101 + i));
    EXPECT_EQ(read.kind, "update");
    EXPECT_EQ(read.action, "stationsUpdated");
    EXPECT_EQ(read.payload, push);
  }
}

TEST_F(SessionStoreTest, CopiesOfALargePushGoIntoRowsThatEachHoldAndRebuildLittle) {
  struct Case {
    size_t payload_bytes;
    int64_t copies;
  };
  // 150 copies of 60,000 bytes rebuild 9 MB from deltas; 100 of 100,000,
  // too large to be a delta's base, are 10 MB written whole. Either way:
  // three rows of about 4 MiB.
  for (const Case& c : {Case{60'000, 150}, Case{100'000, 100}}) {
    SCOPED_TRACE(c.payload_bytes);
    TempDir dir;
    std::unique_ptr<Database> db = OpenOrDie(dir.File("copies.db"), OpenMode::kReadWrite);
    ASSERT_NE(db, nullptr);
    SessionStore store(db.get());
    ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
    const std::vector<MessageCopy> copies = CopiesToNewConnections(&store, c.copies);
    const std::string push(c.payload_bytes, 'p');
    const MessageRow row{1, 0, 0, 0, "out", "other", {}, {}, push, false};
    ASSERT_TRUE(store.AppendJournalCopies(row, copies).ok());
    const std::array<int64_t, 3> totals = JournalTotals(db.get());
    EXPECT_EQ(totals[0], 3);
    EXPECT_EQ(totals[1], c.copies);
    Result<std::vector<MessageRow>> rows = store.Messages(1);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    ASSERT_EQ(rows->size(), static_cast<size_t>(c.copies));
    for (const MessageRow& read : *rows) EXPECT_EQ(read.payload, push);
  }
}

TEST_F(SessionStoreTest, SessionReadsOneRowWithoutCounts) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  EXPECT_EQ(store.Session(std::nullopt).status().message(), path() + ": no sessions");
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.CreateSession(kStart + 1, "proxy", "{}", "ws://up/ws").ok());
  ASSERT_TRUE(store.InsertConnection({1, 1, kStart, {}, "p", "/", {}}).ok());
  Result<SessionInfo> latest = store.Session(std::nullopt);
  ASSERT_TRUE(latest.ok()) << latest.status().message();
  EXPECT_EQ(latest->id, 2);
  EXPECT_EQ(latest->upstream, "ws://up/ws");
  Result<SessionInfo> first = store.Session(1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->mode, "record");
  EXPECT_EQ(first->connection_count, 0);  // not counted
  EXPECT_EQ(store.Session(3).status().code(), Status::Code::kNotFound);
}

TEST_F(SessionStoreTest, MessagesAsStoredComeInFileOrderTableFirst) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.InsertConnection({1, 1, kStart, {}, "p", "/", {}}).ok());
  ASSERT_TRUE(store.InsertConnection({1, 2, kStart, {}, "p", "/", {}}).ok());
  std::string packed;
  AppendToJournal({1, 3, 0, "in", "request", {}, {}, "c", false}, &packed);
  ASSERT_TRUE(store.AppendJournal(1, 1, packed).ok());
  ASSERT_TRUE(store.InsertMessage({1, 2, 1, 0, "in", "request", {}, {}, "a", false}).ok());
  ASSERT_TRUE(store.InsertMessage({1, 1, 1, 0, "in", "request", {}, {}, "b", false}).ok());
  Result<std::vector<MessageRow>> as_stored = store.Messages(1, SessionStore::Order::kAsStored);
  Result<std::vector<MessageRow>> by_connection = store.Messages(1);
  ASSERT_TRUE(as_stored.ok() && by_connection.ok());
  std::vector<std::string> stored, sorted;
  for (const MessageRow& row : *as_stored) stored.push_back(row.payload);
  for (const MessageRow& row : *by_connection) sorted.push_back(row.payload);
  EXPECT_EQ(stored, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(sorted, (std::vector<std::string>{"b", "c", "a"}));
}

TEST_F(SessionStoreTest, AMalformedJournalRowIsAnErrorNamingIt) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.AppendJournal(1, 1, std::string("\x01\x01\x00\xf0", 4)).ok());
  Result<std::vector<MessageRow>> rows = store.Messages(1);
  EXPECT_EQ(rows.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(rows.status().message(),
            path() + ": message journal row 1: malformed message at byte 0 of 4");
}

TEST_F(SessionStoreTest, DeletingAllSessionsEmptiesTheJournal) {
  std::unique_ptr<Database> db = OpenOrDie(path(), OpenMode::kReadWrite);
  ASSERT_NE(db, nullptr);
  SessionStore store(db.get());
  ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.AppendJournal(1, 0, "").ok());
  ASSERT_TRUE(store.DeleteAllSessions().ok());
  EXPECT_EQ(ValueOrMinusOne(store.JournalBacklog()), 0);
  EXPECT_EQ(ValueOrMinusOne(store.SettleJournal(1)), 0);
}

}  // namespace
}  // namespace wsmock::store
