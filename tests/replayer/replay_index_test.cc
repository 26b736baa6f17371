#include "replayer/replay_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "protocol/codec.h"

namespace wsmock::replayer {
namespace {

// Builds the rows a recording session would store: kind, action and
// request_id are read from the payload the way the recorder reads them.
class Recording {
 public:
  int64_t Open(Micros opened_at) {
    store::ConnectionRow c;
    c.session_id = 1;
    c.id = static_cast<int64_t>(connections.size()) + 1;
    c.opened_at = opened_at;
    c.peer = "127.0.0.1:40000";
    c.path = "/ws";
    connections.push_back(c);
    return c.id;
  }
  void In(int64_t connection, Micros offset, std::string payload) {
    Add(connection, offset, "in", std::move(payload));
  }
  void Out(int64_t connection, Micros offset, std::string payload) {
    Add(connection, offset, "out", std::move(payload));
  }
  ReplayIndex Build(const std::vector<std::string>& ignore = {}) const {
    auto keys = KeyMaker::Create(ignore);
    EXPECT_TRUE(keys.ok());
    auto index = ReplayIndex::Build(connections, messages, *keys);
    EXPECT_TRUE(index.ok()) << index.status().message();
    return std::move(index).value();
  }

  std::vector<store::ConnectionRow> connections;
  std::vector<store::MessageRow> messages;

 private:
  void Add(int64_t connection, Micros offset, const char* direction, std::string payload) {
    protocol::Peek peek = protocol::PeekMessage(payload);
    store::MessageRow m;
    m.session_id = 1;
    m.connection_id = connection;
    m.seq = ++seq_[connection];
    m.offset = offset;
    m.direction = direction;
    m.kind = std::string(protocol::MessageKindName(peek.kind));
    m.action = peek.action;
    m.request_id = peek.request_id;
    m.payload = std::move(payload);
    messages.push_back(std::move(m));
  }
  std::map<int64_t, int64_t> seq_;
};

std::string Request(std::string_view action, std::string_view data, std::string_view id) {
  return R"({"type":"request","action":")" + std::string(action) + R"(","data":)" +
         std::string(data) + R"(,"requestId":)" + std::string(id) + "}";
}

std::string Response(std::string_view action, std::string_view data, std::string_view id) {
  return protocol::EncodeResponse(action, data, id);
}

std::string KeyOf(std::string_view frame) {
  return KeyMaker::Create({})->KeyOfFrame(frame).value();
}

const std::string kStationsKey = KeyOf(Request("getStations", "{}", "1"));

TEST(ReplayIndexTest, AnswersWalkTheRecordedSequenceThenRepeatTheLast) {
  Recording r;
  int64_t c1 = r.Open(1'000'000);
  int64_t c2 = r.Open(1'500'000);
  r.In(c1, 10, Request("getStations", "{}", R"("req_1")"));
  r.Out(c1, 20, Response("getStations", R"({"n":1})", R"("req_1")"));
  r.In(c1, 900'000, Request("getStations", "{}", R"("req_2")"));
  r.Out(c1, 900'010, Response("getStations", R"({"n":3})", R"("req_2")"));
  // Connection 2 answered between the two answers of connection 1.
  r.In(c2, 10, Request("getStations", "{}", "5"));
  r.Out(c2, 20, Response("getStations", R"({"n":2})", "5"));
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 3u);
  EXPECT_EQ(index.recorded_keys(), 1u);
  for (const char* n : {"1", "2", "3", "3", "3"}) {
    EXPECT_EQ(index.Answer(kStationsKey, R"("x")"),
              Response("getStations", std::string(R"({"n":)") + n + "}", R"("x")"));
  }
}

// replay --per-connection: each cursor walks the sequence from the first,
// whatever the others asked; an answer Record() adds comes next for a
// cursor that had reached the end.
TEST(ReplayIndexTest, EachCursorWalksTheSequenceFromTheFirst) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 10, Request("getStations", "{}", "1"));
  r.Out(c, 20, Response("getStations", R"({"n":1})", "1"));
  r.In(c, 30, Request("getStations", "{}", "2"));
  r.Out(c, 40, Response("getStations", R"({"n":2})", "2"));
  ReplayIndex index = r.Build();
  auto answer = [&](ReplayIndex::Cursor* cursor) {
    std::string out;
    EXPECT_EQ(index.AnswerInto(kStationsKey, "7", &out, nullptr, cursor), ReplayIndex::Found::kAnswer);
    return out;
  };
  const std::string n1 = Response("getStations", R"({"n":1})", "7");
  const std::string n2 = Response("getStations", R"({"n":2})", "7");
  const std::string n3 = Response("getStations", R"({"n":3})", "7");
  ReplayIndex::Cursor a, b;
  EXPECT_EQ(answer(&a), n1);
  EXPECT_EQ(answer(&a), n2);
  EXPECT_EQ(answer(&a), n2);  // the last repeats
  EXPECT_EQ(answer(&b), n1);  // b starts from the first all the same
  index.Record(kStationsKey, Response("getStations", R"({"n":3})", "1"));
  EXPECT_EQ(answer(&a), n3);
  EXPECT_EQ(answer(&b), n2);
  EXPECT_EQ(index.MakeReport().requests_matched, 6);
}

TEST(ReplayIndexTest, AnswerIntoAppendsAfterWhatTheBufferHoldsAndLeavesItAloneOnAMiss) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 10, Request("getStations", "{}", "1"));
  r.Out(c, 20, Response("getStations", R"({"n":1})", "1"));
  ReplayIndex index = r.Build();
  std::string buffer(4, '#');  // headroom
  ASSERT_EQ(index.AnswerInto(kStationsKey, R"("q")", &buffer), ReplayIndex::Found::kAnswer);
  EXPECT_EQ(buffer, "####" + Response("getStations", R"({"n":1})", R"("q")"));
  std::string untouched = "##";
  EXPECT_EQ(index.AnswerInto("nothing\x1f{}", "1", &untouched), ReplayIndex::Found::kNothing);
  EXPECT_EQ(untouched, "##");
  EXPECT_EQ(index.MakeReport().requests_matched, 1);
}

