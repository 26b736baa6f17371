#include "replayer/match_key.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "protocol/codec.h"

namespace wsmock::replayer {
namespace {

KeyMaker Maker(const std::vector<std::string>& ignore = {}) {
  auto maker = KeyMaker::Create(ignore);
  EXPECT_TRUE(maker.ok()) << maker.status().message();
  return std::move(maker).value();
}

std::string Key(const KeyMaker& maker, std::string_view frame) {
  return maker.KeyOfFrame(frame).value_or("<none>");
}

TEST(ReplayIndexKeyTest, KeyIsActionAndCanonicalData) {
  EXPECT_EQ(
      Key(Maker(),
          R"({"type":"request","action":"getStations","data":{"b":1,"a":[2]},"requestId":"r"})"),
      "getStations\x1f{\"a\":[2],\"b\":1}");
}

TEST(ReplayIndexKeyTest, ANumberBeyondADoubleIsNeitherNullNorItsNegative) {
  KeyMaker maker = Maker();
  auto key = [&](std::string_view value) {
    return Key(maker, R"({"type":"request","action":"a","requestId":"r","data":{"x":)" + std::string(value) +
               "}}");
  };
  EXPECT_EQ(key("1e400"), "a\x1f{\"x\":1e999}");
  EXPECT_EQ(key("1e400"), key("2e500"));  // both the same infinity
  EXPECT_NE(key("1e400"), key("null"));
  EXPECT_NE(key("1e400"), key("-1e400"));
}

TEST(ReplayIndexKeyTest, KeyOrderAndWhitespaceDoNotChangeTheKey) {
  KeyMaker maker = Maker();
  std::string a = Key(
      maker,
      R"({"type":"request","action":"getStations","data":{"fields":["id"],"pagination":{"page":1,"limit":5}},"requestId":"req_1"})");
  std::string b = Key(
      maker, R"( { "requestId" : "req_1" , "data" : { "pagination" : { "limit" : 5 , "page" : 1 } ,
      "fields" : [ "id" ] } , "action" : "getStations" , "type" : "request" } )");
  EXPECT_EQ(a, b);
}

TEST(ReplayIndexKeyTest, RequestIdDoesNotCount) {
  KeyMaker maker = Maker();
  EXPECT_EQ(Key(maker, R"({"type":"request","action":"a","data":{"x":1},"requestId":"req_1"})"),
            Key(maker, R"({"type":"request","action":"a","data":{"x":1},"requestId":99})"));
}

TEST(ReplayIndexKeyTest, ActionAndDataValuesDoCount) {
  KeyMaker maker = Maker();
  std::string base = Key(maker, R"({"type":"request","action":"a","data":{"x":1},"requestId":1})");
  EXPECT_NE(base, Key(maker, R"({"type":"request","action":"b","data":{"x":1},"requestId":1})"));
  EXPECT_NE(base, Key(maker, R"({"type":"request","action":"a","data":{"x":2},"requestId":1})"));
  EXPECT_NE(base, Key(maker, R"({"type":"request","action":"a","data":{"x":"1"},"requestId":1})"));
}

TEST(ReplayIndexKeyTest, AbsentDataIsTheEmptyObject) {
  KeyMaker maker = Maker();
  EXPECT_EQ(Key(maker, R"({"type":"request","action":"getStations","requestId":1})"),
            Key(maker, R"({"type":"request","action":"getStations","data":{},"requestId":2})"));
}

TEST(ReplayIndexKeyTest, IgnorePointerLeavesAVolatileFieldOut) {
  KeyMaker maker = Maker({"/data/since"});
  EXPECT_EQ(Key(maker, R"({"type":"request","action":"a","data":{"since":1,"x":1},"requestId":1})"),
            "a\x1f{\"x\":1}");
  EXPECT_EQ(Key(maker, R"({"type":"request","action":"a","data":{"since":2,"x":1},"requestId":1})"),
            Key(maker, R"({"type":"request","action":"a","data":{"x":1},"requestId":1})"));
}

