#include "model/fixture_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "generator/station_generator.h"
#include "model/station_json.h"
#include "support/temp_dir.h"

namespace wsmock::model {
namespace {

constexpr Micros kNow = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

std::string ArrayOf(const std::vector<Station>& stations) {
  std::string text = "[";
  for (const Station& s : stations) {
    if (text.size() > 1) text += ",\n";
    text += StationJson(s).full();
  }
  return text + "]";
}

std::vector<Station> Five() { return generator::GenerateStations(3, 5, kNow); }

// The error of parsing `text` as "f.json", or "" if it parsed.
std::string ErrorOf(const std::string& text) {
  Result<std::vector<Station>> stations = ParseFixture(text, "f.json");
  if (stations.ok()) return "";
  EXPECT_EQ(stations.status().code(), Status::Code::kInvalidArgument);
  return stations.status().message();
}

TEST(FixtureLoaderTest, LoadsTheSmallFixture) {
  Result<std::vector<Station>> stations =
      LoadFixture(std::string(WSMOCK_SOURCE_DIR) + "/fixtures/stations_small.json");
  ASSERT_TRUE(stations.ok()) << stations.status().message();
  ASSERT_EQ(stations->size(), 3u);
  const std::vector<Station>& s = *stations;
  EXPECT_EQ(s[0].id, "station_001");
  EXPECT_EQ(s[0].city, "Москва");
  EXPECT_EQ(s[0].current_power_d, 185);
  EXPECT_EQ(s[0].lat_e6, 55760100);
  EXPECT_EQ(s[1].city, "Санкт-Петербург");
  EXPECT_EQ(s[1].last_update % kMicrosPerSecond, 250000);
  EXPECT_EQ(s[2].city, "Казань");
  EXPECT_EQ(s[2].status, "error");
  EXPECT_EQ(s[2].total_energy_d, 153107);
}

TEST(FixtureLoaderTest, GeneratedStationsWrittenAsAFixtureLoadBackEqual) {
  std::vector<Station> stations = generator::GenerateStations(8, 300, kNow);
  testing::TempDir dir;
  testing::WriteFile(dir.File("all.json"), ArrayOf(stations));
  Result<std::vector<Station>> loaded = LoadFixture(dir.File("all.json"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(*loaded, stations);
}

TEST(FixtureLoaderTest, AcceptsAnObjectWithAStationsArray) {
  Result<std::vector<Station>> stations =
      ParseFixture("{\"version\": 1, \"stations\": " + ArrayOf(Five()) + "}", "f.json");
  ASSERT_TRUE(stations.ok()) << stations.status().message();
  EXPECT_EQ(*stations, Five());
}

TEST(FixtureLoaderTest, FieldErrorNamesFileStationIndexIdAndField) {
  std::vector<Station> stations = Five();
  stations[3].status = "charging";
  stations[3].current_power_d = 0;
  Result<std::vector<Station>> result = ParseFixture(ArrayOf(stations), "stations.json");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "stations.json: station 3 (station_004): field 'status' must be one of active, "
            "inactive, maintenance, error, offline");
}

TEST(FixtureLoaderTest, AMisspeltFieldIsRefusedWithFileStationAndTheFieldNames) {
  std::string text = ArrayOf(Five());
  // The fourth station's "currentPower" misspelt.
  const size_t station_4 = text.find("\"id\":\"station_004\"");
  ASSERT_NE(station_4, std::string::npos) << text;
  text.replace(text.find("\"currentPower\"", station_4), 14, "\"curentPower\"");
  EXPECT_EQ(
      ErrorOf(text),
      "f.json: station 3 (station_004): unknown field 'curentPower' (the fields are id, name, "
      "city, address, coordinates, owner, app, status, currentPower, maxPower, totalEnergy, "
      "totalSessions, errorCount, lastUpdate)");
}

TEST(FixtureLoaderTest, AnExtraFieldIsRefused) {
  std::string text = ArrayOf(Five());
  text.insert(text.find('{') + 1, "\"lastUpdated\":\"2024-01-20T10:30:00.000Z\",");
  const std::string error = ErrorOf(text);
  EXPECT_EQ(error.rfind("f.json: station 0 (station_001): unknown field 'lastUpdated' (", 0), 0u)
      << error;
}

TEST(FixtureLoaderTest, ALastUpdateNotSpeltAsServedIsRefused) {
  std::string text = ArrayOf(Five());
  const std::string key = "\"lastUpdate\":\"";
  text.replace(text.find(key) + key.size(), 24, "2024-01-20T10:30:00Z");
  EXPECT_EQ(ErrorOf(text),
            "f.json: station 0 (station_001): field 'lastUpdate' must be written "
            "2024-01-20T10:30:00.000Z, UTC with milliseconds as wsmock serves it, not "
            "'2024-01-20T10:30:00Z'");
}

// What the file says is what a reply sends: the loaded station is written
// back with the fixture's own lastUpdate bytes.
TEST(FixtureLoaderTest, TheSmallFixtureIsServedWithItsOwnLastUpdateText) {
  const std::string path = std::string(WSMOCK_SOURCE_DIR) + "/fixtures/stations_small.json";
  Result<std::vector<Station>> stations = LoadFixture(path);
  ASSERT_TRUE(stations.ok()) << stations.status().message();
  const std::string file = testing::ReadFile(path);
  for (const Station& s : *stations) {
    std::string served;
    AppendFieldValue(&served, s, Field::kLastUpdate);
    EXPECT_NE(file.find("\"lastUpdate\": " + served), std::string::npos) << served;
  }
}

TEST(FixtureLoaderTest, StationWithoutIdIsNamedByIndexOnly) {
  std::string text = ArrayOf(Five());
  const std::string id = "\"id\":\"station_002\",";
  text.erase(text.find(id), id.size());
  EXPECT_EQ(ErrorOf(text), "f.json: station 1: field 'id' is missing");
}

TEST(FixtureLoaderTest, UnprintableIdIsShownSafelyOnOneLine) {
  std::vector<Station> stations = Five();
  stations[0].id = "bad\nid";
  stations[0].app = "";
  std::string text = ArrayOf(stations);
  text.replace(text.find("\"app\":\"\""), 8, "\"app\":7");
  EXPECT_EQ(ErrorOf(text), "f.json: station 0 (bad?id): field 'app' must be a string, not number");
}

TEST(FixtureLoaderTest, NonObjectStationIsRefused) {
  EXPECT_EQ(ErrorOf("[42]"), "f.json: station 0: expected a station object, not number");
}

TEST(FixtureLoaderTest, InvalidJsonNamesTheOffset) {
  EXPECT_EQ(ErrorOf("[{\"id\": }]"), "f.json: invalid JSON at byte offset 8");
  // Where cJSON notices a truncated document is its business; the name is ours.
  EXPECT_EQ(ErrorOf("[{\"id\": \"station_001\"").rfind("f.json: ", 0), 0u);
  EXPECT_EQ(ErrorOf(""), "f.json: unexpected end of JSON input");
}

// cJSON ends its strings at a NUL, so "a\u0000b" was served as "a".
TEST(FixtureLoaderTest, ANulEscapeInAStringIsRefusedWithItsOffset) {
  std::vector<Station> stations = Five();
  stations[1].name = "aZZZb";
  std::string text = ArrayOf(stations);
  const size_t offset = text.find("ZZZ");
  ASSERT_NE(offset, std::string::npos) << text;
  text.replace(offset, 3, "\\u0000");
  EXPECT_EQ(ErrorOf(text), "f.json: \\u0000 inside a string is not supported (byte offset " +
                               std::to_string(offset) + ")");
  // An escaped backslash before "u0000" is no NUL.
  stations[1].name = "a\\u0000b";
  EXPECT_EQ(ErrorOf(ArrayOf(stations)), "");
}

TEST(FixtureLoaderTest, OtherTopLevelShapesAreRefused) {
  const std::string expected =
      "f.json: expected a JSON array of stations or an object {\"stations\": [...]}";
  EXPECT_EQ(ErrorOf("42"), expected);
  EXPECT_EQ(ErrorOf("{\"items\": []}"), expected);
  EXPECT_EQ(ErrorOf("{\"stations\": {}}"), expected);
}

TEST(FixtureLoaderTest, EmptyListIsRefused) {
  EXPECT_EQ(ErrorOf("[]"), "f.json: no stations: the list is empty");
  EXPECT_EQ(ErrorOf("{\"stations\": []}"), "f.json: no stations: the list is empty");
}

TEST(FixtureLoaderTest, DuplicateIdNamesBothStations) {
  std::vector<Station> stations = Five();
  stations[2].id = stations[0].id;
  EXPECT_EQ(ErrorOf(ArrayOf(stations)),
            "f.json: station 2 (station_001): duplicate id, first used by station 0");
}

TEST(FixtureLoaderTest, MoreThanTheLimitIsRefusedBeforeReadingStations) {
  // Elements need not be stations: the count is checked first.
  std::string text = "[";
  for (size_t i = 0; i < kMaxFixtureStations; ++i) text += "0,";
  EXPECT_EQ(ErrorOf(text + "0]"), "f.json: 100001 stations, more than the limit of 100000");
  text.back() = ']';
  EXPECT_EQ(ErrorOf(text), "f.json: station 0: expected a station object, not number");
}

TEST(FixtureLoaderTest, MissingFileIsAnIoErrorWithTheSystemReason) {
  testing::TempDir dir;
  const std::string path = dir.File("absent.json");
  Result<std::vector<Station>> stations = LoadFixture(path);
  ASSERT_FALSE(stations.ok());
  EXPECT_EQ(stations.status().code(), Status::Code::kIoError);
  EXPECT_EQ(stations.status().message(), path + ": cannot read: No such file or directory");
}

TEST(FixtureLoaderTest, DirectoryIsAnIoError) {
  testing::TempDir dir;
  Result<std::vector<Station>> stations = LoadFixture(dir.path());
  ASSERT_FALSE(stations.ok());
  EXPECT_EQ(stations.status().code(), Status::Code::kIoError);
  EXPECT_EQ(stations.status().message(), dir.path() + ": cannot read: Is a directory");
}

TEST(FixtureLoaderTest, ErrorsInAFileNameThePath) {
  testing::TempDir dir;
  const std::string path = dir.File("stations.json");
  testing::WriteFile(path, "[]");
  EXPECT_EQ(LoadFixture(path).status().message(), path + ": no stations: the list is empty");
}

}  // namespace
}  // namespace wsmock::model