TEST(ReplayIndexTest, FramesDifferingOnlyInRequestIdShareAKeyUnlessOneIsInvalid) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("a", "{}", R"("req_1")"));
  r.Out(c, 2, Response("a", R"({"n":1})", R"("req_1")"));
  r.In(c, 3, Request("a", "{}", "17"));
  r.Out(c, 4, Response("a", R"({"n":2})", "17"));
  // The same shape with an id the decoder rejects: keyed by its bytes.
  const std::string invalid = Request("a", "{}", "true");
  r.In(c, 5, invalid);
  r.Out(c, 6, R"({"type":"error","requestId":null})");
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 3u);
  EXPECT_EQ(index.recorded_keys(), 2u);
  const std::string key = KeyOf(Request("a", "{}", "1"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"n":1})", "9"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"n":2})", "9"));
  EXPECT_EQ(index.Answer(KeyOf(invalid), ""), R"({"type":"error","requestId":null})");
}

TEST(ReplayIndexTest, EqualTimesAreOrderedByConnectionThenSeq) {
  Recording r;
  int64_t c1 = r.Open(0);
  int64_t c2 = r.Open(0);
  r.In(c2, 5, Request("a", "{}", "1"));
  r.Out(c2, 7, Response("a", R"({"from":2})", "1"));
  r.In(c1, 5, Request("a", "{}", "1"));
  r.In(c1, 6, Request("a", "{}", "2"));
  r.Out(c1, 7, Response("a", R"({"from":1,"seq":3})", "1"));
  r.Out(c1, 7, Response("a", R"({"from":1,"seq":4})", "2"));
  ReplayIndex index = r.Build();
  std::string key = KeyOf(Request("a", "{}", "1"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"from":1,"seq":3})", "9"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"from":1,"seq":4})", "9"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"from":2})", "9"));
}

