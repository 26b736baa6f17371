#include "store/message_journal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::store {
namespace {

std::vector<MessageRow> ReadOrDie(const std::string& packed) {
  std::vector<MessageRow> rows;
  Status s = ReadJournal(packed, 7, &rows);
  EXPECT_TRUE(s.ok()) << s.message();
  return rows;
}

TEST(MessageJournalTest, EveryFieldSurvivesPacking) {
  const std::string binary("\0\x01\xff", 3);
  std::string packed;
  AppendToJournal({3, 1, 0, "in", "request", "getStations", R"("req_1")", "{}", false}, &packed);
  AppendToJournal({3, 2, -5, "out", "other", {}, {}, binary, true}, &packed);
  AppendToJournal({1LL << 40, INT64_MAX, INT64_MIN, "out", "update", "", "", "", false}, &packed);
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].session_id, 7);
  EXPECT_EQ(rows[0].connection_id, 3);
  EXPECT_EQ(rows[0].direction, "in");
  EXPECT_EQ(rows[0].kind, "request");
  EXPECT_EQ(rows[0].action, "getStations");
  EXPECT_EQ(rows[0].request_id, R"("req_1")");
  EXPECT_EQ(rows[0].payload, "{}");
  EXPECT_EQ(rows[1].seq, 2);
  EXPECT_EQ(rows[1].offset, -5);
  EXPECT_EQ(rows[1].direction, "out");
  EXPECT_EQ(rows[1].action, std::nullopt);  // none, which differs from empty
  EXPECT_EQ(rows[1].request_id, std::nullopt);
  EXPECT_EQ(rows[1].payload, binary);
  EXPECT_TRUE(rows[1].binary);
  EXPECT_EQ(rows[2].connection_id, 1LL << 40);
  EXPECT_EQ(rows[2].seq, INT64_MAX);
  EXPECT_EQ(rows[2].offset, INT64_MIN);
  EXPECT_EQ(rows[2].action, "");
  EXPECT_EQ(rows[2].request_id, "");
}

TEST(MessageJournalTest, ARowPacksBackToTheSameBytes) {
  std::string packed;
  AppendToJournal({2, 9, 1234, "out", "error", "getStationById", "17", "{\"e\":1}", false},
                  &packed);
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 1u);
  std::string again;
  AppendToJournal(JournalMessage::Of(rows[0]), &again);
  EXPECT_EQ(again, packed);
}

TEST(MessageJournalTest, EveryCutShortRowIsMalformed) {
  std::string packed;
  AppendToJournal({1, 1, 1, "in", "request", "a", "1", "payload", false}, &packed);
  for (size_t size = 1; size < packed.size(); ++size) {
    std::vector<MessageRow> rows;
    Status s = ReadJournal(packed.substr(0, size), 1, &rows);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << size;
    EXPECT_EQ(s.message(), "malformed message at byte 0 of " + std::to_string(size));
    EXPECT_TRUE(rows.empty());
  }
}

TEST(MessageJournalTest, TheErrorNamesTheByteWhereTheBadMessageStarts) {
  std::string packed;
  AppendToJournal({1, 1, 1, "in", "request", {}, {}, "ok", false}, &packed);
  const size_t good = packed.size();
  packed += std::string("\x01\x02\x03\x70", 4);  // kind code 7: none such
  std::vector<MessageRow> rows;
  Status s = ReadJournal(packed, 1, &rows);
  EXPECT_EQ(s.message(), "malformed message at byte " + std::to_string(good) + " of " +
                             std::to_string(packed.size()));
  EXPECT_EQ(rows.size(), 1u);
}

TEST(MessageJournalTest, OnlyTheSchemasDirectionsAndKindsCanBePacked) {
  EXPECT_TRUE(CanJournal({1, 1, 0, "in", "update", {}, {}, "", false}));
  EXPECT_FALSE(CanJournal({1, 1, 0, "sideways", "request", {}, {}, "", false}));
  EXPECT_FALSE(CanJournal({1, 1, 0, "in", "reply", {}, {}, "", false}));
  EXPECT_FALSE(CanJournal({-1, 1, 0, "in", "request", {}, {}, "", false}));
}

TEST(MessageJournalTest, AnEmptyRowHoldsNoMessages) {
  EXPECT_TRUE(ReadOrDie("").empty());
}

}  // namespace
}  // namespace wsmock::store