TEST(ReplayIndexKeyTest, IgnorePointerStarMatchesAnyKeyOrIndex) {
  KeyMaker maker = Maker({"/data/items/*/ts", "/*/nonce"});
  EXPECT_EQ(
      Key(maker,
          R"({"type":"request","action":"a","data":{"nonce":"n1","items":[{"id":1,"ts":5},{"id":2,"ts":6}]},"requestId":1})"),
      "a\x1f{\"items\":[{\"id\":1},{\"id\":2}]}");
}

TEST(ReplayIndexKeyTest, IgnoringTheWholeDataMakesEveryCallOfAnActionOneKey) {
  KeyMaker maker = Maker({"/data"});
  EXPECT_EQ(Key(maker, R"({"type":"request","action":"a","data":{"x":1},"requestId":1})"),
            "a\x1f{}");
}

TEST(ReplayIndexKeyTest, BadPointerIsAnErrorNamingIt) {
  auto maker = KeyMaker::Create({"/data/ok", "data/since"});
  ASSERT_FALSE(maker.ok());
  EXPECT_EQ(maker.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(maker.status().message().find("'data/since'"), std::string::npos)
      << maker.status().message();
  auto tilde = KeyMaker::Create({"/data/a~2"});
  ASSERT_FALSE(tilde.ok());
  EXPECT_NE(tilde.status().message().find("/data/a~2"), std::string::npos);
  auto empty = KeyMaker::Create({""});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("''"), std::string::npos);
}

TEST(ReplayIndexKeyTest, InvalidFramesAreKeyedByTheirExactBytes) {
  KeyMaker maker = Maker();
  EXPECT_EQ(Key(maker, "not json"), std::string(kRawKeyPrefix) + "not json");
  EXPECT_EQ(Key(maker, R"({"type":"request","action":"a","data":5,"requestId":1})"),
            maker.RawKey(R"({"type":"request","action":"a","data":5,"requestId":1})"));
  EXPECT_NE(Key(maker, "{"), Key(maker, "{ "));
}

// The fuzzer's find: with "\x01raw\x1f" as the raw prefix, the action
// "\u0001raw" made a request key that read as a raw frame.
TEST(ReplayIndexKeyTest, NoActionMakesAKeyThatReadsAsARawFrame) {
  KeyMaker maker = Maker();
  for (std::string_view action : {R"(\u0001raw)", R"(\u0001raw\u001f)", R"(raw)", R"(\u001f)"}) {
    const std::string frame =
        R"({"type":"request","action":")" + std::string(action) + R"(","requestId":1})";
    const std::string key = Key(maker, frame);
    EXPECT_FALSE(key.starts_with(kRawKeyPrefix)) << action;
    KeyParts parts = SplitKey(key);
    EXPECT_FALSE(parts.raw) << action;
    EXPECT_EQ(parts.body, "{}") << action;
    EXPECT_NE(key, maker.RawKey("{}")) << action;
  }
  EXPECT_EQ(SplitKey(Key(maker, R"({"type":"request","action":"\u0001raw","requestId":1})")).head,
            "\x01raw");
  // \u0000 ends cJSON's string: the action reads as empty, so the frame is
  // invalid and keyed raw.
  const std::string nul = R"({"type":"request","action":"\u0000raw","requestId":1})";
  EXPECT_EQ(Key(maker, nul), maker.RawKey(nul));
  EXPECT_TRUE(SplitKey(maker.RawKey("x")).raw);
}

