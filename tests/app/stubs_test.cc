#include "app/stubs.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock::app {
namespace {

Stub StubOf(std::string_view body) {
  Result<Stub> stub = ParseStub(body);
  EXPECT_TRUE(stub.ok()) << body << ": " << stub.status().message();
  return stub.ok() ? std::move(*stub) : Stub{};
}

std::string Refusal(std::string_view body) {
  Result<Stub> stub = ParseStub(body);
  EXPECT_FALSE(stub.ok()) << body;
  return stub.ok() ? "" : stub.status().message();
}

json::JsonPtr Json(std::string_view text) {
  Result<json::JsonPtr> parsed = json::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? std::move(*parsed) : nullptr;
}

TEST(StubsTest, AStubReadsItsMatchAnswerDelayCloseAndTimes) {
  const Stub stub = StubOf(
      R"({"match":{"action":"getStations","data":{"filters":{"city":"Москва"}}},)"
      R"("data":{"stations":[],"total":0.0},"delayMs":250,"close":{"code":4000,"reason":"bye"},)"
      R"("times":2})");
  EXPECT_EQ(stub.action, "getStations");
  ASSERT_NE(stub.data, nullptr);
  EXPECT_EQ(stub.answer.kind, StubAnswer::Kind::kData);
  EXPECT_EQ(stub.answer.data_json, R"({"stations":[],"total":0.0})");  // as written
  EXPECT_EQ(stub.answer.delay, 250000);
  ASSERT_TRUE(stub.answer.close.has_value());
  EXPECT_EQ(stub.answer.close->code, 4000);
  EXPECT_EQ(stub.answer.close->reason, "bye");
  EXPECT_EQ(stub.times, std::optional<int64_t>(2));

  const Stub silent = StubOf("{}");
  EXPECT_EQ(silent.answer.kind, StubAnswer::Kind::kNothing);
  EXPECT_EQ(silent.action, "");
  EXPECT_EQ(silent.times, std::nullopt);
  EXPECT_TRUE(StubOf(R"({"close":{"drop":true}})").answer.close->drop);

  const Stub late = StubOf(R"({"continue":true,"delayMs":250})");
  EXPECT_EQ(late.answer.kind, StubAnswer::Kind::kContinue);
  EXPECT_EQ(late.answer.delay, 250'000);
  EXPECT_EQ(StubFrame(late.answer, "getStations", R"("r")"), std::nullopt);
}

TEST(StubsTest, ABadStubIsRefusedWithWhatIsWrong) {
  EXPECT_NE(Refusal("[]").find("a stub is a JSON object"), std::string::npos);
  EXPECT_NE(Refusal("{").find("a stub is a JSON object"), std::string::npos);
  EXPECT_EQ(Refusal(R"({"dta":{}})"),
            "unknown field 'dta': a stub is a JSON object of match, data, error, frame, "
            "continue, delayMs, close and times");
  EXPECT_EQ(Refusal(R"({"continue":true,"error":{"code":"X","message":"m"}})"),
            "a stub answers with one of data, error, frame and continue at most");
  EXPECT_NE(Refusal(R"({"continue":false})").find("continue must be true"), std::string::npos);
  EXPECT_NE(Refusal(R"({"continue":true,"close":{"drop":true}})").find("a drop throws away"),
            std::string::npos);
  EXPECT_EQ(Refusal(R"({"data":{},"frame":"x"})"),
            "a stub answers with one of data, error, frame and continue at most");
  EXPECT_NE(Refusal(R"({"frame":"x","close":{"drop":true}})").find("a drop throws away"),
            std::string::npos);
  EXPECT_EQ(Refusal(R"({"data":[]})"), "data must be an object");
  EXPECT_EQ(Refusal(R"({"delayMs":-1})"), "delayMs must be a whole number from 0 to 600000");
  EXPECT_EQ(Refusal(R"({"delayMs":1.5})"), "delayMs must be a whole number from 0 to 600000");
  EXPECT_EQ(Refusal(R"({"times":0})"), "times must be a whole number from 1 to 1000000000");
  EXPECT_EQ(Refusal(R"({"match":"getStations"})"),
            "match must be an object with action and/or data");
  EXPECT_EQ(Refusal(R"({"match":{"action":""}})"), "match.action must be a non-empty string");
  EXPECT_EQ(Refusal(R"({"match":{"acton":"x"}})"),
            "unknown field 'match.acton': match takes action and data");
  EXPECT_EQ(Refusal(R"({"error":{"code":"X"}})"),
            R"(error must be {"code":"...","message":"..."}, a non-empty code and a message)");
  EXPECT_EQ(Refusal(R"({"frame":"a","frame":"b"})"), "'frame' is given twice");
  EXPECT_EQ(Refusal(R"({"match":{"data":{"filters":[{"city":"a","city":"b"}]}}})"),
            "match.data: 'city' is given twice");
  EXPECT_NE(Refusal(R"({"close":{"code":1005}})").find("close must be"), std::string::npos);
  EXPECT_NE(Refusal("{\"frame\":\"a\x01\"}").find("control character inside a string"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"frame":"a\u0000b"})").find("\\u0000"), std::string::npos);
  EXPECT_EQ(Refusal("{\"frame\":\"a\xff\"}"), "a stub is UTF-8 text, and this body is not");
  EXPECT_EQ(Refusal(R"({"data":{"n":01}})"),
            "a number JSON does not allow at byte offset 13 (write 1, 0.5, 1e3)");
  EXPECT_EQ(Refusal("{\"data\":{\"n\":\"\xc3\"}}"), "a stub is UTF-8 text, and this body is not");
}

TEST(StubsTest, DataMatchesMemberByMemberAndArraysWhole) {
  const Stub stub = StubOf(R"({"match":{"data":{"filters":{"city":"Москва"},"fields":["id"]}}})");
  json::JsonPtr held = Json(R"({"filters":{"city":"Москва","status":"active"},"fields":["id"]})");
  EXPECT_TRUE(StubMatches(stub, "anything", held.get()));
  json::JsonPtr other_city = Json(R"({"filters":{"city":"Казань"},"fields":["id"]})");
  EXPECT_FALSE(StubMatches(stub, "getStations", other_city.get()));
  json::JsonPtr more_fields = Json(R"({"filters":{"city":"Москва"},"fields":["id","city"]})");
  EXPECT_FALSE(StubMatches(stub, "getStations", more_fields.get()));
  EXPECT_FALSE(StubMatches(stub, "getStations", nullptr));  // a request without data

  // Nothing asked: a request without data is held too.
  EXPECT_TRUE(StubMatches(StubOf(R"({"match":{"data":{}}})"), "getStationStats", nullptr));
  // ... but a member asked for must be there, even when it asks nothing.
  EXPECT_FALSE(StubMatches(StubOf(R"({"match":{"data":{"filters":{}}}})"), "x", nullptr));

  const Stub by_action = StubOf(R"({"match":{"action":"getStationStats"}})");
  EXPECT_TRUE(StubMatches(by_action, "getStationStats", nullptr));
  EXPECT_FALSE(StubMatches(by_action, "getStations", nullptr));
}

TEST(StubsTest, TheFrameCarriesTheRequestsActionAndId) {
  EXPECT_EQ(StubFrame(StubOf(R"({"data":{"n": 1.50}})").answer, "getStations", R"("req_1")"),
            R"({"type":"response","action":"getStations","data":{"n": 1.50},"requestId":"req_1"})");
  EXPECT_EQ(StubFrame(StubOf(R"({"error":{"code":"UNAVAILABLE","message":"try later"}})").answer,
                      "getStations", "7"),
            R"({"type":"error","action":"getStations","requestId":7,)"
            R"("error":{"code":"UNAVAILABLE","message":"try later"}})");
  EXPECT_EQ(StubFrame(StubOf(R"({"frame":"not even json"})").answer, "x", "1"), "not even json");
  EXPECT_EQ(StubFrame(StubOf(R"({"data":{}})").answer, "x", ""),
            R"({"type":"response","action":"x","data":{},"requestId":null})");
  EXPECT_EQ(StubFrame(StubOf("{}").answer, "x", "1"), std::nullopt);
}

TEST(StubsTest, TheNewestMatchingStubAnswersAndOneUsedUpIsGone) {
  StubTable table;
  EXPECT_EQ(table.Add(StubOf(R"({"frame":"any"})")), 1);
  EXPECT_EQ(table.Add(StubOf(R"({"match":{"action":"a"},"frame":"first a","times":1})")), 2);
  EXPECT_EQ(table.Add(StubOf(R"({"match":{"action":"b"},"frame":"b"})")), 3);
  std::optional<StubTable::Hit> hit = table.Take("a", nullptr);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->id, 2);
  EXPECT_EQ(hit->answer.frame, "first a");
  EXPECT_EQ(table.size(), 2u);  // its one time is used
  EXPECT_EQ(table.Take("a", nullptr)->id, 1);
  EXPECT_EQ(table.Take("b", nullptr)->id, 3);
  EXPECT_EQ(table.ListJson(), R"({"stubs":[{"id":1,"hits":1,"stub":{"frame":"any"}},)"
                              R"({"id":3,"hits":1,"stub":{"match":{"action":"b"},"frame":"b"}}]})");
  EXPECT_TRUE(table.Remove(1));
  EXPECT_FALSE(table.Remove(1));
  EXPECT_FALSE(table.Take("a", nullptr).has_value());
  EXPECT_EQ(table.Clear(), 1u);
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.Add(StubOf("{}")), 4);  // ids are never reused
}

TEST(StubsTest, TheTableHoldsABoundedNumber) {
  StubTable table;
  for (size_t i = 0; i < StubTable::kMaxStubs; ++i) ASSERT_NE(table.Add(StubOf("{}")), 0);
  EXPECT_EQ(table.Add(StubOf("{}")), 0);
}

TEST(StubsTest, AStubIsListedAsPostedWithoutItsWhitespace) {
  StubTable table;
  table.Add(
      StubOf("{ \"data\" : {\"n\": 22.0, \"big\": 12345678901234567890, \"s\": \"a b\"},\n"
             "  \"times\": 1e3 }"));
  EXPECT_EQ(table.ListJson(),
            R"({"stubs":[{"id":1,"hits":0,"timesLeft":1000,"stub":)"
            R"({"data":{"n":22.0,"big":12345678901234567890,"s":"a b"},"times":1e3}}]})");
}

TEST(StubsTest, TimesLeftAreListed) {
  StubTable table;
  table.Add(StubOf(R"({"times":3})"));
  table.Take("x", nullptr);
  EXPECT_EQ(table.ListJson(), R"({"stubs":[{"id":1,"hits":1,"timesLeft":2,"stub":{"times":3}}]})");
}

}  // namespace
}  // namespace wsmock::app
