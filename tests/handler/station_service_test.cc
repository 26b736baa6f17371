#include "handler/station_service.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "handler/test_stations.h"
#include "protocol/codec.h"
#include "util/json.h"

namespace wsmock::handler {
namespace {

using protocol::MessageKind;
using testing::kSeedNow;

// A reply parsed back, with shortcuts into it.
struct Parsed {
  json::JsonPtr root;
  const cJSON* Get(const char* key) const {
    return cJSON_GetObjectItemCaseSensitive(root.get(), key);
  }
  const cJSON* Data() const { return Get("data"); }
  const cJSON* DataMember(const char* key) const {
    return cJSON_GetObjectItemCaseSensitive(Data(), key);
  }
  std::string ErrorCode() const {
    return cJSON_GetObjectItemCaseSensitive(Get("error"), "code")->valuestring;
  }
  std::string ErrorMessage() const {
    return cJSON_GetObjectItemCaseSensitive(Get("error"), "message")->valuestring;
  }
  // The "id" of every station in data.stations, in order.
  std::vector<std::string> Ids() const {
    std::vector<std::string> ids;
    const cJSON* stations = DataMember("stations");
    for (const cJSON* s = stations ? stations->child : nullptr; s != nullptr; s = s->next) {
      ids.push_back(cJSON_GetObjectItemCaseSensitive(s, "id")->valuestring);
    }
    return ids;
  }
  double Number(const char* key) const { return DataMember(key)->valuedouble; }
};

Parsed ParseReply(const Reply& reply) {
  auto root = json::Parse(reply.payload);
  EXPECT_TRUE(root.ok()) << reply.payload;
  if (!root.ok()) return Parsed{json::JsonPtr(cJSON_CreateObject())};
  return Parsed{std::move(root).value()};
}

class StationServiceTest : public ::testing::Test {
 protected:
  // Sends {"type":"request","action":action,"data":data,"requestId":"r"}.
  Reply Send(const std::string& action, const std::string& data) const {
    return service_.HandleText(
        R"({"type":"request","action":")" + action + R"(","data":)" + data + R"(,"requestId":"r"})",
        six_, kSeedNow);
  }
  // Expects an INVALID_PARAMS error with exactly `message`.
  void ExpectInvalidParams(const std::string& action, const std::string& data,
                           const std::string& message) const {
    Reply reply = Send(action, data);
    ASSERT_EQ(reply.kind, MessageKind::kError) << data;
    Parsed p = ParseReply(reply);
    EXPECT_EQ(p.ErrorCode(), "INVALID_PARAMS") << data;
    EXPECT_EQ(p.ErrorMessage(), message) << data;
    EXPECT_EQ(reply.summary, message);
    EXPECT_STREQ(p.Get("action")->valuestring, action.c_str());
    EXPECT_STREQ(p.Get("requestId")->valuestring, "r");
  }
  std::vector<std::string> IdsFor(const std::string& data) const {
    Reply reply = Send("getStations", data);
    EXPECT_EQ(reply.kind, MessageKind::kResponse) << reply.payload;
    return ParseReply(reply).Ids();
  }

  StationService service_;
  model::Snapshot six_ = testing::SixStations();
};

using Ids = std::vector<std::string>;

TEST_F(StationServiceTest, SeedMapRequestSendsChosenFieldsOfEveryStation) {
  Reply reply = service_.HandleText(
      R"({"type":"request","action":"getStations",
          "data":{"fields":["id","name","city","status","coordinates","owner"]},
          "requestId":"req_123"})",
      six_, kSeedNow);
  ASSERT_EQ(reply.kind, MessageKind::kResponse);
  const std::string head = R"({"type":"response","action":"getStations","data":{"stations":[)";
  const std::string first =
      R"({"id":"station_001","name":"Станция 1","city":"Москва",)"
      R"("coordinates":{"lat":55.755800,"lng":37.617300},"owner":"РосЭнерго","status":"active"})";
  EXPECT_EQ(reply.payload.substr(0, head.size() + first.size()), head + first);
  const std::string tail = R"(],"total":6,"page":1,"limit":6},"requestId":"req_123"})";
  ASSERT_GE(reply.payload.size(), tail.size());
  EXPECT_EQ(reply.payload.substr(reply.payload.size() - tail.size()), tail);
  EXPECT_EQ(ParseReply(reply).Ids(), (Ids{"station_001", "station_002", "station_003",
                                          "station_004", "station_005", "station_006"}));
  EXPECT_EQ(reply.summary, "Sending 6 stations (page 1, limit 6)");
}

