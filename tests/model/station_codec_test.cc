#include "model/station_codec.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "generator/station_generator.h"
#include "model/station_json.h"
#include "support/sample_station.h"
#include "util/json.h"

namespace wsmock::model {
namespace {

constexpr Micros kNow = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

Station Sample() { return testing::SampleStation(kNow); }

json::JsonPtr ToNode(const Station& s) {
  Result<json::JsonPtr> node = json::Parse(StationJson(s).full());
  EXPECT_TRUE(node.ok()) << node.status().message();
  return std::move(node).value();
}

Result<Station> RoundTrip(const Station& s, StationRules rules = StationRules::kFixture) {
  return StationFromJson(ToNode(s).get(), rules);
}

void Replace(cJSON* object, const char* key, cJSON* value) {
  ASSERT_TRUE(cJSON_ReplaceItemInObjectCaseSensitive(object, key, value)) << key;
}

// The error message of parsing Sample() after `edit` under `rules`, or "" if
// it parsed.
template <typename Edit>
std::string ErrorAfter(Edit edit, StationRules rules = StationRules::kFixture) {
  json::JsonPtr node = ToNode(Sample());
  edit(node.get());
  Result<Station> station = StationFromJson(node.get(), rules);
  if (station.ok()) return "";
  EXPECT_EQ(station.status().code(), Status::Code::kInvalidArgument);
  return station.status().message();
}

std::string ErrorWith(const char* key, cJSON* value, StationRules rules = StationRules::kFixture) {
  return ErrorAfter([&](cJSON* n) { Replace(n, key, value); }, rules);
}

std::string LastUpdateError(const char* text, StationRules rules) {
  return ErrorWith("lastUpdate", cJSON_CreateString(text), rules);
}

constexpr StationRules kBothRules[] = {StationRules::kFixture, StationRules::kStored};

const char kEveryField[] =
    "(the fields are id, name, city, address, coordinates, owner, app, status, currentPower, "
    "maxPower, totalEnergy, totalSessions, errorCount, lastUpdate)";

std::string ErrorWithCoordinate(const char* key, double value) {
  return ErrorAfter([&](cJSON* n) {
    Replace(cJSON_GetObjectItemCaseSensitive(n, "coordinates"), key, cJSON_CreateNumber(value));
  });
}

TEST(StationCodecTest, SampleRoundTripsExactly) {
  Result<Station> back = RoundTrip(Sample());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, Sample());
}

TEST(StationCodecTest, GeneratedStationsRoundTripExactlyUnderEitherRules) {
  for (StationRules rules : kBothRules) {
    for (uint64_t seed : {1u, 42u, 1000u}) {
      for (const Station& s : generator::GenerateStations(seed, 2000, kNow + 123456)) {
        Result<Station> back = RoundTrip(s, rules);
        ASSERT_TRUE(back.ok()) << s.id << ": " << back.status().message();
        ASSERT_EQ(*back, s) << StationJson(s).full();
      }
    }
  }
}

TEST(StationCodecTest, EdgeValuesRoundTripExactly) {
  Station s = Sample();
  s.name = "quote \" backslash \\ newline \n tab \t bell \x07 emoji 🔌";
  s.lat_e6 = -90000000;
  s.lng_e6 = 180000000;
  s.status = "offline";
  s.current_power_d = 0;
  s.max_power_d = 1;
  s.total_energy_d = 10'000'000'000'000;  // kMaxStationNumber kWh, in tenths
  s.total_sessions = 1'000'000'000'000;
  s.error_count = 0;
  s.last_update = -1500 * 1000;  // before the epoch, whole milliseconds
  Result<Station> back = RoundTrip(s);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, s);
}

TEST(StationCodecTest, FixtureRulesRefuseAMisspeltFieldAndListTheFields) {
  // Named as unknown, not as the currentPower it leaves missing.
  EXPECT_EQ(ErrorAfter([](cJSON* n) {
              cJSON_DeleteItemFromObjectCaseSensitive(n, "currentPower");
              cJSON_AddNumberToObject(n, "curentPower", 0);
            }),
            std::string("unknown field 'curentPower' ") + kEveryField);
}