TEST(ReplayIndexTest, RequestIdSubstitutionKeepsTheIncomingTypeAndEveryOtherByte) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("getStationById", R"({"stationId":"station_001"})", R"("req_1")"));
  // Spacing as another server might write it, and a nested requestId that must stay.
  const std::string recorded =
      R"({ "type":"response", "action":"getStationById", "data":{"station":{"id":"station_001","requestId":"keep"}}, "requestId" : "req_1" })";
  r.Out(c, 2, recorded);
  r.In(c, 3, Request("getStationStats", "{}", "7"));
  r.Out(c, 4, Response("getStationStats", R"({"total":1})", "7"));
  ReplayIndex index = r.Build();

  std::string by_id = KeyOf(Request("getStationById", R"({"stationId":"station_001"})", "1"));
  EXPECT_EQ(
      index.Answer(by_id, "42"),
      R"({ "type":"response", "action":"getStationById", "data":{"station":{"id":"station_001","requestId":"keep"}}, "requestId" : 42 })");
  std::string stats = KeyOf(Request("getStationStats", "{}", "1"));
  EXPECT_EQ(index.Answer(stats, R"("req_9")"),
            Response("getStationStats", R"({"total":1})", R"("req_9")"));
  // No incoming id (a raw frame): the recorded bytes as they were.
  EXPECT_EQ(index.Answer(by_id, ""), recorded);
}

TEST(ReplayIndexTest, RecordedErrorsReplayAsErrors) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("getStationById", R"({"stationId":"nope"})", R"("r1")"));
  protocol::ErrorReply e{protocol::ErrorCode::kStationNotFound, "Station nope not found",
                         "getStationById", R"("r1")"};
  r.Out(c, 2, protocol::EncodeError(e));
  ReplayIndex index = r.Build();
  e.request_id = "3";
  EXPECT_EQ(index.Answer(KeyOf(Request("getStationById", R"({"stationId":"nope"})", "3")), "3"),
            protocol::EncodeError(e));
}

TEST(ReplayIndexTest, RawInvalidJsonExchangeReplays) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, "this is not json");
  const std::string error = protocol::EncodeError(
      {protocol::ErrorCode::kInvalidJson, "invalid JSON: invalid JSON at byte offset 0", {}, {}});
  r.Out(c, 2, error);
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 1u);
  EXPECT_EQ(index.Answer(KeyOf("this is not json"), ""), error);
  EXPECT_EQ(index.Answer(KeyOf("this is  not json"), ""), std::nullopt);
}

TEST(ReplayIndexTest, AnswersPairByRequestIdEvenOutOfOrder) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("a", R"({"n":1})", R"("r1")"));
  r.In(c, 2, Request("a", R"({"n":2})", R"("r2")"));
  r.Out(c, 3, Response("a", R"({"for":2})", R"("r2")"));
  r.Out(c, 4, Response("a", R"({"stray":true})", R"("r9")"));  // answers nothing
  r.Out(c, 5, Response("a", R"({"for":1})", R"("r1")"));
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 2u);
  EXPECT_EQ(index.Answer(KeyOf(Request("a", R"({"n":1})", "1")), "1"),
            Response("a", R"({"for":1})", "1"));
  EXPECT_EQ(index.Answer(KeyOf(Request("a", R"({"n":2})", "1")), "1"),
            Response("a", R"({"for":2})", "1"));
}

