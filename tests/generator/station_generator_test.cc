#include "generator/station_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "generator/station_rules.h"
#include "model/station_json.h"

namespace wsmock::generator {
namespace {

using model::Station;

constexpr Micros kNow = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

template <typename Container, typename Value>
bool Contains(const Container& values, const Value& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

size_t CityIndex(const std::string& city) {
  return static_cast<size_t>(std::find(model::kCities.begin(), model::kCities.end(), city) -
                             model::kCities.begin());
}

// Equirectangular distance: plenty accurate over 5 km.
double MetresFromCentre(const Station& s) {
  const model::CityCentre c = model::kCityCentres[CityIndex(s.city)];
  const double metres_per_degree = 111195.0;
  const double north = (s.lat_e6 - c.lat_e6) / 1e6 * metres_per_degree;
  const double east = (s.lng_e6 - c.lng_e6) / 1e6 * metres_per_degree *
                      std::cos(c.lat_e6 / 1e6 * 3.141592653589793 / 180);
  return std::sqrt(north * north + east * east);
}

TEST(StationGeneratorTest, SameSeedGivesIdenticalStations) {
  EXPECT_EQ(GenerateStations(42, 500, kNow), GenerateStations(42, 500, kNow));
}

TEST(StationGeneratorTest, DifferentSeedsGiveDifferentStations) {
  std::vector<Station> a = GenerateStations(1, 100, kNow);
  std::vector<Station> b = GenerateStations(2, 100, kNow);
  int differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] == b[i] ? 0 : 1;
  EXPECT_EQ(differing, 100);
}

// Pinned so that a change to the generator, or a machine that computes it
// differently, is caught: recorded sessions replay against these stations.
TEST(StationGeneratorTest, FirstStationIsPinned) {
  std::vector<Station> stations = GenerateStations(42, 100, kNow);
  EXPECT_EQ(model::StationJson(stations[0]).full(),
            R"({"id":"station_001","name":"ЭЗС EcoStation №1","city":"Новосибирск",)"
            R"("address":"Новосибирск, ул. Молодёжная, 8",)"
            R"("coordinates":{"lat":55.038091,"lng":82.970513},)"
            R"("owner":"EcoStation","app":"EcoDriver","status":"active",)"
            R"("currentPower":3.9,"maxPower":11.0,"totalEnergy":142302.2,)"
            R"("totalSessions":3931,"errorCount":3,"lastUpdate":"2024-01-20T10:02:09.787Z"})");
}

TEST(StationGeneratorTest, IdsArePaddedToTheWidthOfTheCount) {
  EXPECT_EQ(GenerateStations(1, 1, kNow)[0].id, "station_001");
  std::vector<Station> hundred = GenerateStations(1, 100, kNow);
  EXPECT_EQ(hundred.front().id, "station_001");
  EXPECT_EQ(hundred.back().id, "station_100");
  std::vector<Station> thousand = GenerateStations(1, 1000, kNow);
  EXPECT_EQ(thousand.front().id, "station_0001");
  EXPECT_EQ(thousand[99].id, "station_0100");
  EXPECT_EQ(thousand.back().id, "station_1000");
  EXPECT_EQ(GenerateStations(1, 1001, kNow).back().id, "station_1001");
  EXPECT_EQ(GenerateStations(1, 9999, kNow).back().id, "station_9999");
}

TEST(StationGeneratorTest, StationDoesNotDependOnTheCountExceptItsId) {
  std::vector<Station> small = GenerateStations(9, 10, kNow);
  std::vector<Station> large = GenerateStations(9, 1000, kNow);
  for (size_t i = 0; i < small.size(); ++i) {
    Station renamed = large[i];
    renamed.id = small[i].id;
    EXPECT_EQ(renamed, small[i]) << "station " << i;
  }
}

void ExpectWithinDocumentedRanges(const Station& s, int number) {
  SCOPED_TRACE(s.id);
  EXPECT_TRUE(Contains(model::kCities, s.city));
  EXPECT_TRUE(Contains(model::kOwners, s.owner));
  EXPECT_TRUE(Contains(model::kApps, s.app));
  EXPECT_TRUE(Contains(model::kStatuses, s.status));
  EXPECT_EQ(s.name, "ЭЗС " + s.owner + " №" + std::to_string(number));
  EXPECT_EQ(s.address.rfind(s.city + ", ул. ", 0), 0u) << s.address;
  EXPECT_LE(MetresFromCentre(s), 5050.0);
  EXPECT_TRUE(Contains(std::vector<int64_t>{74, 110, 220, 500, 1000, 1500}, s.max_power_d));
  if (s.status == "active") {
    EXPECT_GE(s.current_power_d, MinActivePowerD(s.max_power_d));
    EXPECT_LE(s.current_power_d, s.max_power_d);
  } else {
    EXPECT_EQ(s.current_power_d, 0);
  }
  EXPECT_GE(s.total_sessions, 0);
  EXPECT_GE(s.total_energy_d, s.total_sessions * kMinSessionEnergyD);
  EXPECT_LE(s.total_energy_d, s.total_sessions * kMaxSessionEnergyD);
  EXPECT_GE(s.error_count, 0);
  EXPECT_LE(s.error_count, 20);
  EXPECT_LE(s.last_update, kNow);
  EXPECT_GE(s.last_update, kNow - 3600 * kMicrosPerSecond);
  EXPECT_EQ(s.last_update % 1000, 0) << "JSON carries milliseconds only";
}

TEST(StationGeneratorTest, EveryValueIsWithinTheDocumentedRanges) {
  std::vector<Station> stations = GenerateStations(7, 2000, kNow);
  ASSERT_EQ(stations.size(), 2000u);
  for (size_t i = 0; i < stations.size(); ++i) {
    ExpectWithinDocumentedRanges(stations[i], static_cast<int>(i) + 1);
  }
}

TEST(StationGeneratorTest, StatusesAreMostlyActiveOrInactiveAndAllOccur) {
  std::vector<Station> stations = GenerateStations(5, 2000, kNow);
  std::set<std::string> seen;
  int up = 0;
  for (const Station& s : stations) {
    seen.insert(s.status);
    up += s.status == "active" || s.status == "inactive" ? 1 : 0;
  }
  EXPECT_EQ(seen.size(), model::kStatuses.size());
  EXPECT_GT(up, 1400);
}

TEST(StationGeneratorTest, StationsSpreadOverEveryCity) {
  std::set<std::string> cities;
  for (const Station& s : GenerateStations(3, 200, kNow)) cities.insert(s.city);
  EXPECT_EQ(cities.size(), model::kCities.size());
}

TEST(StationGeneratorTest, SubMillisecondNowIsTruncated) {
  for (const Station& s : GenerateStations(4, 50, kNow + 999)) {
    EXPECT_EQ(s.last_update % 1000, 0);
    EXPECT_LE(s.last_update, kNow);
  }
}

TEST(StationGeneratorTest, CountsOutsideTheRangeAreClamped) {
  EXPECT_TRUE(GenerateStations(1, 0, kNow).empty());
  EXPECT_TRUE(GenerateStations(1, -5, kNow).empty());
}

TEST(StationGeneratorTest, GeneratesTheLargestAllowedCount) {
  std::vector<Station> stations = GenerateStations(42, kMaxGeneratedStations, kNow);
  ASSERT_EQ(stations.size(), 100000u);
  EXPECT_EQ(stations.front().id, "station_000001");
  EXPECT_EQ(stations.back().id, "station_100000");
  std::set<std::string> ids;
  for (const Station& s : stations) ids.insert(s.id);
  EXPECT_EQ(ids.size(), stations.size());
}

}  // namespace
}  // namespace wsmock::generator