TEST(StationCodecTest, FixtureRulesRefuseAnExtraField) {
  EXPECT_EQ(ErrorAfter([](cJSON* n) {
              cJSON_AddStringToObject(n, "lastUpdated", "2024-01-20T10:30:00.000Z");
            }),
            std::string("unknown field 'lastUpdated' ") + kEveryField);
  // Field names are case-sensitive, as the reply writes them.
  EXPECT_EQ(ErrorAfter([](cJSON* n) { cJSON_AddStringToObject(n, "ID", "x"); }),
            std::string("unknown field 'ID' ") + kEveryField);
}

TEST(StationCodecTest, FixtureRulesRefuseAnUnknownMemberOfCoordinates) {
  EXPECT_EQ(ErrorAfter([](cJSON* n) {
              cJSON_AddNumberToObject(cJSON_GetObjectItemCaseSensitive(n, "coordinates"), "alt",
                                      120);
            }),
            "unknown field 'coordinates.alt' (the fields are lat, lng)");
}

// cJSON keeps both members and a lookup finds the first: the second would be
// dropped without a word.
TEST(StationCodecTest, FixtureRulesRefuseAFieldGivenTwice) {
  EXPECT_EQ(ErrorAfter([](cJSON* n) { cJSON_AddStringToObject(n, "status", "error"); }),
            "field 'status' is given twice");
  EXPECT_EQ(ErrorAfter([](cJSON* n) {
              cJSON_AddNumberToObject(cJSON_GetObjectItemCaseSensitive(n, "coordinates"), "lat", 1);
            }),
            "field 'coordinates.lat' is given twice");
}

TEST(StationCodecTest, AnUnknownFieldIsNamedOnOneLineAndCut) {
  EXPECT_EQ(ErrorAfter([](cJSON* n) { cJSON_AddNumberToObject(n, "a\nb", 1); }),
            std::string("unknown field 'a\\nb' ") + kEveryField);
  const std::string error =
      ErrorAfter([](cJSON* n) { cJSON_AddNumberToObject(n, std::string(500, 'x').c_str(), 1); });
  EXPECT_LT(error.size(), 300u) << error;
  EXPECT_NE(error.find("x...'"), std::string::npos) << error;
}

TEST(StationCodecTest, StoredRulesIgnoreUnknownAndRepeatedMembers) {
  EXPECT_EQ(ErrorAfter(
                [](cJSON* n) {
                  cJSON_AddStringToObject(n, "comment", "x");
                  cJSON_AddStringToObject(n, "status", "not even a status");
                  cJSON_AddNumberToObject(cJSON_GetObjectItemCaseSensitive(n, "coordinates"), "alt",
                                          120);
                },
                StationRules::kStored),
            "");
}

TEST(StationCodecTest, EveryMissingFieldIsNamed) {
  for (std::string_view name : kFieldNames) {
    const std::string key(name);
    EXPECT_EQ(
        ErrorAfter([&](cJSON* n) { cJSON_DeleteItemFromObjectCaseSensitive(n, key.c_str()); }),
        "field '" + key + "' is missing");
  }
  for (const char* key : {"lat", "lng"}) {
    EXPECT_EQ(ErrorAfter([&](cJSON* n) {
                cJSON_DeleteItemFromObjectCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(n, "coordinates"), key);
              }),
              std::string("field 'coordinates.") + key + "' is missing");
  }
}

TEST(StationCodecTest, EveryFieldOfTheWrongTypeIsNamedWithTheTypeFound) {
  for (std::string_view name : kFieldNames) {
    const std::string key(name);
    std::string error = ErrorWith(key.c_str(), cJSON_CreateBool(true));
    EXPECT_EQ(error.rfind("field '" + key + "' must be ", 0), 0u) << error;
    EXPECT_NE(error.find(", not boolean"), std::string::npos) << error;
  }
  EXPECT_EQ(ErrorWith("name", cJSON_CreateNumber(1)), "field 'name' must be a string, not number");
  EXPECT_EQ(ErrorWith("coordinates", cJSON_CreateString("55,37")),
            "field 'coordinates' must be an object with lat and lng, not string");
  EXPECT_EQ(ErrorWith("maxPower", cJSON_CreateString("22")),
            "field 'maxPower' must be a number between 0.1 and 1000000000000, not string");
}

