#include "protocol/codec.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "protocol/error_code.h"
#include "util/json.h"

namespace wsmock::protocol {
namespace {

// The ErrorReply for `text`; fails the test if it decoded as a request.
ErrorReply DecodeError(std::string_view text) {
  Decoded d = DecodeRequest(text);
  EXPECT_TRUE(std::holds_alternative<ErrorReply>(d)) << text;
  if (auto* e = std::get_if<ErrorReply>(&d)) return *e;
  return ErrorReply{};
}

// The request id as decoded from a request whose requestId member is `id_json`.
std::string EchoedId(const std::string& id_json) {
  Decoded d = DecodeRequest(R"({"type":"request","action":"a","requestId":)" + id_json + "}");
  EXPECT_TRUE(std::holds_alternative<Request>(d)) << id_json;
  if (auto* r = std::get_if<Request>(&d)) return r->request_id;
  return {};
}

TEST(ErrorCodeTest, NamesAreTheWireSpellings) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidJson), "INVALID_JSON");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidRequest), "INVALID_REQUEST");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnknownAction), "UNKNOWN_ACTION");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidParams), "INVALID_PARAMS");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kStationNotFound), "STATION_NOT_FOUND");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNoRecording), "NO_RECORDING");
}

TEST(CodecTest, MessageKindNamesMatchTheTypeMember) {
  EXPECT_EQ(MessageKindName(MessageKind::kRequest), "request");
  EXPECT_EQ(MessageKindName(MessageKind::kResponse), "response");
  EXPECT_EQ(MessageKindName(MessageKind::kError), "error");
  EXPECT_EQ(MessageKindName(MessageKind::kUpdate), "update");
  EXPECT_EQ(MessageKindName(MessageKind::kOther), "other");
}

TEST(CodecTest, DecodesTheSeedRequest) {
  Decoded d = DecodeRequest(
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_125"})");
  ASSERT_TRUE(std::holds_alternative<Request>(d));
  const Request& r = std::get<Request>(d);
  EXPECT_EQ(r.action, "getStationById");
  EXPECT_EQ(r.request_id, "\"req_125\"");
  ASSERT_NE(r.data, nullptr);
  EXPECT_EQ(json::Write(r.data), R"({"stationId":"station_001"})");
}

TEST(CodecTest, AbsentDataDecodesAsNull) {
  Decoded d = DecodeRequest(R"({"type":"request","action":"getStations","requestId":1})");
  ASSERT_TRUE(std::holds_alternative<Request>(d));
  EXPECT_EQ(std::get<Request>(d).data, nullptr);
}

