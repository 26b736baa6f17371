#include "transfer/har_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsmock::transfer {
namespace {

// A HAR file around `entries` (the JSON text of the array's elements).
std::string Har(const std::vector<std::string>& entries) {
  std::string out =
      R"({"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[)";
  for (size_t i = 0; i < entries.size(); ++i) out += (i ? "," : "") + entries[i];
  return out + "]}}";
}

// A WebSocket entry with `messages` (the JSON text of the array's elements).
std::string WsEntry(const std::vector<std::string>& messages,
                    const std::string& url = "ws://localhost:10009/ws",
                    const std::string& extra = R"("serverIPAddress":"127.0.0.1",)") {
  std::string out = R"({"startedDateTime":"2024-01-20T10:30:05.102Z",)" + extra +
                    R"("request":{"method":"GET","url":")" + url +
                    R"("},"response":{"status":101},"_webSocketMessages":[)";
  for (size_t i = 0; i < messages.size(); ++i) out += (i ? "," : "") + messages[i];
  return out + "]}";
}

std::string Msg(const std::string& type, const std::string& time, int opcode,
                const std::string& data_literal) {
  return R"({"type":")" + type + R"(","time":)" + time + R"(,"opcode":)" + std::to_string(opcode) +
         R"(,"data":)" + data_literal + "}";
}

const std::string kRequest =
    R"("{\"type\":\"request\",\"action\":\"getStationById\",\"data\":{\"stationId\":\"station_001\"},\"requestId\":\"req_1\"}")";
const std::string kResponse =
    R"("{\"type\":\"response\",\"action\":\"getStationById\",\"data\":{},\"requestId\":\"req_1\"}")";
const std::string kUpdate = R"("{\"type\":\"update\",\"action\":\"stationsUpdated\",\"data\":{}}")";

SessionRecord ParseOrDie(const std::string& text) {
  Result<SessionRecord> record = ParseHar(text, "s.har");
  EXPECT_TRUE(record.ok()) << record.status().message();
  return record.ok() ? std::move(*record) : SessionRecord{};
}

std::string ErrorOf(const std::string& text) {
  Result<SessionRecord> record = ParseHar(text, "s.har");
  EXPECT_FALSE(record.ok());
  return record.ok() ? "" : record.status().message();
}

TEST(HarReaderTest, EachWebSocketEntryBecomesAConnection) {
  const std::string page =
      R"({"request":{"method":"GET","url":"http://localhost/"},"response":{"status":200}})";
  const std::string failed_upgrade =
      R"({"request":{"url":"ws://x/ws"},"response":{"status":404},"_webSocketMessages":[]})";
  SessionRecord r =
      ParseOrDie(Har({page, WsEntry({Msg("send", "100.5", 1, kRequest)}), failed_upgrade,
                      WsEntry({Msg("send", "200", 1, kRequest)}, "wss://h/live?v=2", "")}));
  ASSERT_EQ(r.connections.size(), 2u);
  EXPECT_EQ(r.connections[0].id, 1);
  EXPECT_EQ(r.connections[0].peer, "127.0.0.1");
  EXPECT_EQ(r.connections[0].path, "/ws");
  EXPECT_EQ(r.connections[0].opened_at, 100'500'000);
  EXPECT_EQ(r.connections[1].id, 2);
  EXPECT_EQ(r.connections[1].peer, "");
  EXPECT_EQ(r.connections[1].path, "/live?v=2");
  EXPECT_EQ(r.info.mode, "import");
  EXPECT_EQ(r.info.started_at, 100'500'000);
  EXPECT_EQ(r.info.ended_at, 200'000'000);
  EXPECT_EQ(r.info.options_json, R"({"import":"har","creator":"WebInspector 537.36"})");
  EXPECT_TRUE(r.snapshots.empty());
}

TEST(HarReaderTest, MessagesKeepTheirOrderWithOffsetsFromTheFirst) {
  SessionRecord r = ParseOrDie(Har({WsEntry({
      Msg("send", "1705746605.108312", 1, kRequest),
      Msg("receive", "1705746605.110957", 1, kResponse),
      Msg("receive", "1705746635.000873", 1, kUpdate),
  })}));
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.connections[0].opened_at, 1705746605108312);
  const std::vector<Micros> offsets = {0, 2645, 29892561};
  const std::vector<std::string> directions = {"in", "out", "out"};
  const std::vector<std::string> kinds = {"request", "response", "update"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.messages[i].connection_id, 1);
    EXPECT_EQ(r.messages[i].seq, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(r.messages[i].offset, offsets[i]);
    EXPECT_EQ(r.messages[i].direction, directions[i]);
    EXPECT_EQ(r.messages[i].kind, kinds[i]);
    EXPECT_FALSE(r.messages[i].binary);
  }
  EXPECT_EQ(
      r.messages[0].payload,
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_1"})");
  EXPECT_EQ(r.messages[0].action, "getStationById");
  EXPECT_EQ(r.messages[0].request_id, R"("req_1")");
  EXPECT_EQ(r.messages[2].action, "stationsUpdated");
  EXPECT_FALSE(r.messages[2].request_id.has_value());
}