TEST(ReplayIndexTest, InterleavedProxyRecordingAnswersEachRequestWithItsOwnResponse) {
  Recording r;
  int64_t c = r.Open(0);
  // Eight requests in flight; the backend answered out of order.
  for (int i = 1; i <= 8; ++i) {
    r.In(c, i, Request("a", "{\"n\":" + std::to_string(i) + "}", "\"r" + std::to_string(i) + "\""));
  }
  Micros at = 100;
  for (int i : {5, 2, 8, 1, 3, 7, 4, 6}) {
    r.Out(c, at++, Response("a", "{\"for\":" + std::to_string(i) + "}",
                            "\"r" + std::to_string(i) + "\""));
  }
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 8u);
  for (int i = 1; i <= 8; ++i) {
    std::string n = std::to_string(i);
    EXPECT_EQ(index.Answer(KeyOf(Request("a", "{\"n\":" + n + "}", "1")), "\"x\""),
              Response("a", "{\"for\":" + n + "}", "\"x\""));
  }
}

TEST(ReplayIndexTest, ResponsesWithoutRequestIdPairInOrder) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("a", R"({"n":1})", R"("r1")"));
  r.In(c, 2, Request("a", R"({"n":2})", R"("r2")"));
  const std::string first = R"({"type":"response","action":"a","data":{"for":1}})";
  const std::string second = R"({"type":"response","action":"a","data":{"for":2}})";
  r.Out(c, 3, first);
  r.Out(c, 4, second);
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 2u);
  // No recorded id to replace: the bytes as recorded.
  EXPECT_EQ(index.Answer(KeyOf(Request("a", R"({"n":2})", "1")), "1"), second);
  EXPECT_EQ(index.Answer(KeyOf(Request("a", R"({"n":1})", "1")), "1"), first);
}

TEST(ReplayIndexTest, FramesThatAreNotJsonReplayInOrder) {
  Recording r;
  int64_t c = r.Open(0);
  r.Out(c, 1, "welcome");
  r.In(c, 2, "ping");
  r.Out(c, 3, "pong");
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.Answer(KeyOf("ping"), ""), "pong");
  ASSERT_EQ(index.PushesFor(0).size(), 1u);
  EXPECT_EQ(index.PushesFor(0)[0].payload, "welcome");
  EXPECT_EQ(index.PushesFor(0)[0].after_key, "");
}

TEST(ReplayIndexTest, RepeatedRequestIdsPairOldestFirst) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("a", R"({"n":1})", "1"));
  r.In(c, 2, Request("a", R"({"n":2})", "1"));
  r.Out(c, 3, Response("a", R"({"for":1})", "1"));
  r.Out(c, 4, Response("a", R"({"for":2})", "1"));
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.Answer(KeyOf(Request("a", R"({"n":2})", "1")), "1"),
            Response("a", R"({"for":2})", "1"));
}

TEST(ReplayIndexTest, ARequestNeverAnsweredIsAnsweredWithSilence) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("a", "{}", "1"));
  r.Out(c, 2, Response("a", "{}", "2"));  // another id: a stray answer
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.recorded_requests(), 0u);  // no exchange
  EXPECT_EQ(index.recorded_keys(), 1u);
  const std::string key = KeyOf(Request("a", "{}", "1"));
  std::string out = "head";
  EXPECT_EQ(index.AnswerInto(key, "1", &out), ReplayIndex::Found::kSilence);
  EXPECT_EQ(out, "head");
  EXPECT_EQ(index.Answer(key, "1"), "");
  EXPECT_EQ(index.MakeReport().requests_matched, 2);
  EXPECT_EQ(index.Answer(KeyOf(Request("b", "{}", "1")), "1"), std::nullopt);
}

TEST(ReplayIndexTest, ARequestAnsweredOnceIsAnsweredFromItsAnswersAlone) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("a", "{}", "1"));  // never answered
  r.In(c, 2, Request("a", "{}", "2"));
  r.Out(c, 3, Response("a", R"({"n":2})", "2"));
  ReplayIndex index = r.Build();
  const std::string key = KeyOf(Request("a", "{}", "9"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"n":2})", "9"));
  EXPECT_EQ(index.Answer(key, "9"), Response("a", R"({"n":2})", "9"));
}