TEST(ReplayIndexKeyTest, DescribeKeyReadsLikeTheRequest) {
  KeyMaker maker = Maker();
  EXPECT_EQ(
      DescribeKey(Key(
          maker,
          R"({"type":"request","action":"getStations","data":{"fields":["id"]},"requestId":1})")),
      R"(getStations {"fields":["id"]})");
  EXPECT_EQ(DescribeKey(maker.RawKey("{bad \"x\"")), R"(raw frame "{bad \"x\"")");
}

TEST(ReplayIndexKeyTest, DescribeKeyCutsLongPartsAt200Bytes) {
  std::string desc = DescribeKey(std::string(kRawKeyPrefix) + std::string(1000, 'x'));
  EXPECT_EQ(desc, "raw frame \"" + std::string(200, 'x') + "\"...");
  // A cut never splits a character: 199 ASCII bytes then a 2-byte letter.
  std::string body = "{\"" + std::string(197, 'a') + "\xd0\x96\":1}";
  desc = DescribeKey("a\x1f" + body);
  EXPECT_EQ(desc, "a {\"" + std::string(197, 'a') + "...");
}

TEST(ReplayIndexKeyTest, DescribeKeyIsPrintableUtf8) {
  EXPECT_EQ(DescribeKey(std::string(kRawKeyPrefix) + "a\x01\xff"
                                                     "b"),
            "raw frame \"a\\u0001?b\"");
  EXPECT_EQ(DescribeKey("ac\x02t\x1f{}"), "ac?t {}");
}

}  // namespace
}  // namespace wsmock::replayer

namespace wsmock::replayer {
namespace {

KeyMaker Redacting(const std::vector<std::string>& pointers) {
  auto redactor = json::Redactor::Create(pointers);
  EXPECT_TRUE(redactor.ok()) << redactor.status().message();
  auto maker =
      KeyMaker::Create({}, std::make_shared<const json::Redactor>(std::move(redactor).value()));
  EXPECT_TRUE(maker.ok()) << maker.status().message();
  return std::move(maker).value();
}

constexpr char kLive[] =
    R"({"type":"request","action":"getStationById","data":{"stationId":"s1","token":"s3cret"},"requestId":1})";
constexpr char kRecorded[] =
    R"({"type":"request","action":"getStationById","data":{"stationId":"s1","token":"[REDACTED]"},"requestId":1})";

TEST(RedactingKeyTest, ALiveRequestHasTheKeyOfItsRedactedRecording) {
  KeyMaker maker = Redacting({"/data/token"});
  const std::string key = maker.KeyOfFrame(kLive).value();
  EXPECT_EQ(key, maker.KeyOfFrame(kRecorded).value());
  EXPECT_EQ(key, "getStationById\x1f{\"stationId\":\"s1\",\"token\":\"[REDACTED]\"}");
  EXPECT_EQ(maker.KeyOfText(kLive, protocol::DecodeRequest(kLive)), key);
}

TEST(RedactingKeyTest, WithoutPointersNothingIsRedacted) {
  auto maker = KeyMaker::Create({}, nullptr);
  ASSERT_TRUE(maker.ok());
  EXPECT_FALSE(maker->redacts());
  EXPECT_NE(maker->KeyOfFrame(kLive).value().find("s3cret"), std::string::npos);
}

// What record stores of a frame that is no request, and of a binary frame
// holding JSON, is redacted too: their keys are its bytes.
TEST(RedactingKeyTest, RawAndBinaryKeysAreOfTheRedactedBytes) {
  KeyMaker maker = Redacting({"/token"});
  EXPECT_EQ(maker.KeyOfFrame(R"({"token":"s3cret"})").value(),
            std::string(kRawKeyPrefix) + R"({"token":"[REDACTED]"})");
  EXPECT_EQ(maker.BinaryKey(R"({"token":"s3cret"})"),
            std::string(kBinaryKeyPrefix) + R"({"token":"[REDACTED]"})");
  EXPECT_EQ(maker.KeyOfFrame("{not json").value(), std::string(kRawKeyPrefix) + "{not json");
}

// A redacted "type" made the recording no request: the live frame is
// keyed as that, not as the request it was.
TEST(RedactingKeyTest, ARedactionThatUnmakesTheRequestKeysItRaw) {
  KeyMaker maker = Redacting({"/type"});
  const std::string key = maker.KeyOfText(kLive, protocol::DecodeRequest(kLive));
  EXPECT_TRUE(SplitKey(key).raw) << key;
  EXPECT_EQ(key, maker.KeyOfFrame(kLive).value());
}

}  // namespace
}  // namespace wsmock::replayer
