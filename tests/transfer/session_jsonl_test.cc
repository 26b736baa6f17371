#include "transfer/session_jsonl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transfer/session_records.h"

namespace wsmock::transfer {
namespace {

const std::string kSession =
    R"({"type":"session","format":1,"id":1,"startedAt":"2024-01-20T10:30:00.000Z",)"
    R"("startedAtUs":1705746600000000,"endedAtUs":null,"mode":"record","wsmockVersion":"0.1.0",)"
    R"("options":{"seed":42},"upstream":null})";
const std::string kConnection =
    R"({"type":"connection","session":1,"id":1,"openedAtUs":1705746600001000,)"
    R"("closedAtUs":null,"peer":"127.0.0.1:50001","path":"/ws","closeCode":null})";
const std::string kMessage =
    R"({"type":"message","connection":1,"seq":1,"offsetUs":10,"direction":"in",)"
    R"("kind":"request","action":"getStations","requestId":"r","json":{"type":"request"}})";
const std::string kSnapshot =
    R"({"type":"snapshot","session":1,"tick":0,"takenAtUs":1705746600000000,)"
    R"("stations":[{"id":"s1"}]})";

// `line` with its one occurrence of `from` replaced by `to`.
std::string Edit(std::string line, const std::string& from, const std::string& to) {
  const size_t at = line.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) line.replace(at, from.size(), to);
  return line;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string ErrorOf(const std::vector<std::string>& lines) {
  Result<std::vector<SessionRecord>> parsed = ParseSessionRecords(Join(lines), "session.jsonl");
  return parsed.ok() ? "(no error)" : parsed.status().message();
}

template <typename T>
T ParseAs(const std::string& line) {
  Result<Line> parsed = ParseLine(line);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed.ok() && std::holds_alternative<T>(*parsed));
  return parsed.ok() && std::holds_alternative<T>(*parsed) ? std::get<T>(*parsed) : T{};
}

store::MessageRow Message(std::string payload, bool binary) {
  return {1, 1, 1, 10, "in", "other", {}, {}, std::move(payload), binary};
}

std::string MessageLine(const store::MessageRow& row) {
  std::string out;
  Status s = AppendMessageLine(&out, row);
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

TEST(SessionJsonlTest, TheSampleLinesAreValid) {
  EXPECT_EQ(ErrorOf({kSession, kConnection, kMessage, kSnapshot}), "(no error)");
}

TEST(SessionJsonlTest, EachParseErrorNamesTheLineAndTheField) {
  struct Case {
    std::vector<std::string> lines;
    std::string error;
  };
  const std::string m = kMessage;
  const std::vector<Case> cases = {
      {{kSession, kConnection, Edit(m, R"("seq":1)", R"("seq":"1")")},
       "session.jsonl:3: message: field 'seq' must be an integer"},
      {{kSession, kConnection, Edit(m, R"("seq":1)", R"("seq":1.5)")},
       "session.jsonl:3: message: field 'seq' must be an integer"},
      {{kSession, kConnection, Edit(m, R"("seq":1)", R"("seq":9007199254740994)")},
       "session.jsonl:3: message: field 'seq' must be an integer from -2^53 to 2^53 "
       "(9007199254740992)"},
      {{kSession, kConnection, Edit(m, R"("offsetUs":10,)", "")},
       "session.jsonl:3: message: field 'offsetUs' is missing"},
      {{kSession, kConnection, Edit(m, R"("seq")", R"("sequence")")},
       "session.jsonl:3: message: unknown field 'sequence'"},
      {{kSession, kConnection, Edit(m, R"("seq":1,)", R"("seq":1,"seq":1,)")},
       "session.jsonl:3: message: field 'seq' appears twice"},
      {{kSession, kConnection, Edit(m, R"("in")", R"("sideways")")},
       R"(session.jsonl:3: message: field 'direction' must be "in" or "out")"},
      {{kSession, kConnection, Edit(m, R"("request","action")", R"("push","action")")},
       R"(session.jsonl:3: message: field 'kind' must be "request", "response", "error", )"
       R"("update" or "other")"},
      {{kSession, kConnection, Edit(m, R"("getStations")", "5")},
       "session.jsonl:3: message: field 'action' must be a string or null"},
      {{kSession, kConnection, Edit(m, R"("requestId":"r",)", "")},
       "session.jsonl:3: message: field 'requestId' is missing"},
      {{kSession, kConnection, Edit(m, R"("json")", R"("text":"x","json")")},
       "session.jsonl:3: message: needs exactly one of the fields 'json', 'text', 'base64' and "
       "'textBase64'"},
      {{kSession, kConnection, Edit(m, R"(,"json":{"type":"request"})", "")},
       "session.jsonl:3: message: needs exactly one of the fields 'json', 'text', 'base64' and "
       "'textBase64'"},
      {{kSession, kConnection, Edit(m, R"("json":{"type":"request"})", R"("base64":"Zg=")")},
       "session.jsonl:3: message: field 'base64' is not valid base64: length is not a multiple "
       "of 4"},
      {{kSession, kConnection, Edit(m, R"("json":{"type":"request"})", R"("text":"a\u0000")")},
       R"(session.jsonl:3: message: field 'text' must not contain \u0000)"},
      {{kSession, kConnection, Edit(m, R"("connection":1)", R"("connection":2)")},
       "session.jsonl:3: message: connection 2 has no connection line before it in its session"},
      {{kSession, kConnection, m, m},
       "session.jsonl:4: message: seq 1 appears twice in connection 1"},
      {{m}, "session.jsonl:1: message: comes before any session line"},
      {{kSession, Edit(kConnection, R"("session":1)", R"("session":2)")},
       "session.jsonl:2: connection: field 'session' is 2 but the session line above has id 1"},
      {{kSession, kConnection, kConnection},
       "session.jsonl:3: connection: id 1 appears twice in session 1"},
      {{kSession, Edit(kConnection, R"("closeCode":null)", R"("closeCode":70000)")},
       "session.jsonl:2: connection: field 'closeCode' must be between 0 and 65535, or null"},
      {{kSession, Edit(kConnection, R"("127.0.0.1:50001")", "null")},
       "session.jsonl:2: connection: field 'peer' must be a string"},
      {{kSession, Edit(kConnection, R"("closedAtUs":null)", R"("closedAtUs":"x")")},
       "session.jsonl:2: connection: field 'closedAtUs' must be an integer or null"},
      {{kSnapshot}, "session.jsonl:1: snapshot: comes before any session line"},
      {{kSession, kSnapshot, kSnapshot},
       "session.jsonl:3: snapshot: tick 0 appears twice in session 1"},
      {{kSession, Edit(kSnapshot, R"([{"id":"s1"}])", R"({"id":"s1"})")},
       "session.jsonl:2: snapshot: field 'stations' must be an array"},
      {{kSession, Edit(kSnapshot, R"({"id":"s1"})", R"({"id":"s1"},{"name":"s2"})")},
       "session.jsonl:2: snapshot: stations[1] must be an object with a string field 'id'"},
      {{kSession, Edit(kSnapshot, R"({"id":"s1"})", R"({"id":"s1"},{"id":"s1","x":1})")},
       R"(session.jsonl:2: snapshot: station "s1" appears twice)"},
      {{Edit(kSession, "10:30:00.000Z", "10:30:01.000Z")},
       R"(session.jsonl:1: session: field 'startedAt' must be "2024-01-20T10:30:00.000Z", )"
       R"(the time of 'startedAtUs')"},
      {{Edit(kSession, R"("record")", R"("live")")},
       R"(session.jsonl:1: session: field 'mode' must be "serve", "record", "proxy" or "import")"},
      {{Edit(kSession, R"({"seed":42})", "[42]")},
       "session.jsonl:1: session: field 'options' must be an object"},
      {{Edit(kSession, R"("upstream":null)", R"("upstream":"")")},
       "session.jsonl:1: session: field 'upstream' must be a non-empty string or null"},
      {{Edit(kSession, R"("format":1,)", "")},
       "session.jsonl:1: session: field 'format' is missing"},
      {{Edit(kSession, R"("format":1)", R"("format":0)")},
       "session.jsonl:1: session: field 'format' must be 1"},
      {{kSession, R"({"type":"message" "seq":1})"},
       "session.jsonl:2: not JSON: invalid JSON at byte offset 18"},
      {{kSession, "[]"}, "session.jsonl:2: a line must be a JSON object"},
      {{kSession, R"({"id":1})"}, "session.jsonl:2: field 'type' is missing"},
      {{kSession, R"({"type":5})"}, "session.jsonl:2: field 'type' must be a string"},
      {{kSession, R"({"type":"frame"})"},
       R"(session.jsonl:2: field 'type' is "frame", not session, connection, message or snapshot)"},
      {{kSession, "", " \t", Edit(kConnection, R"("id":1)", R"("id":"1")")},
       "session.jsonl:4: connection: field 'id' must be an integer"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ErrorOf(c.lines), c.error);
  }
}

// The fuzzer's find: import took values that export then refused to write.
// Whatever is stored verbatim must be JSON that export can embed again.
TEST(SessionJsonlTest, ImportRefusesVerbatimValuesThatExportCouldNotWriteBack) {
  const std::string bad_json = "must be JSON in valid UTF-8 without control bytes";
  const std::string m = kMessage;
  struct Case {
    std::vector<std::string> lines;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{Edit(kSession, R"("seed":42)", "\"seed\":42,\x01\"b\":2")},
       "session.jsonl:1: session: field 'options' " + bad_json},
      {{Edit(kSession, R"("seed":42)", "\"seed\":\t42")},
       "session.jsonl:1: session: field 'options' " + bad_json},
      {{Edit(kSession, R"("seed")", "\"\xC0\"")},
       "session.jsonl:1: session: field 'options' " + bad_json},
      // A raw control byte inside a string: the line itself is not JSON.
      {{kSession, kConnection, Edit(m, R"("requestId":"r")", "\"requestId\":\"r\x01\"")},
       "session.jsonl:3: not JSON: control character inside a string at byte offset 126"},
      {{kSession, kConnection, Edit(m, R"("requestId":"r")", "\"requestId\":\"\xff\"")},
       "session.jsonl:3: message: field 'requestId' " + bad_json},
      {{kSession, Edit(kSnapshot, R"({"id":"s1"})", "{\"id\":\"s1\",\"name\":\"\xff\"}")},
       "session.jsonl:2: snapshot: stations[0] " + bad_json},
      {{kSession, Edit(kSnapshot, R"({"id":"s1"})", "{\"id\":\"s0\"},{\"id\":\x02\"s1\"}")},
       "session.jsonl:2: snapshot: stations[1] " + bad_json},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ErrorOf(c.lines), c.error);
  }
}

