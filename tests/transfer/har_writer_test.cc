#include "transfer/har_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "transfer/har_reader.h"
#include "util/json.h"

namespace wsmock::transfer {
namespace {

constexpr Micros kOpen = 1705746605100000;

store::MessageRow Message(int64_t connection, int64_t seq, Micros offset, std::string direction,
                          std::string payload, bool binary = false) {
  store::MessageRow row;
  row.connection_id = connection;
  row.seq = seq;
  row.offset = offset;
  row.direction = std::move(direction);
  row.kind = "other";
  row.payload = std::move(payload);
  row.binary = binary;
  return row;
}

SessionRecord Sample() {
  SessionRecord r;
  r.info.mode = "record";
  r.connections.push_back({1, 1, kOpen, kOpen + 9000, "127.0.0.1:50001", "/ws", 1000});
  r.connections.push_back({1, 2, kOpen + 5, {}, "", "live", {}});
  r.messages.push_back(Message(1, 1, 8312, "in", R"({"a":"Привет"})"));
  r.messages.push_back(Message(1, 2, 10957, "out", std::string("\0\xff", 2), true));
  r.messages.push_back(Message(1, 3, 11000, "out", "\xff\xfe"));
  return r;
}

TEST(HarWriterTest, WritesTheDocumentedLayout) {
  const std::string expected = std::string(R"({
  "log": {
    "version": "1.2",
    "creator": {"name": "wsmock", "version": ")") +
                               WSMOCK_VERSION + R"("},
    "entries": [
      {
        "startedDateTime": "2024-01-20T10:30:05.108Z",
        "time": 2.688,
        "request": {"method": "GET", "url": "ws://localhost/ws", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 101, "statusText": "Switching Protocols", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0, "ssl": -1},
        "serverIPAddress": "127.0.0.1:50001",
        "_resourceType": "websocket",
        "_webSocketMessages": [
          {"type": "send", "time": 1705746605.108312, "opcode": 1, "data": "{\"a\":\"Привет\"}"},
          {"type": "receive", "time": 1705746605.110957, "opcode": 2, "data": "AP8="},
          {"type": "receive", "time": 1705746605.111000, "opcode": 1, "data": "//4=", "encoding": "base64"}
        ]
      },
      {
        "startedDateTime": "2024-01-20T10:30:05.100Z",
        "time": 0.000,
        "request": {"method": "GET", "url": "ws://localhost/live", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 101, "statusText": "Switching Protocols", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [], "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0, "ssl": -1},
        "_resourceType": "websocket",
        "_webSocketMessages": []
      }
    ]
  }
}
)";
  EXPECT_EQ(FormatHar(Sample()), expected);
}

TEST(HarWriterTest, TheOutputIsOneValidJsonDocument) {
  Result<json::JsonPtr> parsed = json::Parse(FormatHar(Sample()));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const cJSON* log = cJSON_GetObjectItemCaseSensitive(parsed->get(), "log");
  EXPECT_EQ(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(log, "entries")), 2);
}

TEST(HarWriterTest, ASessionWithoutConnectionsIsDatedByAPage) {
  SessionRecord empty;
  empty.info.started_at = kOpen;
  const std::string expected = std::string(R"({
  "log": {
    "version": "1.2",
    "creator": {"name": "wsmock", "version": ")") +
                               WSMOCK_VERSION + R"("},
    "pages": [{"startedDateTime": "2024-01-20T10:30:05.100Z", "id": "session", "title": "", "pageTimings": {}}],
    "entries": []
  }
}
)";
  EXPECT_EQ(FormatHar(empty), expected);
}

TEST(HarWriterTest, ASessionWithoutConnectionsReadsBackAsAnEmptySession) {
  SessionRecord empty;
  empty.info.started_at = kOpen;
  Result<SessionRecord> back = ParseHar(FormatHar(empty), "x.har");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(back->connections.empty());
  EXPECT_TRUE(back->messages.empty());
  EXPECT_EQ(back->info.started_at, kOpen);
  EXPECT_EQ(back->info.ended_at, kOpen);
}

TEST(HarWriterTest, ReadingItBackGivesTheSameFramesAndInstants) {
  Result<SessionRecord> back = ParseHar(FormatHar(Sample()), "x.har");
  ASSERT_TRUE(back.ok()) << back.status().message();
  const SessionRecord original = Sample();
  ASSERT_EQ(back->messages.size(), original.messages.size());
  for (size_t i = 0; i < original.messages.size(); ++i) {
    EXPECT_EQ(back->messages[i].payload, original.messages[i].payload) << i;
    EXPECT_EQ(back->messages[i].binary, original.messages[i].binary) << i;
    EXPECT_EQ(back->messages[i].direction, original.messages[i].direction) << i;
    // The connection now opens at its first message: the instants agree.
    EXPECT_EQ(back->connections[0].opened_at + back->messages[i].offset,
              kOpen + original.messages[i].offset)
        << i;
  }
  EXPECT_EQ(back->connections[0].peer, "127.0.0.1:50001");
  EXPECT_EQ(back->connections[1].path, "/live");
  EXPECT_EQ(back->connections[1].opened_at, kOpen);  // the startedDateTime, to the millisecond
}

}  // namespace
}  // namespace wsmock::transfer
