#include "transfer/session_records.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::transfer {
namespace {

constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

SessionRecord SmallRecord() {
  SessionRecord r;
  r.info.id = 1;
  r.info.started_at = kStart;
  r.info.ended_at = kStart + 5 * kMicrosPerSecond;
  r.info.mode = "record";
  r.info.wsmock_version = "0.1.0";
  r.info.options_json = R"({"seed":42})";
  r.connections = {{1, 1, kStart + 100, kStart + 4000000, "127.0.0.1:50001", "/ws", 1000}};
  r.messages = {
      {1, 1, 1, 5, "in", "request", "getStationById", "7",
       R"({"type":"request","action":"getStationById","data":{"id":"s1"},"requestId":7})", false},
      {1, 1, 2, 90, "out", "other", {}, {}, std::string("\x00\xff", 2), true},
  };
  r.snapshots = {{{0, kStart}, {{"s1", R"({"id":"s1","city":"Сочи"})"}}}};
  return r;
}

// The format as a reviewer sees it in a diff.
const char kSmallRecordLines[] =
    R"({"type":"session","format":1,"id":1,"startedAt":"2024-01-20T10:30:00.000Z",)"
    R"("startedAtUs":1705746600000000,"endedAtUs":1705746605000000,"mode":"record",)"
    R"("wsmockVersion":"0.1.0","options":{"seed":42},"upstream":null})"
    "\n"
    R"({"type":"connection","session":1,"id":1,"openedAtUs":1705746600000100,)"
    R"("closedAtUs":1705746604000000,"peer":"127.0.0.1:50001","path":"/ws","closeCode":1000})"
    "\n"
    R"({"type":"message","connection":1,"seq":1,"offsetUs":5,"direction":"in","kind":"request",)"
    R"("action":"getStationById","requestId":7,"json":{"type":"request",)"
    R"("action":"getStationById","data":{"id":"s1"},"requestId":7}})"
    "\n"
    R"({"type":"message","connection":1,"seq":2,"offsetUs":90,"direction":"out","kind":"other",)"
    R"("action":null,"requestId":null,"base64":"AP8="})"
    "\n"
    R"({"type":"snapshot","session":1,"tick":0,"takenAtUs":1705746600000000,)"
    R"("stations":[{"id":"s1","city":"Сочи"}]})"
    "\n";

std::string Append(const SessionRecord& record) {
  std::string out;
  Status s = AppendSessionRecord(&out, record);
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

std::vector<SessionRecord> Parse(const std::string& text) {
  Result<std::vector<SessionRecord>> parsed = ParseSessionRecords(text, "s.jsonl");
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : std::vector<SessionRecord>{};
}

TEST(SessionJsonlRecordsTest, WritesTheDocumentedLines) {
  EXPECT_EQ(Append(SmallRecord()), kSmallRecordLines);
}

TEST(SessionJsonlRecordsTest, ParsingGivesBackTheRows) {
  std::vector<SessionRecord> records = Parse(kSmallRecordLines);
  ASSERT_EQ(records.size(), 1u);
  const SessionRecord& r = records[0];
  const SessionRecord want = SmallRecord();
  EXPECT_EQ(r.info.started_at, want.info.started_at);
  EXPECT_EQ(r.info.ended_at, want.info.ended_at);
  EXPECT_EQ(r.info.options_json, want.info.options_json);
  ASSERT_EQ(r.connections.size(), 1u);
  EXPECT_EQ(r.connections[0].close_code, 1000);
  EXPECT_EQ(r.connections[0].closed_at, want.connections[0].closed_at);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].session_id, 1);  // from the session line above it
  EXPECT_EQ(r.messages[0].request_id, "7");
  EXPECT_EQ(r.messages[1].payload, want.messages[1].payload);
  EXPECT_TRUE(r.messages[1].binary);
  ASSERT_EQ(r.snapshots.size(), 1u);
  EXPECT_EQ(r.snapshots[0].stations[0].station_json, want.snapshots[0].stations[0].station_json);
  EXPECT_EQ(Append(r), kSmallRecordLines);
}

TEST(SessionJsonlRecordsTest, AHandOrderedFileComesOutInExportOrder) {
  const std::string text = kSmallRecordLines;
  std::vector<std::string> lines;
  for (size_t pos = 0, end; (end = text.find('\n', pos)) != std::string::npos; pos = end + 1) {
    lines.push_back(text.substr(pos, end - pos + 1));
  }
  ASSERT_EQ(lines.size(), 5u);
  // Snapshot first, then the messages in reverse: still one valid session.
  std::vector<SessionRecord> records = Parse(lines[0] + lines[4] + lines[1] + lines[3] + lines[2]);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(Append(records[0]), text);
}

TEST(SessionJsonlRecordsTest, ConcatenatedExportsAreSeparateSessions) {
  std::vector<SessionRecord> records = Parse(std::string(kSmallRecordLines) + kSmallRecordLines);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].messages.size(), 2u);
}

TEST(SessionJsonlRecordsTest, AMessageWithoutItsConnectionIsCorruption) {
  SessionRecord r = SmallRecord();
  r.messages[1].connection_id = 9;
  std::string out;
  Status s = AppendSessionRecord(&out, r);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(), "session 1: message 2 belongs to connection 9, which has no row");

  r.messages[1].connection_id = 0;
  EXPECT_EQ(AppendSessionRecord(&out, r).message(),
            "session 1: message 2 belongs to connection 0, which has no row");
}

TEST(SessionJsonlRecordsTest, AnEmptyFileHoldsNoSessions) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("\n\r\n  \n").empty());
}

}  // namespace
}  // namespace wsmock::transfer