TEST_F(StationServiceTest, SeedListRequestFiltersByCyrillicCityAndStatus) {
  Reply reply = service_.HandleText(
      R"({"type":"request","action":"getStations",
          "data":{"fields":["id","name","city","owner","status","totalEnergy","currentPower"],
                  "filters":{"city":"Москва","status":"active"},
                  "pagination":{"page":1,"limit":20}},
          "requestId":"req_124"})",
      six_, kSeedNow);
  EXPECT_EQ(reply.payload,
            R"({"type":"response","action":"getStations","data":{"stations":[)"
            R"({"id":"station_001","name":"Станция 1","city":"Москва","owner":"РосЭнерго",)"
            R"("status":"active","currentPower":22.5,"totalEnergy":1234.5}],)"
            R"("total":1,"page":1,"limit":20},"requestId":"req_124"})");
  EXPECT_EQ(reply.summary, "Sending 1 stations (page 1, limit 20)");
}

TEST_F(StationServiceTest, SeedByIdRequestSendsTheWholeStation) {
  Reply reply = service_.HandleText(
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_125"})",
      six_, kSeedNow);
  ASSERT_EQ(reply.kind, MessageKind::kResponse);
  EXPECT_EQ(reply.payload, R"({"type":"response","action":"getStationById","data":{"station":)" +
                               six_.json(0).full() + R"(},"requestId":"req_125"})");
  EXPECT_EQ(six_.json(0).full().rfind(R"({"id":"station_001","name":"Станция 1",)", 0), 0u);
  EXPECT_EQ(reply.summary, "Sending station station_001");
}

TEST_F(StationServiceTest, NumericRequestIdsAreEchoedExactly) {
  for (std::string id : {"42", "1.5", "-3"}) {
    Reply reply = service_.HandleText(
        R"({"type":"request","action":"getStationById","data":{"stationId":"station_002","fields":["id"]},"requestId":)" +
            id + "}",
        six_, kSeedNow);
    EXPECT_EQ(
        reply.payload,
        R"({"type":"response","action":"getStationById","data":{"station":{"id":"station_002"}},"requestId":)" +
            id + "}");
  }
}

TEST_F(StationServiceTest, StringRequestIdWithQuotesAndCyrillicIsEchoed) {
  Reply reply = service_.HandleText(
      R"({"type":"request","action":"getFoo","requestId":"запрос \"1\""})", six_, kSeedNow);
  EXPECT_EQ(
      reply.payload,
      R"({"type":"error","action":"getFoo","requestId":"запрос \"1\"","error":{"code":"UNKNOWN_ACTION",)"
      R"("message":"unknown action 'getFoo'; expected getStations, getStationById or getStationStats"}})");
}

TEST_F(StationServiceTest, WithoutDataEveryStationIsSent) {
  Reply reply = service_.HandleText(R"({"type":"request","action":"getStations","requestId":1})",
                                    six_, kSeedNow);
  EXPECT_EQ(ParseReply(reply).Ids().size(), 6u);
}

TEST_F(StationServiceTest, HundredStationsAreTheCachedJsonConcatenated) {
  model::Snapshot many = testing::ManyStations(100);
  Reply reply = service_.HandleText(
      R"({"type":"request","action":"getStations","data":{},"requestId":"all"})", many, kSeedNow);
  std::string expected = R"({"type":"response","action":"getStations","data":{"stations":[)";
  for (size_t i = 0; i < 100; ++i) {
    if (i > 0) expected += ',';
    expected += many.json(i).full();
  }
  expected += R"(],"total":100,"page":1,"limit":100},"requestId":"all"})";
  EXPECT_EQ(reply.payload, expected);
  EXPECT_EQ(reply.summary, "Sending 100 stations (page 1, limit 100)");
}

