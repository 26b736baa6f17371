#include "app/replay_session.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/message_journal.h"
#include "support/temp_dir.h"

namespace wsmock::app {
namespace {

constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

// Two sessions whose messages alternate in the file, rowid by rowid, so
// that each half of a split read holds rows of both; session 2 also has
// journaled messages.
class ReplaySessionTest : public ::testing::Test {
 protected:
  void Write(int per_session) {
    Result<std::unique_ptr<store::Database>> db =
        store::Database::Open(path(), store::OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().message();
    store::SessionStore store(db->get());
    ASSERT_TRUE((*db)->Begin().ok());
    for (int64_t session : {1, 2}) {
      ASSERT_TRUE(store.CreateSession(kStart, "record", "{}", "").ok());
      ASSERT_TRUE(store.InsertConnection({session, 1, kStart, {}, "p", "/ws", {}}).ok());
    }
    std::vector<store::MessageRow> rows;
    for (int64_t seq = 1; seq <= per_session; ++seq) {
      for (int64_t session : {1, 2}) {
        rows.push_back({session, 1, seq, seq * 10, seq % 2 ? "in" : "out", "other", {}, {},
                        std::to_string(session) + ":" + std::to_string(seq), false});
      }
    }
    ASSERT_TRUE(store.InsertMessages(rows).ok());
    std::string packed;
    store::AppendToJournal({1, per_session + 1, 0, "in", "other", {}, {}, "journaled", false},
                           &packed);
    ASSERT_TRUE(store.AppendJournal(2, 1, packed).ok());
    ASSERT_TRUE((*db)->Commit().ok());
  }

  std::vector<std::string> StoredPayloads(int64_t session) {
    Result<std::unique_ptr<store::Database>> db =
        store::Database::Open(path(), store::OpenMode::kReadOnly);
    EXPECT_TRUE(db.ok()) << db.status().message();
    if (!db.ok()) return {};
    auto rows =
        store::SessionStore(db->get()).Messages(session, store::SessionStore::Order::kAsStored);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    std::vector<std::string> payloads;
    if (rows.ok()) {
      for (const store::MessageRow& row : *rows) payloads.push_back(row.payload);
    }
    return payloads;
  }

  std::string path() const { return dir_.File("session.db"); }

  testing::TempDir dir_;
};

std::vector<std::string> Payloads(const ReplaySession& session) {
  std::vector<std::string> payloads;
  for (const store::MessageRow& row : session.messages) payloads.push_back(row.payload);
  return payloads;
}

// 30,000 rows: above the size at which the upper half of the rowids is read
// on a second connection. The halves join in file order, journal last.
TEST_F(ReplaySessionTest, ALargeSessionReadInTwoHalvesIsTheSessionAsStored) {
  Write(15000);
  Result<ReplaySession> loaded = LoadReplaySession(path(), 2);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->info.id, 2);
  ASSERT_EQ(loaded->messages.size(), 15001u);
  EXPECT_EQ(loaded->messages.front().payload, "2:1");
  EXPECT_EQ(loaded->messages[14999].payload, "2:15000");
  EXPECT_EQ(loaded->messages.back().payload, "journaled");
  EXPECT_EQ(Payloads(*loaded), StoredPayloads(2));
  Result<ReplaySession> first = LoadReplaySession(path(), 1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(Payloads(*first), StoredPayloads(1));
  EXPECT_EQ(first->messages.size(), 15000u);
}

TEST_F(ReplaySessionTest, ASmallSessionIsTheSessionAsStored) {
  Write(10);
  Result<ReplaySession> loaded = LoadReplaySession(path(), std::nullopt);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->info.id, 2) << "the latest";
  EXPECT_EQ(Payloads(*loaded), StoredPayloads(2));
  EXPECT_EQ(loaded->messages.size(), 11u);
}

TEST_F(ReplaySessionTest, AMissingSessionIsNamedWithTheFile) {
  Write(10);
  Result<ReplaySession> loaded = LoadReplaySession(path(), 7);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            path() + ": no session 7 (see wsmock sessions " + path() + ")");
}

}  // namespace
}  // namespace wsmock::app