TEST(ReplayIndexTest, AnUnaskedSilentRequestIsReportedUnused) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("subscribe", "{}", "1"));
  ReplayIndex index = r.Build();
  ReplayReport report = index.MakeReport();
  ASSERT_EQ(report.unused.size(), 1u);
  EXPECT_EQ(report.unused[0].key, KeyOf(Request("subscribe", "{}", "1")));
}

TEST(ReplayIndexTest, MatchIgnoreAppliesToRecordedAndIncomingRequests) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("feed", R"({"since":"2024-01-01T00:00:00Z","topic":"t"})", "1"));
  r.Out(c, 2, Response("feed", R"({"items":[]})", "1"));
  ReplayIndex index = r.Build({"/data/since"});
  auto keys = KeyMaker::Create({"/data/since"});
  ASSERT_TRUE(keys.ok());
  std::string key =
      *keys->KeyOfFrame(Request("feed", R"({"topic":"t","since":"2025-06-30T12:00:00Z"})", "8"));
  EXPECT_EQ(index.Answer(key, "8"), Response("feed", R"({"items":[]})", "8"));
}

TEST(ReplayIndexTest, PushesFollowTheirConnectionWithAfterKey) {
  Recording r;
  int64_t c1 = r.Open(100);
  int64_t c2 = r.Open(200);
  const std::string u1 = protocol::EncodeUpdate("stationUpdate", R"({"n":1})");
  const std::string u2 = protocol::EncodeUpdate("stationUpdate", R"({"n":2})");
  const std::string u3 = protocol::EncodeUpdate("stationUpdate", R"({"n":3})");
  r.Out(c1, 50, u1);
  r.In(c1, 60, Request("getStations", "{}", "1"));
  r.Out(c1, 70, Response("getStations", "{}", "1"));
  r.Out(c1, 80, u2);
  r.Out(c2, 30, u3);
  ReplayIndex index = r.Build();
  ASSERT_EQ(index.recorded_connections(), 2u);
  const auto& first = index.PushesFor(0);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].offset, 50);
  EXPECT_EQ(first[0].payload, u1);
  EXPECT_EQ(first[0].after_key, "");
  EXPECT_EQ(first[1].offset, 80);
  EXPECT_EQ(first[1].payload, u2);
  EXPECT_EQ(first[1].after_key, kStationsKey);
  ASSERT_EQ(index.PushesFor(1).size(), 1u);
  EXPECT_EQ(index.PushesFor(1)[0].payload, u3);
}

TEST(ReplayIndexTest, ClientsBeyondTheRecordedCountFollowTheLastConnection) {
  Recording r;
  r.Open(0);
  int64_t c2 = r.Open(0);
  r.Out(c2, 5, protocol::EncodeUpdate("u", "{}"));
  ReplayIndex index = r.Build();
  EXPECT_TRUE(index.PushesFor(0).empty());
  EXPECT_EQ(&index.PushesFor(7), &index.PushesFor(1));
  EXPECT_EQ(index.PushesFor(7).size(), 1u);
}

TEST(ReplayIndexTest, ConnectionsOpenedAfterTheSessionEndedTakeNoClientSlot) {
  Recording r;
  int64_t c1 = r.Open(100);
  r.Out(c1, 5, protocol::EncodeUpdate("u", "{}"));
  // Appended by replay --record-missing after the session ended at 1000.
  int64_t appended = r.Open(2000);
  r.In(appended, 0, Request("getStations", "{}", "1"));
  r.Out(appended, 1, Response("getStations", R"({"n":1})", "1"));
  auto keys = KeyMaker::Create({});
  auto index = ReplayIndex::Build(r.connections, r.messages, *keys, Micros{1000});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->recorded_connections(), 1u);
  EXPECT_EQ(index->PushesFor(1).size(), 1u) << "the second client still gets the pushes";
  EXPECT_EQ(index->Answer(kStationsKey, "2"), Response("getStations", R"({"n":1})", "2"));
  // Without an end every connection takes a slot, as before.
  auto unended = ReplayIndex::Build(r.connections, r.messages, *keys);
  ASSERT_TRUE(unended.ok());
  EXPECT_EQ(unended->recorded_connections(), 2u);
  EXPECT_TRUE(unended->PushesFor(1).empty());
}