// Unfiltered pages index the snapshot directly; a filter that every station
// passes takes the list of matches. Both must give the same bytes on every
// page.
TEST_F(StationServiceTest, UnfilteredPagesMatchPagesFilteredToEveryStation) {
  model::Snapshot many = testing::ManyStations(100);
  const std::string every_status =
      R"("filters":{"status":["active","inactive","maintenance","error","offline"]})";
  for (const std::string page : {R"({})", R"({"pagination":{"page":1,"limit":7}})",
                                 R"({"pagination":{"page":15,"limit":7}})",
                                 R"({"pagination":{"page":16,"limit":7}})",
                                 R"({"pagination":{"page":3,"limit":100}})"}) {
    std::string filtered = page;
    filtered.insert(1, every_status + (page == "{}" ? "" : ","));
    auto request = [](const std::string& data) {
      return R"({"type":"request","action":"getStations","data":)" + data +
             R"(,"requestId":"p"})";
    };
    Reply plain = service_.HandleText(request(page), many, kSeedNow);
    Reply everyone = service_.HandleText(request(filtered), many, kSeedNow);
    ASSERT_EQ(plain.kind, MessageKind::kResponse) << plain.payload;
    EXPECT_EQ(plain.payload, everyone.payload) << page;
  }
}

TEST_F(StationServiceTest, FieldsAreWrittenInModelOrderWhateverTheRequestOrder) {
  Reply reply =
      Send("getStationById", R"({"stationId":"station_004","fields":["status","id","city"]})");
  EXPECT_EQ(reply.payload,
            R"({"type":"response","action":"getStationById","data":{"station":)"
            R"({"id":"station_004","city":"Казань","status":"active"}},"requestId":"r"})");
}

TEST_F(StationServiceTest, UnknownFieldNamesAreIgnoredAndEmptyFieldsGiveEmptyObjects) {
  Reply some =
      Send("getStationById", R"({"stationId":"station_001","fields":["id","bogus","id"]})");
  EXPECT_NE(some.payload.find(R"("station":{"id":"station_001"}})"), std::string::npos);
  Reply none = Send("getStations", R"({"fields":[],"pagination":{"limit":2}})");
  EXPECT_NE(none.payload.find(R"("stations":[{},{}])"), std::string::npos) << none.payload;
}

TEST_F(StationServiceTest, FieldsMustBeAnArrayOfStrings) {
  const std::string msg = "fields must be an array of field names";
  ExpectInvalidParams("getStations", R"({"fields":"id"})", msg);
  ExpectInvalidParams("getStations", R"({"fields":["id",5]})", msg);
  ExpectInvalidParams("getStations", R"({"fields":null})", msg);
  ExpectInvalidParams("getStationById", R"({"stationId":"station_001","fields":{}})", msg);
}

TEST_F(StationServiceTest, FilterArraysMeanAnyOf) {
  EXPECT_EQ(IdsFor(R"({"filters":{"city":["Москва","Казань"]}})"),
            (Ids{"station_001", "station_002", "station_004", "station_005"}));
  EXPECT_EQ(IdsFor(R"({"filters":{"status":["active","error"]}})"),
            (Ids{"station_001", "station_003", "station_004"}));
  EXPECT_EQ(IdsFor(R"({"filters":{"owner":"PowerNet"}})"), (Ids{"station_004", "station_005"}));
}

TEST_F(StationServiceTest, FilterKeysCombineWithAnd) {
  EXPECT_EQ(IdsFor(R"({"filters":{"city":"Москва","owner":["PowerNet","GreenCharge"]}})"),
            (Ids{"station_002", "station_005"}));
  EXPECT_EQ(IdsFor(R"({"filters":{"city":"Казань","status":"offline"}})"), Ids{});
}