// cJSON reads every byte up to the space as whitespace; between values they
// are not part of any value, so they neither fail the line nor get stored.
TEST(SessionJsonlTest, ControlBytesBetweenTokensAreWhitespace) {
  store::MessageRow row = ParseAs<store::MessageRow>(
      Edit(kMessage, R"("requestId":"r")", "\"requestId\":\x01\"r\"\x1f"));
  EXPECT_EQ(row.request_id, "\"r\"");
  SnapshotLine snapshot =
      ParseAs<SnapshotLine>(Edit(kSnapshot, R"([{"id":"s1"}])", "[\x05{\"id\":\"s1\"}\x06]"));
  ASSERT_EQ(snapshot.snapshot.stations.size(), 1u);
  EXPECT_EQ(snapshot.snapshot.stations[0].station_json, R"({"id":"s1"})");
  std::string out;
  EXPECT_TRUE(AppendMessageLine(&out, row).ok());
  EXPECT_TRUE(AppendSnapshotLine(&out, 1, snapshot.snapshot).ok());
}

// The fuzzer's find: a name from the file holding a newline made a
// two-line error. Names are escaped as the file spells them, and cut.
TEST(SessionJsonlTest, ErrorsShowNamesFromTheFileOnOneLine) {
  EXPECT_EQ(ErrorOf({R"({"type":"a\nb"})"}),
            R"(session.jsonl:1: field 'type' is "a\nb", not session, connection, message or )"
            R"(snapshot)");
  EXPECT_EQ(ErrorOf({R"({"type":"connection","a\nb":1})"}),
            R"(session.jsonl:1: connection: unknown field 'a\nb')");
  EXPECT_EQ(ErrorOf({kSession, Edit(kConnection, R"("id":1,)", "\"id\":1,\"\\u0001\xff\":1,")}),
            R"(session.jsonl:2: connection: unknown field '\u0001?')");
  EXPECT_EQ(
      ErrorOf({kSession, Edit(kSnapshot, R"({"id":"s1"})", R"({"id":"s\r\n1"},{"id":"s\r\n1"})")}),
      R"(session.jsonl:2: snapshot: station "s\r\n1" appears twice)");
  const std::string long_type = ErrorOf({R"({"type":")" + std::string(500, 'x') + "\"}"});
  EXPECT_EQ(long_type, "session.jsonl:1: field 'type' is \"" + std::string(80, 'x') +
                           "...\", not session, connection, message or snapshot");
}