TEST(ReplayIndexTest, RecordedNowAnswersLaterRequestsAndIsReportedApart) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("getStationById", R"({"stationId":"s1"})", "1"));
  r.Out(c, 2, Response("getStationById", R"({"station":1})", "1"));
  ReplayIndex index = r.Build();
  const std::string missing = KeyOf(Request("getStations", "{}", "1"));
  ASSERT_EQ(index.Answer(missing, "5"), std::nullopt);
  index.Record(missing, Response("getStations", R"({"new":true})", "5"));
  EXPECT_EQ(index.recorded_now(), 1);
  EXPECT_EQ(index.Answer(missing, R"("x")"), Response("getStations", R"({"new":true})", R"("x")"));
  EXPECT_EQ(index.Answer(missing, "6"), Response("getStations", R"({"new":true})", "6"));
  // The recorded key is the closest to a near miss now.
  EXPECT_NE(index.NoteUnmatched(KeyOf(Request("getStations", R"({"a":1})", "1")))
                .find("closest recorded: getStations {}"),
            std::string::npos);

  ReplayReport report = index.MakeReport();
  EXPECT_EQ(report.requests_total, 4);  // 2 matched + 1 recorded + 1 unmatched
  EXPECT_EQ(report.requests_matched, 2);
  EXPECT_EQ(report.requests_recorded, 1);
  ASSERT_EQ(report.recorded.size(), 1u);
  EXPECT_EQ(report.recorded[0].description, "getStations {}");
  EXPECT_EQ(report.recorded[0].count, 1);
  ASSERT_EQ(report.matched.size(), 1u);
  EXPECT_EQ(report.matched[0].description, "getStations {}");
  ASSERT_EQ(report.unused.size(), 1u) << "getStationById was never asked for";
}

TEST(ReplayIndexTest, AnswerRecordedNowForARepeatingKeyComesNext) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("getStations", "{}", "1"));
  r.Out(c, 2, Response("getStations", R"({"n":1})", "1"));
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.Answer(kStationsKey, "1"), Response("getStations", R"({"n":1})", "1"));
  index.Record(kStationsKey, Response("getStations", R"({"n":2})", "1"));
  EXPECT_EQ(index.Answer(kStationsKey, "1"), Response("getStations", R"({"n":2})", "1"));
  EXPECT_EQ(index.Answer(kStationsKey, "1"), Response("getStations", R"({"n":2})", "1"));
}

TEST(ReplayIndexTest, AnEmptyRecordingHasNoPushesAndNoAnswers) {
  ReplayIndex index = Recording().Build();
  EXPECT_TRUE(index.PushesFor(0).empty());
  EXPECT_TRUE(index.PushesFor(3).empty());
  EXPECT_EQ(index.Answer(kStationsKey, "1"), std::nullopt);
  EXPECT_EQ(index.NoteUnmatched(kStationsKey),
            "no recorded answer for getStations {}; nothing was recorded");
}

TEST(ReplayIndexTest, RowsInAnyOrderBuildTheSameIndex) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("getStations", "{}", "1"));
  r.Out(c, 2, Response("getStations", R"({"n":1})", "1"));
  r.Out(c, 3, protocol::EncodeUpdate("u", "{}"));
  std::reverse(r.messages.begin(), r.messages.end());
  ReplayIndex index = r.Build();
  EXPECT_EQ(index.Answer(kStationsKey, "2"), Response("getStations", R"({"n":1})", "2"));
  ASSERT_EQ(index.PushesFor(0).size(), 1u);
  EXPECT_EQ(index.PushesFor(0)[0].after_key, kStationsKey);
}