TEST_F(StationServiceTest, FilterValuesMatchExactBytes) {
  EXPECT_EQ(IdsFor(R"({"filters":{"city":"москва"}})"), Ids{});
  EXPECT_EQ(IdsFor(R"({"filters":{"city":"Москва "}})"), Ids{});
  // \u escapes decode to the same UTF-8 bytes.
  EXPECT_EQ(IdsFor(R"({"filters":{"city":"\u041a\u0430\u0437\u0430\u043d\u044c"}})"),
            Ids{"station_004"});
  EXPECT_EQ(IdsFor(R"({"filters":{"owner":"РосЭнерго"}})"), (Ids{"station_001", "station_003"}));
}

TEST_F(StationServiceTest, EmptyFilterArraySelectsNothing) {
  Reply reply = Send("getStations", R"({"filters":{"status":[]}})");
  EXPECT_EQ(
      reply.payload,
      R"({"type":"response","action":"getStations","data":{"stations":[],"total":0,"page":1,"limit":0},"requestId":"r"})");
}

TEST_F(StationServiceTest, BadFiltersAreInvalidParamsNamingTheKey) {
  ExpectInvalidParams("getStations", R"({"filters":{"region":"x"}})",
                      "unknown filter 'region'; expected city, owner or status");
  ExpectInvalidParams("getStations", R"({"filters":{"city":5}})",
                      "filters.city must be a string or an array of strings");
  ExpectInvalidParams("getStations", R"({"filters":{"owner":["a",null]}})",
                      "filters.owner must be a string or an array of strings");
  ExpectInvalidParams("getStations", R"({"filters":{"status":{"eq":"active"}}})",
                      "filters.status must be a string or an array of strings");
  ExpectInvalidParams("getStations", R"({"filters":["city"]})", "filters must be an object");
}

TEST_F(StationServiceTest, PaginationSlicesTheMatches) {
  Reply reply = Send("getStations", R"({"fields":["id"],"pagination":{"page":3,"limit":2}})");
  EXPECT_EQ(
      reply.payload,
      R"({"type":"response","action":"getStations","data":{"stations":[{"id":"station_005"},{"id":"station_006"}],)"
      R"("total":6,"page":3,"limit":2},"requestId":"r"})");
  EXPECT_EQ(reply.summary, "Sending 2 stations (page 3, limit 2)");
  EXPECT_EQ(IdsFor(R"({"pagination":{"page":2,"limit":4}})"), (Ids{"station_005", "station_006"}));
  EXPECT_EQ(IdsFor(R"({"filters":{"city":"Москва"},"pagination":{"page":2,"limit":1}})"),
            Ids{"station_002"});
}

TEST_F(StationServiceTest, EmptyPaginationDefaultsToFirstPageOfTwenty) {
  model::Snapshot many = testing::ManyStations(50);
  Reply reply = service_.HandleText(
      R"({"type":"request","action":"getStations","data":{"pagination":{}},"requestId":"r"})", many,
      kSeedNow);
  Parsed p = ParseReply(reply);
  EXPECT_EQ(p.Ids().size(), 20u);
  EXPECT_EQ(p.Number("total"), 50);
  EXPECT_EQ(p.Number("page"), 1);
  EXPECT_EQ(p.Number("limit"), 20);
  EXPECT_EQ(reply.summary, "Sending 20 stations (page 1, limit 20)");

  Reply second = service_.HandleText(
      R"({"type":"request","action":"getStations","data":{"pagination":{"page":3}},"requestId":"r"})",
      many, kSeedNow);
  EXPECT_EQ(ParseReply(second).Ids().size(), 10u);
}

TEST_F(StationServiceTest, PagePastTheEndIsAnEmptyList) {
  Reply reply = Send("getStations", R"({"pagination":{"page":4,"limit":2}})");
  EXPECT_EQ(
      reply.payload,
      R"({"type":"response","action":"getStations","data":{"stations":[],"total":6,"page":4,"limit":2},"requestId":"r"})");
  EXPECT_EQ(reply.summary, "Sending 0 stations (page 4, limit 2)");
  EXPECT_EQ(IdsFor(R"({"pagination":{"page":1000000000,"limit":1000}})"), Ids{});
}