TEST(StationCodecTest, CoordinatesOutOfRangeAreRefused) {
  EXPECT_EQ(ErrorWithCoordinate("lat", 90.5),
            "field 'coordinates.lat' must be a number between -90 and 90");
  EXPECT_EQ(ErrorWithCoordinate("lat", -90.000001),
            "field 'coordinates.lat' must be a number between -90 and 90");
  EXPECT_EQ(ErrorWithCoordinate("lng", 180.5),
            "field 'coordinates.lng' must be a number between -180 and 180");
  EXPECT_EQ(ErrorWithCoordinate("lng", -181),
            "field 'coordinates.lng' must be a number between -180 and 180");
  EXPECT_EQ(ErrorWithCoordinate("lat", -90), "");
  EXPECT_EQ(ErrorWithCoordinate("lng", 180), "");
}

TEST(StationCodecTest, NegativeOrHugeNumbersAreRefused) {
  EXPECT_EQ(ErrorWith("currentPower", cJSON_CreateNumber(-1)),
            "field 'currentPower' must be a number between 0 and 1000000000000");
  EXPECT_EQ(ErrorWith("totalEnergy", cJSON_CreateNumber(1e13)),
            "field 'totalEnergy' must be a number between 0 and 1000000000000");
  EXPECT_EQ(ErrorWith("errorCount", cJSON_CreateNumber(-2)),
            "field 'errorCount' must be a whole number between 0 and 1000000000000");
}

TEST(StationCodecTest, CountsMustBeWholeNumbers) {
  EXPECT_EQ(ErrorWith("totalSessions", cJSON_CreateNumber(1.5)),
            "field 'totalSessions' must be a whole number between 0 and 1000000000000");
}

TEST(StationCodecTest, MaxPowerMustBePositive) {
  EXPECT_EQ(ErrorAfter([](cJSON* n) {
              Replace(n, "status", cJSON_CreateString("inactive"));
              Replace(n, "currentPower", cJSON_CreateNumber(0));
              Replace(n, "maxPower", cJSON_CreateNumber(0.01));
            }),
            "field 'maxPower' must be a number between 0.1 and 1000000000000");
}

TEST(StationCodecTest, CurrentPowerMustNotExceedMaxPower) {
  EXPECT_EQ(ErrorWith("currentPower", cJSON_CreateNumber(22.1)),
            "field 'currentPower' must not exceed maxPower (22.1 > 22.0)");
  EXPECT_EQ(ErrorWith("currentPower", cJSON_CreateNumber(22)), "");
}

TEST(StationCodecTest, CurrentPowerMustBeZeroUnlessActive) {
  EXPECT_EQ(ErrorWith("status", cJSON_CreateString("maintenance")),
            "field 'currentPower' must be 0 unless status is active");
}

TEST(StationCodecTest, UnknownStatusListsTheKnownOnes) {
  EXPECT_EQ(ErrorWith("status", cJSON_CreateString("charging")),
            "field 'status' must be one of active, inactive, maintenance, error, offline");
}

TEST(StationCodecTest, IdMustNotBeEmpty) {
  EXPECT_EQ(ErrorWith("id", cJSON_CreateString("")), "field 'id' must be a non-empty string");
}

// A fixture brings the team's own data: ids, cities, owners and apps are
// free text (the schema lists the generator's values only as examples);
// statuses drive the app's logic and stay the five known ones.
TEST(StationCodecTest, IdsCitiesOwnersAndAppsNeedNotBeTheGeneratorsOwn) {
  Station s = Sample();
  s.id = "ABC-1";
  s.city = "Berlin";
  s.owner = "Acme Charging";
  s.app = "Waze";
  Result<Station> back = RoundTrip(s);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, s);
}