TEST(SessionJsonlTest, ANewerFormatIsUnsupportedWhateverItsFields) {
  Result<std::vector<SessionRecord>> parsed = ParseSessionRecords(
      Join({R"({"type":"session","format":2,"somethingNew":true})"}), "session.jsonl");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kUnsupported);
  EXPECT_EQ(parsed.status().message(),
            "session.jsonl:1: session: format 2 is newer than this wsmock reads (1)");
}

TEST(SessionJsonlTest, ParsingTakesEmbeddedJsonVerbatim) {
  store::MessageRow row = ParseAs<store::MessageRow>(
      Edit(Edit(kMessage, R"({"type":"request"})", R"({"a": [1, 2.50], "b":"\u0041"})"),
           R"("requestId":"r")", R"("requestId":17.0)"));
  EXPECT_EQ(row.payload, R"({"a": [1, 2.50], "b":"\u0041"})");
  EXPECT_FALSE(row.binary);
  EXPECT_EQ(row.request_id, "17.0");
  EXPECT_EQ(row.session_id, 0);  // a message line names no session

  row = ParseAs<store::MessageRow>(Edit(kMessage, R"("requestId":"r")", R"("requestId":null)"));
  EXPECT_EQ(row.request_id, std::nullopt);

  store::SessionInfo info =
      ParseAs<store::SessionInfo>(Edit(kSession, R"({"seed":42})", R"({ "seed" : 42 })"));
  EXPECT_EQ(info.options_json, R"({ "seed" : 42 })");
  EXPECT_EQ(info.upstream, "");
  EXPECT_EQ(info.ended_at, std::nullopt);

  SnapshotLine snapshot = ParseAs<SnapshotLine>(
      Edit(kSnapshot, R"([{"id":"s1"}])", R"([ {"id":"s1", "n":[1]} ,{"id":"s\"2"}])"));
  ASSERT_EQ(snapshot.snapshot.stations.size(), 2u);
  EXPECT_EQ(snapshot.snapshot.stations[0].station_id, "s1");
  EXPECT_EQ(snapshot.snapshot.stations[0].station_json, R"({"id":"s1", "n":[1]})");
  EXPECT_EQ(snapshot.snapshot.stations[1].station_id, "s\"2");
  EXPECT_EQ(snapshot.snapshot.stations[1].station_json, R"({"id":"s\"2"})");
}