TEST_F(StationServiceTest, LimitOfOneThousandIsAllowed) {
  model::Snapshot many = testing::ManyStations(2500);
  auto ids_on = [&](int page) {
    Reply reply = service_.HandleText(
        R"({"type":"request","action":"getStations","data":{"fields":["id"],"pagination":{"limit":1000,"page":)" +
            std::to_string(page) + R"(}},"requestId":"r"})",
        many, kSeedNow);
    return ParseReply(reply).Ids();
  };
  Ids first = ids_on(1);
  ASSERT_EQ(first.size(), 1000u);
  EXPECT_EQ(first.front(), "station_001");
  Ids third = ids_on(3);
  ASSERT_EQ(third.size(), 500u);
  EXPECT_EQ(third.front(), "station_2001");
  EXPECT_EQ(third.back(), "station_2500");
}

TEST_F(StationServiceTest, OutOfRangeOrNonIntegerPaginationIsInvalidParams) {
  const std::string limit = "pagination.limit must be an integer from 1 to 1000";
  const std::string page = "pagination.page must be an integer from 1 to 1000000000";
  ExpectInvalidParams("getStations", R"({"pagination":{"limit":1001}})", limit);
  ExpectInvalidParams("getStations", R"({"pagination":{"limit":0}})", limit);
  ExpectInvalidParams("getStations", R"({"pagination":{"limit":2.5}})", limit);
  ExpectInvalidParams("getStations", R"({"pagination":{"limit":"20"}})", limit);
  ExpectInvalidParams("getStations", R"({"pagination":{"limit":true}})", limit);
  ExpectInvalidParams("getStations", R"({"pagination":{"page":0}})", page);
  ExpectInvalidParams("getStations", R"({"pagination":{"page":-1}})", page);
  ExpectInvalidParams("getStations", R"({"pagination":{"page":1.5}})", page);
  ExpectInvalidParams("getStations", R"({"pagination":{"page":1e300}})", page);
  ExpectInvalidParams("getStations", R"({"pagination":{"page":null}})", page);
  ExpectInvalidParams("getStations", R"({"pagination":[1,20]})",
                      "pagination must be an object with page and limit");
  ExpectInvalidParams("getStations", R"({"pagination":{"page":1,"offset":20}})",
                      "unknown pagination key 'offset'; expected page or limit");
}

TEST_F(StationServiceTest, IntegralFloatsCountAsIntegers) {
  EXPECT_EQ(IdsFor(R"({"pagination":{"page":2.0,"limit":5e0}})"), Ids{"station_006"});
}

TEST_F(StationServiceTest, GetStationByIdNeedsAStringStationId) {
  ExpectInvalidParams("getStationById", "{}", "stationId is required");
  ExpectInvalidParams("getStationById", R"({"stationId":1})", "stationId must be a string");
  ExpectInvalidParams("getStationById", R"({"stationId":null})", "stationId must be a string");
}

TEST_F(StationServiceTest, UnknownStationIdIsStationNotFound) {
  Reply reply = Send("getStationById", R"({"stationId":"station_999"})");
  EXPECT_EQ(reply.kind, MessageKind::kError);
  EXPECT_EQ(
      reply.payload,
      R"({"type":"error","action":"getStationById","requestId":"r","error":{"code":"STATION_NOT_FOUND","message":"station 'station_999' not found"}})");
  EXPECT_EQ(reply.summary, "station 'station_999' not found");
}

TEST_F(StationServiceTest, UnknownActionNamesTheExpectedOnes) {
  Reply reply = Send("getFoo", "{}");
  EXPECT_EQ(reply.kind, MessageKind::kError);
  Parsed p = ParseReply(reply);
  EXPECT_EQ(p.ErrorCode(), "UNKNOWN_ACTION");
  EXPECT_EQ(p.ErrorMessage(),
            "unknown action 'getFoo'; expected getStations, getStationById or getStationStats");
  EXPECT_STREQ(p.Get("action")->valuestring, "getFoo");
}