TEST(CodecTest, RequestIdIsEchoedAsTheJsonTextItHad) {
  EXPECT_EQ(EchoedId(R"("req_123")"), R"("req_123")");
  EXPECT_EQ(EchoedId("42"), "42");
  EXPECT_EQ(EchoedId("1.5"), "1.5");
  EXPECT_EQ(EchoedId("-7"), "-7");
  EXPECT_EQ(EchoedId("0"), "0");
  EXPECT_EQ(EchoedId(R"("")"), R"("")");
  EXPECT_EQ(EchoedId(R"("say \"hi\"")"), R"("say \"hi\"")");
  EXPECT_EQ(EchoedId(R"("back\\slash")"), R"("back\\slash")");
  EXPECT_EQ(EchoedId(R"("запрос_1")"), R"("запрос_1")");
  // Escapes are re-written in one canonical spelling.
  EXPECT_EQ(EchoedId(R"("\u0417\n")"), R"("З\n")");
  EXPECT_EQ(EchoedId("1e2"), "100");
}

TEST(CodecTest, NonJsonIsInvalidJsonWithoutActionOrId) {
  for (std::string_view text : {"", "{", "not json", R"({"type":"request"} x)", "[1,]",
                                "{\"type\":\"request\",\"action\":\"getStations\n\"}"}) {
    ErrorReply e = DecodeError(text);
    EXPECT_EQ(e.code, ErrorCode::kInvalidJson) << text;
    EXPECT_EQ(e.message.rfind("invalid JSON: ", 0), 0u) << e.message;
    EXPECT_FALSE(e.action.has_value());
    EXPECT_FALSE(e.request_id.has_value());
  }
}

TEST(CodecTest, NonObjectIsInvalidRequest) {
  for (std::string_view text : {"[]", "42", R"("request")", "null", "true"}) {
    ErrorReply e = DecodeError(text);
    EXPECT_EQ(e.code, ErrorCode::kInvalidRequest) << text;
    EXPECT_EQ(e.message, "request must be a JSON object");
  }
}

TEST(CodecTest, MissingOrWrongTypeIsInvalidRequestWithActionAndId) {
  ErrorReply missing = DecodeError(R"({"action":"getStations","requestId":"r1"})");
  EXPECT_EQ(missing.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(missing.message, R"(type is missing; expected "request")");
  EXPECT_EQ(missing.action, "getStations");
  EXPECT_EQ(missing.request_id, R"("r1")");

  for (std::string_view text : {R"({"type":"response","action":"a","requestId":1})",
                                R"({"type":5,"action":"a","requestId":1})",
                                R"({"type":"Request","action":"a","requestId":1})"}) {
    ErrorReply e = DecodeError(text);
    EXPECT_EQ(e.code, ErrorCode::kInvalidRequest) << text;
    EXPECT_EQ(e.message, R"(type must be "request")");
    EXPECT_EQ(e.request_id, "1");
  }
}

TEST(CodecTest, BadActionIsInvalidRequestKeepingTheId) {
  ErrorReply missing = DecodeError(R"({"type":"request","requestId":"r"})");
  EXPECT_EQ(missing.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(missing.message, "action is missing");
  EXPECT_FALSE(missing.action.has_value());
  EXPECT_EQ(missing.request_id, R"("r")");

  for (std::string_view action : {R"("")", "5", "null", R"(["getStations"])"}) {
    ErrorReply e = DecodeError(R"({"type":"request","action":)" + std::string(action) +
                               R"(,"requestId":"r"})");
    EXPECT_EQ(e.code, ErrorCode::kInvalidRequest) << action;
    EXPECT_EQ(e.message, "action must be a non-empty string") << action;
    EXPECT_FALSE(e.action.has_value());
    EXPECT_EQ(e.request_id, R"("r")");
  }
}

TEST(CodecTest, BadRequestIdIsInvalidRequestKeepingTheAction) {
  ErrorReply missing = DecodeError(R"({"type":"request","action":"getStations"})");
  EXPECT_EQ(missing.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(missing.message, "requestId is missing");
  EXPECT_EQ(missing.action, "getStations");
  EXPECT_FALSE(missing.request_id.has_value());

  for (std::string_view id : {"null", "true", "{}", "[1]"}) {
    ErrorReply e = DecodeError(R"({"type":"request","action":"getStations","requestId":)" +
                               std::string(id) + "}");
    EXPECT_EQ(e.code, ErrorCode::kInvalidRequest) << id;
    EXPECT_EQ(e.message, "requestId must be a string or a number") << id;
    EXPECT_EQ(e.action, "getStations");
    EXPECT_FALSE(e.request_id.has_value());
  }
}

// The fuzzer's find: 1e400 parses to infinity, and the reply carried
// "requestId":null; an id the client cannot recognise is refused instead.
TEST(CodecTest, RequestIdBeyondADoubleIsInvalidRequestWithANullId) {
  for (std::string_view id : {"1e400", "-1e400", "123e45678"}) {
    const std::string frame =
        R"({"type":"request","action":"getStations","requestId":)" + std::string(id) + "}";
    ErrorReply e = DecodeError(frame);
    EXPECT_EQ(e.code, ErrorCode::kInvalidRequest) << id;
    EXPECT_EQ(e.message, "requestId must be a number within the range of a double") << id;
    EXPECT_EQ(e.action, "getStations");
    EXPECT_FALSE(e.request_id.has_value());
    EXPECT_EQ(EncodeError(e),
              R"({"type":"error","action":"getStations","requestId":null,"error":)"
              R"({"code":"INVALID_REQUEST","message":"requestId must be a number within the )"
              R"(range of a double"}})");
    EXPECT_FALSE(PeekMessage(frame).request_id.has_value()) << id;
  }
  // The largest finite values still echo.
  EXPECT_EQ(EchoedId("1e308"), "1e+308");
  EXPECT_EQ(EchoedId("-1.7976931348623157e308"), "-1.7976931348623157e+308");
}

// cJSON's strings end at a NUL, so "station_001\u0000x" would be read as
// "station_001": refused, echoing the action and id unless the id is the
// string that would be cut.
TEST(CodecTest, ANulEscapeIsInvalidRequestRatherThanACutString) {
  ErrorReply e = DecodeError(
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_001\u0000x"},"requestId":"r1"})");
  EXPECT_EQ(e.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(e.message, "\\u0000 inside a string is not supported (byte offset 76)");
  EXPECT_EQ(e.action, "getStationById");
  EXPECT_EQ(e.request_id, "\"r1\"");
  ErrorReply in_action =
      DecodeError(R"({"type":"request","action":"getStations\u0000x","requestId":7})");
  EXPECT_EQ(in_action.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(in_action.request_id, "7");
  ErrorReply in_id =
      DecodeError(R"({"type":"request","action":"getStations","requestId":"a\u0000b"})");
  EXPECT_EQ(in_id.code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(in_id.request_id, std::nullopt);
  EXPECT_FALSE(std::holds_alternative<ErrorReply>(DecodeRequest(
      R"({"type":"request","action":"getStations","data":{"q":"a\\u0000"},"requestId":1})")));
}

TEST(CodecTest, NonObjectDataIsInvalidParams) {
  for (std::string_view data : {"[]", R"("x")", "null", "3"}) {
    ErrorReply e = DecodeError(R"({"type":"request","action":"getStations","data":)" +
                               std::string(data) + R"(,"requestId":7})");
    EXPECT_EQ(e.code, ErrorCode::kInvalidParams) << data;
    EXPECT_EQ(e.message.rfind("data must be an object, got ", 0), 0u) << e.message;
    EXPECT_EQ(e.action, "getStations");
    EXPECT_EQ(e.request_id, "7");
  }
}

TEST(CodecTest, EncodeResponseWritesMembersInProtocolOrder) {
  EXPECT_EQ(
      EncodeResponse("getStations", R"({"stations":[]})", R"("req_1")"),
      R"({"type":"response","action":"getStations","data":{"stations":[]},"requestId":"req_1"})");
  EXPECT_EQ(EncodeResponse("a", "{}", "1.5"),
            R"({"type":"response","action":"a","data":{},"requestId":1.5})");
}

TEST(CodecTest, EncodeErrorWritesNullsWhenActionAndIdAreUnknown) {
  ErrorReply e{ErrorCode::kInvalidJson, "invalid JSON: unexpected end of JSON input", std::nullopt,
               std::nullopt};
  EXPECT_EQ(
      EncodeError(e),
      R"({"type":"error","action":null,"requestId":null,"error":{"code":"INVALID_JSON","message":"invalid JSON: unexpected end of JSON input"}})");
}

TEST(CodecTest, EncodeErrorEscapesActionAndMessage) {
  ErrorReply e{ErrorCode::kUnknownAction, "unknown action 'get\"Foo'", "get\"Foo", "42"};
  EXPECT_EQ(
      EncodeError(e),
      R"({"type":"error","action":"get\"Foo","requestId":42,"error":{"code":"UNKNOWN_ACTION","message":"unknown action 'get\"Foo'"}})");
}

TEST(CodecTest, EncodeUpdateWritesTypeActionData) {
  EXPECT_EQ(
      EncodeUpdate("stationsUpdated", R"({"stations":[],"timestamp":"2024-01-20T10:30:00.000Z"})"),
      R"({"type":"update","action":"stationsUpdated","data":{"stations":[],"timestamp":"2024-01-20T10:30:00.000Z"}})");
}

TEST(CodecTest, DecodedIdSurvivesAnEncodeAndPeekRoundTrip) {
  Decoded d = DecodeRequest(R"({"type":"request","action":"x","requestId":"a\"б"})");
  ASSERT_TRUE(std::holds_alternative<Request>(d));
  const Request& r = std::get<Request>(d);
  Peek p = PeekMessage(EncodeResponse(r.action, "{}", r.request_id));
  EXPECT_EQ(p.kind, MessageKind::kResponse);
  EXPECT_EQ(p.action, "x");
  EXPECT_EQ(p.request_id, r.request_id);
}

TEST(CodecTest, PeekClassifiesEveryType) {
  EXPECT_EQ(PeekMessage(R"({"type":"request","action":"a","requestId":1})").kind,
            MessageKind::kRequest);
  EXPECT_EQ(PeekMessage(R"({"type":"response"})").kind, MessageKind::kResponse);
  EXPECT_EQ(PeekMessage(R"({"type":"error","action":null,"requestId":null})").kind,
            MessageKind::kError);
  EXPECT_EQ(PeekMessage(R"({"type":"update","action":"stationsUpdated"})").kind,
            MessageKind::kUpdate);
  Peek ping = PeekMessage(R"({"type":"ping","action":"p","requestId":"r"})");
  EXPECT_EQ(ping.kind, MessageKind::kOther);
  EXPECT_EQ(ping.action, "p");
  EXPECT_EQ(ping.request_id, R"("r")");
}

TEST(CodecTest, PeekOfNonObjectsIsOtherWithNothingRead) {
  for (std::string_view text : {"", "garbage", "[1,2]", "\"update\"", "{\"type\":"}) {
    Peek p = PeekMessage(text);
    EXPECT_EQ(p.kind, MessageKind::kOther) << text;
    EXPECT_FALSE(p.action.has_value());
    EXPECT_FALSE(p.request_id.has_value());
  }
}

TEST(CodecTest, PeekSkipsMembersOfTheWrongType) {
  Peek p = PeekMessage(R"({"type":"error","action":null,"requestId":true})");
  EXPECT_EQ(p.kind, MessageKind::kError);
  EXPECT_FALSE(p.action.has_value());
  EXPECT_FALSE(p.request_id.has_value());
}

// Mutated requests (a fixed LCG, so every run sees the same inputs) must
// decode to something whose encoding is again one JSON object.
TEST(CodecTest, MutatedFramesAlwaysDecodeToEncodableValues) {
  const std::string seed =
      R"({"type":"request","action":"getStations","data":{"fields":["id"],"filters":{"city":"Москва"}},"requestId":"req_1"})";
  const char kBytes[] = "{}[]\",:\\0123456789.-etrufalsn \x01\xd0\xff";
  uint64_t state = 12345;
  auto next = [&state]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed;
    for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
      size_t pos = next() % (text.size() + 1);
      char byte = kBytes[next() % (sizeof kBytes - 1)];
      switch (next() % 3) {
        case 0:
          text.insert(pos, 1, byte);
          break;
        case 1:
          if (pos < text.size()) text.erase(pos, 1);
          break;
        default:
          if (pos < text.size()) text[pos] = byte;
          break;
      }
    }
    Decoded d = DecodeRequest(text);
    std::string encoded =
        std::holds_alternative<Request>(d)
            ? EncodeResponse(std::get<Request>(d).action, "{}", std::get<Request>(d).request_id)
            : EncodeError(std::get<ErrorReply>(d));
    auto parsed = json::Parse(encoded);
    ASSERT_TRUE(parsed.ok()) << "input: " << text << "\nencoded: " << encoded;
    EXPECT_TRUE(cJSON_IsObject(parsed->get()));
    (void)PeekMessage(text);
  }
}

}  // namespace
}  // namespace wsmock::protocol