TEST(SessionJsonlTest, PayloadsTakeTheMostReadableFormThatKeepsTheirBytes) {
  EXPECT_EQ(MessageLine(Message(R"({"a":1})", false)),
            R"({"type":"message","connection":1,"seq":1,"offsetUs":10,"direction":"in",)"
            R"("kind":"other","action":null,"requestId":null,"json":{"a":1}})"
            "\n");
  EXPECT_NE(MessageLine(Message("Привет\n", false)).find(R"("text":"Привет\n"})"),
            std::string::npos);
  EXPECT_NE(MessageLine(Message(std::string("a\0b", 3), false)).find(R"("textBase64":"YQBi"})"),
            std::string::npos);
  EXPECT_NE(MessageLine(Message("\xC0\xAF", false)).find(R"("textBase64":"wK8="})"),
            std::string::npos);
  EXPECT_NE(MessageLine(Message(R"({"a":1})", true)).find(R"("base64":"eyJhIjoxfQ=="})"),
            std::string::npos);
}

TEST(SessionJsonlTest, EveryPayloadFormParsesBackToTheSameFrame) {
  const std::vector<store::MessageRow> rows = {
      Message(R"({"a":1})", false),
      Message("17", false),
      Message("Привет\r\n\"x\"", false),
      Message(std::string("a\0b", 3), false),
      Message("\xff", false),
      Message(std::string("\0\x01\xff", 3), true),
      Message("", false),
      Message("", true),
      Message(std::string(63, '[') + std::string(63, ']'), false),
      Message(std::string(64, '[') + std::string(64, ']'), false),
  };
  for (const store::MessageRow& row : rows) {
    std::string line = MessageLine(row);
    ASSERT_TRUE(line.ends_with('\n'));
    line.pop_back();
    store::MessageRow back = ParseAs<store::MessageRow>(line);
    EXPECT_EQ(back.payload, row.payload) << line;
    EXPECT_EQ(back.binary, row.binary) << line;
  }
}

TEST(SessionJsonlTest, WritingRefusesStoredValuesThatCannotBeEmbedded) {
  std::string out;
  store::SessionInfo info;
  info.id = 3;
  info.mode = "record";
  info.options_json = "{\"a\":\n1}";
  Status s = AppendSessionLine(&out, info);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_EQ(s.message(), "session 3: options_json is not a JSON object that fits on one line");

  store::MessageRow row = Message("{}", false);
  row.request_id = "req_1";  // not JSON text: the quotes are missing
  s = AppendMessageLine(&out, row);
  EXPECT_EQ(s.message(), "session 1 connection 1 message 1: request_id is not JSON on one line");

  s = AppendSnapshotLine(&out, 1, {{0, 0}, {{"s1", R"({"id":"s2"})"}}});
  EXPECT_EQ(s.message(),
            "session 1 tick 0: station 's1' is not a one-line JSON object with that id");
  s = AppendSnapshotLine(&out, 1, {{0, 0}, {{"s\n1", R"({"id":"s1"})"}}});
  EXPECT_EQ(s.message(),
            "session 1 tick 0: station 's\\n1' is not a one-line JSON object with that id");
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace wsmock::transfer