TEST(ReplayIndexTest, UnmatchedRequestNamesTheClosestRecorded) {
  Recording r;
  int64_t c = r.Open(0);
  r.In(c, 1, Request("getStations", "{}", "1"));
  r.Out(c, 2, Response("getStations", "{}", "1"));
  r.In(c, 3, Request("getStationById", R"({"fields":["id"]})", "2"));
  r.Out(c, 4, Response("getStationById", "{}", "2"));
  ReplayIndex index = r.Build();
  std::string asked = KeyOf(Request("getStations", R"({"fields":["id"]})", "1"));
  EXPECT_EQ(index.Answer(asked, "1"), std::nullopt);
  EXPECT_EQ(
      index.NoteUnmatched(asked),
      R"(no recorded answer for getStations {"fields":["id"]}; closest recorded: getStations {})");
  index.NoteUnmatched(asked);
  ReplayReport report = index.MakeReport();
  ASSERT_EQ(report.unmatched.size(), 1u);
  EXPECT_EQ(report.unmatched[0].key, asked);
  EXPECT_EQ(report.unmatched[0].count, 2);
  EXPECT_EQ(report.unmatched[0].closest, "getStations {}");
}

TEST(ReplayIndexTest, ReportCountsMatchesMissesAndUnusedKeys) {
  Recording r;
  int64_t c = r.Open(0);
  for (const char* action : {"c", "a", "b"}) {
    r.In(c, 1, Request(action, "{}", "1"));
    r.Out(c, 2, Response(action, "{}", "1"));
  }
  ReplayIndex index = r.Build();
  const std::string b = KeyOf(Request("b", "{}", "1"));
  const std::string z = KeyOf(Request("z", "{}", "1"));
  const std::string y = KeyOf(Request("y", "{}", "1"));
  ASSERT_TRUE(index.Answer(b, "1").has_value());
  ASSERT_TRUE(index.Answer(b, "2").has_value());
  index.NoteUnmatched(z);
  index.NoteUnmatched(y);
  index.NoteUnmatched(z);
  ReplayReport report = index.MakeReport();
  EXPECT_EQ(report.requests_total, 5);
  EXPECT_EQ(report.requests_matched, 2);
  ASSERT_EQ(report.matched.size(), 1u);
  EXPECT_EQ(report.matched[0].description, "b {}");
  EXPECT_EQ(report.matched[0].count, 2);
  ASSERT_EQ(report.unmatched.size(), 2u);  // by first occurrence
  EXPECT_EQ(report.unmatched[0].key, z);
  EXPECT_EQ(report.unmatched[0].count, 2);
  EXPECT_EQ(report.unmatched[1].key, y);
  ASSERT_EQ(report.unused.size(), 2u);  // sorted by key
  EXPECT_EQ(report.unused[0].description, "a {}");
  EXPECT_EQ(report.unused[1].description, "c {}");
}

TEST(ReplayIndexTest, MessageOnAnUnknownConnectionIsCorruption) {
  Recording r;
  r.Open(0);
  r.In(1, 1, Request("a", "{}", "1"));
  r.messages[0].connection_id = 9;
  auto keys = KeyMaker::Create({});
  auto index = ReplayIndex::Build(r.connections, r.messages, *keys);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), Status::Code::kCorruption);
  EXPECT_NE(index.status().message().find("connection 9"), std::string::npos);
}

TEST(ReplayIndexTest, UnknownDirectionIsCorruption) {
  Recording r;
  r.Open(0);
  r.In(1, 1, Request("a", "{}", "1"));
  r.messages[0].direction = "sideways";
  auto keys = KeyMaker::Create({});
  auto index = ReplayIndex::Build(r.connections, r.messages, *keys);
  ASSERT_FALSE(index.ok());
  EXPECT_NE(index.status().message().find("sideways"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::replayer