TEST_F(StationServiceTest, UndecodableFramesBecomeErrorReplies) {
  Reply bad_json = service_.HandleText("{nope", six_, kSeedNow);
  EXPECT_EQ(bad_json.kind, MessageKind::kError);
  Parsed p = ParseReply(bad_json);
  EXPECT_EQ(p.ErrorCode(), "INVALID_JSON");
  EXPECT_TRUE(cJSON_IsNull(p.Get("action")));
  EXPECT_TRUE(cJSON_IsNull(p.Get("requestId")));
  EXPECT_EQ(bad_json.summary, p.ErrorMessage());

  Reply bad_id = service_.HandleText(R"({"type":"request","action":"getStations","requestId":[]})",
                                     six_, kSeedNow);
  EXPECT_EQ(
      bad_id.payload,
      R"({"type":"error","action":"getStations","requestId":null,"error":{"code":"INVALID_REQUEST","message":"requestId must be a string or a number"}})");
}

TEST_F(StationServiceTest, HandBuiltRequestWithNonObjectDataIsInvalidParams) {
  protocol::Request request;
  request.action = "getStations";
  request.request_id = "9";
  request.document = json::Document::Adopt(json::JsonPtr(cJSON_CreateArray()));
  request.data = request.document.root();
  Reply reply = service_.Handle(request, six_, kSeedNow);
  EXPECT_EQ(
      reply.payload,
      R"({"type":"error","action":"getStations","requestId":9,"error":{"code":"INVALID_PARAMS","message":"data must be an object"}})");
}

TEST_F(StationServiceTest, HeadroomGoesInFrontOfTheSameFrame) {
  const std::vector<std::string> frames = {
      R"({"type":"request","action":"getStations","data":{"pagination":{"limit":2}},"requestId":"r"})",
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_002"},"requestId":1})",
      R"({"type":"request","action":"getStationStats","data":{"days":2},"requestId":"s"})",
      R"({"type":"request","action":"getStationById","data":{},"requestId":"e"})",
      R"({"type":"request","action":"nope","requestId":"u"})"};
  for (const std::string& frame : frames) {
    auto decoded = protocol::DecodeRequest(frame);
    const auto& request = std::get<protocol::Request>(decoded);
    const Reply plain = service_.Handle(request, six_, kSeedNow);
    const Reply roomy = service_.Handle(request, six_, kSeedNow, 16);
    EXPECT_EQ(plain.headroom, 0u);
    EXPECT_EQ(plain.frame(), plain.payload);
    EXPECT_EQ(roomy.headroom, 16u);
    ASSERT_EQ(roomy.payload.size(), 16 + plain.payload.size()) << frame;
    EXPECT_EQ(roomy.frame(), plain.payload) << frame;
    EXPECT_EQ(roomy.kind, plain.kind);
    EXPECT_EQ(roomy.summary, plain.summary);
  }
}

TEST_F(StationServiceTest, StatsDefaultToSevenDaysEndingToday) {
  Reply reply = Send("getStationStats", "{}");
  ASSERT_EQ(reply.kind, MessageKind::kResponse) << reply.payload;
  Parsed p = ParseReply(reply);
  const cJSON* daily = p.DataMember("daily");
  ASSERT_EQ(cJSON_GetArraySize(daily), 7);
  EXPECT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(daily, 0), "date")->valuestring,
               "2024-01-14");
  EXPECT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(daily, 6), "date")->valuestring,
               "2024-01-20");
  EXPECT_NE(reply.payload.find(
                R"("data":{"totals":{"stations":6,"sessions":248,"energy":2995.0,"errors":13},)"
                R"("byStatus":{"active":2,"inactive":1,"maintenance":1,"error":1,"offline":1},)"),
            std::string::npos)
      << reply.payload;
  EXPECT_EQ(reply.summary, "Sending stats for 6 stations (7 days)");
}

TEST_F(StationServiceTest, StatsDaysBounds) {
  for (int days : {1, 90}) {
    Reply reply = Send("getStationStats", R"({"days":)" + std::to_string(days) + "}");
    ASSERT_EQ(reply.kind, MessageKind::kResponse);
    Parsed p = ParseReply(reply);
    const cJSON* daily = p.DataMember("daily");
    ASSERT_EQ(cJSON_GetArraySize(daily), days);
    EXPECT_STREQ(cJSON_GetObjectItem(cJSON_GetArrayItem(daily, days - 1), "date")->valuestring,
                 "2024-01-20");
  }
  const std::string msg = "days must be an integer from 1 to 90";
  for (std::string bad : {"0", "91", "7.5", R"("7")", "-1", "null"}) {
    ExpectInvalidParams("getStationStats", R"({"days":)" + bad + "}", msg);
  }
}