TEST(HarReaderTest, BinaryFramesAreDecodedFromBase64) {
  SessionRecord r = ParseOrDie(Har(
      {WsEntry({Msg("receive", "5", 2, R"("AAH/AHRhaWw=")"), Msg("send", "6", 1, R"("aGk=")")})}));
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_TRUE(r.messages[0].binary);
  EXPECT_EQ(r.messages[0].payload, std::string("\0\x01\xff\0tail", 8));
  EXPECT_EQ(r.messages[0].kind, "other");
  EXPECT_FALSE(r.messages[1].binary);
  EXPECT_EQ(r.messages[1].payload, "aGk=");  // text stays text
}

TEST(HarReaderTest, ATextFrameMarkedBase64IsDecoded) {
  SessionRecord r = ParseOrDie(
      Har({WsEntry({R"({"type":"send","time":1,"opcode":1,"data":"//4=","encoding":"base64"})"})}));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_FALSE(r.messages[0].binary);
  EXPECT_EQ(r.messages[0].payload, "\xff\xfe");
}

TEST(HarReaderTest, AnEntryWithoutMessagesOpensAtItsStartedDateTime) {
  SessionRecord r = ParseOrDie(Har({WsEntry({})}));
  ASSERT_EQ(r.connections.size(), 1u);
  EXPECT_EQ(r.connections[0].opened_at, 1705746605102000);
  EXPECT_TRUE(r.messages.empty());
}

TEST(HarReaderTest, AnEntryWithoutMessagesNeedsAStartedDateTime) {
  const std::string entry =
      R"({"startedDateTime":"2024-01-20\n10:30","request":{"url":"ws://h/ws"},)"
      R"("response":{"status":101},"_webSocketMessages":[]})";
  // One line, even when the bad value holds a line break.
  EXPECT_EQ(ErrorOf(Har({entry})),
            "s.har: log.entries[0].startedDateTime: must be a UTC time like "
            "2024-01-20T10:30:00.000Z");
}

// As wsmock exports a session no client connected to.
TEST(HarReaderTest, AFileWithoutEntriesIsAnEmptySessionDatedByItsFirstPage) {
  SessionRecord r = ParseOrDie(
      R"({"log":{"creator":{"name":"wsmock","version":"0.1.0"},"pages":[)"
      R"({"startedDateTime":"2024-01-20T10:30:05.102Z","id":"session","title":"","pageTimings":{}},)"
      R"({"startedDateTime":"2024-01-20T11:00:00.000Z","id":"later","title":"","pageTimings":{}}],)"
      R"("entries":[]}})");
  EXPECT_TRUE(r.connections.empty());
  EXPECT_TRUE(r.messages.empty());
  EXPECT_EQ(r.info.mode, "import");
  EXPECT_EQ(r.info.started_at, 1705746605102000);
  EXPECT_EQ(r.info.ended_at, 1705746605102000);
  EXPECT_EQ(r.info.options_json, R"({"import":"har","creator":"wsmock 0.1.0"})");
}

TEST(HarReaderTest, UnknownFieldsAreIgnored) {
  SessionRecord r = ParseOrDie(Har(
      {WsEntry({R"({"type":"send","time":1,"opcode":1,"data":"x","_mask":true,"extra":[1]})"})}));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].payload, "x");
}

TEST(HarReaderTest, ErrorsNameTheFileTheEntryAndTheField) {
  EXPECT_EQ(ErrorOf("{\"log\":").rfind("s.har: not JSON: ", 0), 0u);
  EXPECT_EQ(ErrorOf(R"({"entries":[]})"), "s.har: log: must be an object (is this a HAR file?)");
  EXPECT_EQ(ErrorOf(R"({"log":{"version":"1.2"}})"), "s.har: log.entries: must be an array");
  EXPECT_EQ(ErrorOf(Har({})),
            "s.har: log.entries: no WebSocket entry (response status 101 with _webSocketMessages)");
  // A page dates a file without entries, not one whose entries are all
  // ordinary requests: most likely a capture that missed the socket.
  const std::string page =
      R"("pages":[{"startedDateTime":"2024-01-20T10:30:05.102Z","id":"p","title":""}],)";
  EXPECT_EQ(ErrorOf(R"({"log":{)" + page +
                    R"("entries":[{"request":{"url":"http://h/"},"response":{"status":200}}]}})"),
            "s.har: log.entries: no WebSocket entry (response status 101 with _webSocketMessages)");
  EXPECT_EQ(ErrorOf(R"({"log":{"pages":[{"startedDateTime":"today"}],"entries":[]}})"),
            "s.har: log.pages[0].startedDateTime: must be a UTC time like "
            "2024-01-20T10:30:00.000Z");
  EXPECT_EQ(ErrorOf(Har({"3"})), "s.har: log.entries[0]: must be an object");
  EXPECT_EQ(ErrorOf(Har({R"({"_webSocketMessages":[]})"})),
            "s.har: log.entries[0].response.status: must be a number");
  EXPECT_EQ(ErrorOf(Har({WsEntry({}), R"({"response":{"status":101},"_webSocketMessages":{}})"})),
            "s.har: log.entries[1]._webSocketMessages: must be an array");
  EXPECT_EQ(ErrorOf(Har({WsEntry({Msg("send", "1", 1, kRequest)}, "localhost:1/ws")})),
            "s.har: log.entries[0].request.url: must be a URL like ws://host/path");
}

TEST(HarReaderTest, ABadMessageIsNamedByItsIndex) {
  const std::string ok = Msg("send", "1", 1, kRequest);
  auto error_of_second = [&](const std::string& bad) { return ErrorOf(Har({WsEntry({ok, bad})})); };
  const std::string where = "s.har: log.entries[0]._webSocketMessages[1]";
  EXPECT_EQ(error_of_second("[]"), where + ": must be an object");
  EXPECT_EQ(error_of_second(Msg("sent", "1", 1, kRequest)),
            where + ".type: must be \"send\" or \"receive\"");
  EXPECT_EQ(error_of_second(Msg("send", "\"1\"", 1, kRequest)),
            where + ".time: must be a number of seconds since 1970");
  EXPECT_EQ(error_of_second(Msg("send", "-1", 1, kRequest)),
            where + ".time: must be a number of seconds since 1970");
  EXPECT_EQ(error_of_second(Msg("send", "1e300", 1, kRequest)),
            where + ".time: must be a number of seconds since 1970");
  EXPECT_EQ(error_of_second(Msg("send", "1", 8, kRequest)),
            where + ".opcode: must be 1 (text) or 2 (binary)");
  EXPECT_EQ(error_of_second(Msg("send", "1", 1, "{}")), where + ".data: must be a string");
  EXPECT_EQ(error_of_second(Msg("send", "1", 2, R"("not base64!")")).substr(0, where.size() + 28),
            where + ".data: is not valid base64: ");
  EXPECT_EQ(error_of_second(R"({"type":"send","time":1,"opcode":1,"data":"","encoding":"hex"})"),
            where + ".encoding: must be \"base64\" when present");
}

TEST(HarReaderTest, ANulInDataIsRefusedNotCutShort) {
  // cJSON would end the string at the NUL and import half a frame.
  EXPECT_EQ(ErrorOf(Har({WsEntry({Msg("send", "1", 1, R"("ab\u0000cd")")})})),
            "s.har: log.entries[0]._webSocketMessages[0].data: must not contain \\u0000, which "
            "cJSON would cut short");
  EXPECT_EQ(ErrorOf(Har({WsEntry({Msg("send", "1", 2, R"("QUJD\u0000RA==")")})})),
            "s.har: log.entries[0]._webSocketMessages[0].data: must not contain \\u0000, which "
            "cJSON would cut short");
  // Elsewhere in the file a NUL does no harm, and an escaped backslash is no NUL.
  SessionRecord r = ParseOrDie(Har({R"({"response":{"status":200,"content":{"text":"\u0000"}}})",
                                    WsEntry({Msg("send", "1", 1, R"("a\\u0000")")})}));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].payload, "a\\u0000");
}

TEST(HarReaderTest, HarFilesAreRecognisedByNameOrContent) {
  EXPECT_TRUE(LooksLikeHar("", "capture.har"));
  EXPECT_TRUE(LooksLikeHar("", "CAPTURE.HAR"));
  EXPECT_TRUE(LooksLikeHar(" {\"log\": {}}", "capture.json"));
  EXPECT_TRUE(LooksLikeHar("\xEF\xBB\xBF{\"x\":1,\"log\":{}}", ""));
  EXPECT_FALSE(LooksLikeHar(R"({"type":"session","format":1})"
                            "\n",
                            "s.jsonl"));
  EXPECT_FALSE(LooksLikeHar("", "-"));
}

}  // namespace
}  // namespace wsmock::transfer