TEST(StationCodecTest, EveryTextFieldMustNotBeEmpty) {
  for (const char* field : {"name", "city", "address", "owner", "app", "status"}) {
    EXPECT_EQ(ErrorWith(field, cJSON_CreateString("")),
              std::string("field '") + field + "' must be a non-empty string");
  }
}

TEST(StationCodecTest, LastUpdateMustBeAUtcTimeUnderEitherRules) {
  const std::string expected =
      "field 'lastUpdate' must be a UTC time like 2024-01-20T10:30:00.000Z";
  for (StationRules rules : kBothRules) {
    EXPECT_EQ(LastUpdateError("yesterday", rules), expected);
    EXPECT_EQ(LastUpdateError("2024-01-20T10:30:00+03:00", rules), expected);
    EXPECT_EQ(LastUpdateError("2024-01-20T10:30:00.000", rules), expected);
    EXPECT_EQ(LastUpdateError("2024-01-20T10:30:00.000Z", rules), "");
  }
}

// A fixture's lastUpdate is served as the file spells it, so the file must
// spell it as wsmock writes times; the error gives that spelling.
TEST(StationCodecTest, FixtureLastUpdateMustBeSpeltAsServed) {
  const StationRules fixture = StationRules::kFixture;
  EXPECT_EQ(LastUpdateError("2024-01-20T10:30:00Z", fixture),
            "field 'lastUpdate' must be written 2024-01-20T10:30:00.000Z, UTC with milliseconds "
            "as wsmock serves it, not '2024-01-20T10:30:00Z'");
  const std::string written = "field 'lastUpdate' must be written ";
  EXPECT_EQ(LastUpdateError("2024-01-20T10:30:00.5Z", fixture)
                .rfind(written + "2024-01-20T10:30:00.500Z,", 0),
            0u);
  EXPECT_EQ(LastUpdateError("2024-01-20T10:30:00.123987Z", fixture)
                .rfind(written + "2024-01-20T10:30:00.123Z,", 0),
            0u);
  EXPECT_NE(LastUpdateError("2024-01-20T10:30:00.000+00:00", fixture), "");
  EXPECT_NE(LastUpdateError("2024-01-20 10:30:00.000Z", fixture), "");
}

TEST(StationCodecTest, StoredLastUpdateMayBeAnyUtcFormAndIsTruncatedToMilliseconds) {
  for (const char* text :
       {"2024-01-20T10:30:00Z", "2024-01-20T10:30:00+00:00", "2024-01-20 10:30:00.000Z"}) {
    EXPECT_EQ(LastUpdateError(text, StationRules::kStored), "") << text;
  }
  json::JsonPtr node = ToNode(Sample());
  Replace(node.get(), "lastUpdate", cJSON_CreateString("2024-01-20T10:30:00.123987Z"));
  Result<Station> station = StationFromJson(node.get(), StationRules::kStored);
  ASSERT_TRUE(station.ok()) << station.status().message();
  EXPECT_EQ(station->last_update, kNow + 123000);
}

TEST(StationCodecTest, NumbersRoundToTheFixedPoint) {
  json::JsonPtr node = ToNode(Sample());
  Replace(node.get(), "currentPower", cJSON_CreateNumber(0.25));  // exact in binary
  Replace(node.get(), "totalEnergy", cJSON_CreateNumber(12.34));
  Result<Station> station = StationFromJson(node.get(), StationRules::kFixture);
  ASSERT_TRUE(station.ok()) << station.status().message();
  EXPECT_EQ(station->current_power_d, 3);  // half away from zero
  EXPECT_EQ(station->total_energy_d, 123);
}

TEST(StationCodecTest, NonObjectIsRefused) {
  json::JsonPtr array(cJSON_CreateArray());
  for (StationRules rules : kBothRules) {
    Result<Station> station = StationFromJson(array.get(), rules);
    ASSERT_FALSE(station.ok());
    EXPECT_EQ(station.status().message(), "expected a station object, not array");
    EXPECT_EQ(StationFromJson(nullptr, rules).status().message(),
              "expected a station object, not missing");
  }
}

}  // namespace
}  // namespace wsmock::model