TEST_F(StationServiceTest, StatsForOneStation) {
  Reply reply = Send("getStationStats", R"({"stationId":"station_003","days":1})");
  EXPECT_NE(
      reply.payload.find(
          R"({"totals":{"stations":1,"sessions":3,"energy":10.1,"errors":7},)"
          R"("byStatus":{"active":0,"inactive":0,"maintenance":0,"error":1,"offline":0},)"
          R"("byCity":{"Санкт-Петербург":{"stations":1,"sessions":3,"energy":10.1,"errors":7}},)"
          R"("byOwner":{"РосЭнерго":{"stations":1,"sessions":3,"energy":10.1,"errors":7}},)"),
      std::string::npos)
      << reply.payload;
}

TEST_F(StationServiceTest, StatsStationIdAndFiltersIntersect) {
  Reply reply =
      Send("getStationStats", R"({"stationId":"station_003","filters":{"city":"Москва"}})");
  Parsed p = ParseReply(reply);
  EXPECT_EQ(cJSON_GetObjectItem(p.DataMember("totals"), "stations")->valueint, 0);
}

TEST_F(StationServiceTest, StatsHonourFilters) {
  Reply reply = Send("getStationStats", R"({"filters":{"city":"Москва"}})");
  EXPECT_NE(
      reply.payload.find(R"({"totals":{"stations":3,"sessions":140,"energy":1734.5,"errors":2},)"),
      std::string::npos)
      << reply.payload;
}

TEST_F(StationServiceTest, StatsParameterErrors) {
  ExpectInvalidParams("getStationStats", R"({"stationId":5})", "stationId must be a string");
  ExpectInvalidParams("getStationStats", R"({"filters":{"town":"x"}})",
                      "unknown filter 'town'; expected city, owner or status");
  Reply missing = Send("getStationStats", R"({"stationId":"station_999"})");
  EXPECT_EQ(ParseReply(missing).ErrorCode(), "STATION_NOT_FOUND");
  EXPECT_EQ(ParseReply(missing).ErrorMessage(), "station 'station_999' not found");
}

// Mutations of valid requests (fixed LCG): every reply is one JSON object
// whose "type" agrees with Reply::kind.
TEST_F(StationServiceTest, MutatedFramesAlwaysGetAWellFormedReply) {
  const std::vector<std::string> seeds = {
      R"({"type":"request","action":"getStations","data":{"fields":["id","city"],"filters":{"city":["Москва"],"status":"active"},"pagination":{"page":1,"limit":2}},"requestId":"a"})",
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_001","fields":["id"]},"requestId":7})",
      R"({"type":"request","action":"getStationStats","data":{"stationId":"station_002","days":3,"filters":{"owner":"PowerNet"}},"requestId":"s"})",
  };
  const char kBytes[] = "{}[]\",:0123456789.-e tnul\xd0";
  uint64_t state = 777;
  auto next = [&state]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 1500; ++round) {
    std::string text = seeds[static_cast<size_t>(round) % seeds.size()];
    for (int edits = 1 + static_cast<int>(next() % 3); edits > 0; --edits) {
      size_t pos = next() % text.size();
      char byte = kBytes[next() % (sizeof kBytes - 1)];
      if (next() % 2 == 0) {
        text[pos] = byte;
      } else {
        text.erase(pos, 1);
      }
    }
    Reply reply = service_.HandleText(text, six_, kSeedNow);
    Parsed p = ParseReply(reply);
    const cJSON* type = p.Get("type");
    ASSERT_TRUE(cJSON_IsString(type)) << text << "\n" << reply.payload;
    EXPECT_EQ(std::string(type->valuestring), protocol::MessageKindName(reply.kind)) << text;
  }
}

}  // namespace
}  // namespace wsmock::handler
