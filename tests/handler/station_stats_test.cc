#include "handler/station_stats.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "handler/test_stations.h"
#include "util/clock.h"
#include "util/json.h"

namespace wsmock::handler {
namespace {

using testing::kSeedNow;
using testing::MakeStation;

std::vector<const model::Station*> All(const model::Snapshot& snapshot) {
  std::vector<const model::Station*> out;
  for (size_t i = 0; i < snapshot.size(); ++i) out.push_back(&snapshot.station(i));
  return out;
}

std::string Json(const StationStats& stats) {
  std::string out;
  AppendStatsJson(&out, stats);
  return out;
}

const int64_t kSeedDay = DaysSinceEpoch(kSeedNow);

TEST(StatsTest, TotalsAreExactSumsOfTheSelection) {
  model::Snapshot six = testing::SixStations();
  StationStats stats = ComputeStats(All(six), kSeedDay, 7);
  EXPECT_EQ(stats.totals.stations, 6);
  EXPECT_EQ(stats.totals.sessions, 100 + 40 + 3 + 80 + 0 + 25);
  EXPECT_EQ(stats.totals.energy_d, 12345 + 5000 + 101 + 9999 + 0 + 2505);
  EXPECT_EQ(stats.totals.errors, 2 + 0 + 7 + 1 + 0 + 3);
}

TEST(StatsTest, BreakdownsFollowSeedOrderWithHandComputedSums) {
  model::Snapshot six = testing::SixStations();
  std::string json = Json(ComputeStats(All(six), kSeedDay, 1));
  const std::string expected_head =
      R"({"totals":{"stations":6,"sessions":248,"energy":2995.0,"errors":13},)"
      R"("byStatus":{"active":2,"inactive":1,"maintenance":1,"error":1,"offline":1},)"
      R"("byCity":{"Москва":{"stations":3,"sessions":140,"energy":1734.5,"errors":2},)"
      R"("Санкт-Петербург":{"stations":1,"sessions":3,"energy":10.1,"errors":7},)"
      R"("Новосибирск":{"stations":1,"sessions":25,"energy":250.5,"errors":3},)"
      R"("Казань":{"stations":1,"sessions":80,"energy":999.9,"errors":1}},)"
      R"("byOwner":{"РосЭнерго":{"stations":2,"sessions":103,"energy":1244.6,"errors":9},)"
      R"("GreenCharge":{"stations":1,"sessions":40,"energy":500.0,"errors":0},)"
      R"("PowerNet":{"stations":2,"sessions":80,"energy":999.9,"errors":1},)"
      R"("ChargeMaster":{"stations":1,"sessions":25,"energy":250.5,"errors":3}},)"
      R"("daily":[{"date":"2024-01-20",)";
  EXPECT_EQ(json.substr(0, expected_head.size()), expected_head);
  EXPECT_TRUE(json::Parse(json).ok()) << json;
}

TEST(StatsTest, EmptySelectionHasZerosForEveryStatusAndNoGroups) {
  StationStats stats = ComputeStats({}, kSeedDay, 1);
  EXPECT_EQ(Json(stats),
            R"({"totals":{"stations":0,"sessions":0,"energy":0.0,"errors":0},)"
            R"("byStatus":{"active":0,"inactive":0,"maintenance":0,"error":0,"offline":0},)"
            R"("byCity":{},"byOwner":{},)"
            R"("daily":[{"date":"2024-01-20","sessions":0,"energy":0.0,"errors":0}]})");
}

TEST(StatsTest, ValuesOutsideTheSeedVocabularyFollowInFirstSeenOrder) {
  model::Station a = MakeStation({1, "Тверь", "Zeta", "charging", 10, 1, 0});
  model::Station b = MakeStation({2, "Москва", "Alpha", "active", 20, 2, 0});
  model::Station c = MakeStation({3, "Омск", "Zeta", "broken", 30, 3, 1});
  StationStats stats = ComputeStats({&a, &b, &c}, kSeedDay, 1);
  std::vector<std::string> statuses, cities, owners;
  for (const auto& g : stats.by_status) statuses.push_back(g.name);
  for (const auto& g : stats.by_city) cities.push_back(g.name);
  for (const auto& g : stats.by_owner) owners.push_back(g.name);
  EXPECT_EQ(statuses, (std::vector<std::string>{"active", "inactive", "maintenance", "error",
                                                "offline", "charging", "broken"}));
  EXPECT_EQ(cities, (std::vector<std::string>{"Москва", "Тверь", "Омск"}));
  EXPECT_EQ(owners, (std::vector<std::string>{"Zeta", "Alpha"}));
  EXPECT_EQ(stats.by_owner[0].figures.energy_d, 40);
}

TEST(StatsTest, ByStatusCountsSumToTotalStations) {
  model::Snapshot many = testing::ManyStations(137);
  StationStats stats = ComputeStats(All(many), kSeedDay, 7);
  int64_t sum = 0;
  for (const auto& g : stats.by_status) sum += g.figures.stations;
  EXPECT_EQ(sum, 137);
  EXPECT_EQ(stats.totals.stations, 137);
  int64_t city_energy = 0;
  for (const auto& g : stats.by_city) city_energy += g.figures.energy_d;
  EXPECT_EQ(city_energy, stats.totals.energy_d);
}

TEST(StatsTest, DailyEndsOnLastDayAndCrossesMonthAndLeapDay) {
  auto now = ParseIso8601("2024-03-01T23:59:59Z");
  ASSERT_TRUE(now.ok());
  StationStats stats = ComputeStats({}, DaysSinceEpoch(*now), 3);
  ASSERT_EQ(stats.daily.size(), 3u);
  EXPECT_EQ(FormatDay(stats.daily[0].day), "2024-02-28");
  EXPECT_EQ(FormatDay(stats.daily[1].day), "2024-02-29");
  EXPECT_EQ(FormatDay(stats.daily[2].day), "2024-03-01");

  StationStats week = ComputeStats({}, kSeedDay, 7);
  EXPECT_EQ(FormatDay(week.daily.front().day), "2024-01-14");
  EXPECT_EQ(FormatDay(week.daily.back().day), "2024-01-20");
}

// Recomputes `stats.daily` one SyntheticDay call at a time.
void ExpectDailyIsTheSumOfSyntheticDays(const model::Snapshot& snapshot, int64_t last_day,
                                        int days) {
  StationStats stats = ComputeStats(All(snapshot), last_day, days);
  ASSERT_EQ(stats.daily.size(), static_cast<size_t>(days));
  int64_t day = last_day - days + 1;
  for (const DayFigures& d : stats.daily) {
    DayFigures sum;
    for (const model::Station* s : All(snapshot)) {
      DayFigures one = SyntheticDay(s->id, day);
      sum.sessions += one.sessions;
      sum.energy_d += one.energy_d;
      sum.errors += one.errors;
    }
    EXPECT_EQ(d.day, day);
    EXPECT_EQ(d.sessions, sum.sessions) << "day " << day;
    EXPECT_EQ(d.energy_d, sum.energy_d) << "day " << day;
    EXPECT_EQ(d.errors, sum.errors) << "day " << day;
    ++day;
  }
}

TEST(StatsTest, DailyIsTheSumOfEachStationsSyntheticDay) {
  ExpectDailyIsTheSumOfSyntheticDays(testing::SixStations(), kSeedDay, 7);
  model::Snapshot many = testing::ManyStations(137);
  ExpectDailyIsTheSumOfSyntheticDays(many, kSeedDay, 90);
  // Days 0..65535 have six zero upper bytes, which ComputeStats exploits:
  // both ends of that range, ranges across either end, and days far from
  // the epoch both ways.
  ExpectDailyIsTheSumOfSyntheticDays(many, 89, 90);
  ExpectDailyIsTheSumOfSyntheticDays(many, 65535, 90);
  ExpectDailyIsTheSumOfSyntheticDays(many, 40, 90);
  ExpectDailyIsTheSumOfSyntheticDays(many, 65536 + 40, 90);
  ExpectDailyIsTheSumOfSyntheticDays(many, int64_t{1} << 40, 90);
  ExpectDailyIsTheSumOfSyntheticDays(many, -(int64_t{1} << 40), 90);
}

// Expected values below were computed by the original one-call-per-station-
// day implementation: the series is part of recorded sessions, so any
// rewrite must reproduce it exactly.
struct PinnedDay {
  const char* id;
  int64_t day, sessions, energy_d, errors;
};
constexpr PinnedDay kPinnedDays[] = {
    {"station_001", 19742, 4, 1496, 0},
    {"station_001", 19653, 2, 336, 0},
    {"station_001", 19658, 4, 1280, 1},
    {"station_001", 0, 0, 0, 0},
    {"station_001", -1, 3, 855, 0},
    {"station_001", 70000, 4, 1076, 0},
    {"station_003", 19709, 6, 2400, 1},
    {"station_007", 19742, 6, 1860, 0},
    {"station_007", 0, 2, 314, 0},
    {"station_042", 19742, 0, 0, 0},
    {"station_042", 19686, 3, 1155, 1},
    {"station_042", 70000, 3, 942, 0},
    {"station_100000", 19742, 3, 1134, 0},
    {"station_100000", -1, 2, 690, 0},
    {"", 19742, 2, 788, 0},
    {"", 0, 3, 963, 0},
};

TEST(StatsTest, SyntheticDayMatchesValuesPinnedFromTheOriginalImplementation) {
  for (const PinnedDay& pin : kPinnedDays) {
    DayFigures f = SyntheticDay(pin.id, pin.day);
    EXPECT_EQ(f.day, pin.day);
    EXPECT_EQ(f.sessions, pin.sessions) << pin.id << " day " << pin.day;
    EXPECT_EQ(f.energy_d, pin.energy_d) << pin.id << " day " << pin.day;
    EXPECT_EQ(f.errors, pin.errors) << pin.id << " day " << pin.day;
  }
}

TEST(StatsTest, DailySeriesMatchesValuesPinnedFromTheOriginalImplementation) {
  model::Snapshot six = testing::SixStations();
  StationStats stats = ComputeStats(All(six), kSeedDay, 3);
  ASSERT_EQ(stats.daily.size(), 3u);
  const DayFigures expected[] = {{19740, 16, 3819, 1}, {19741, 7, 1516, 1}, {19742, 19, 6132, 0}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(stats.daily[i].day, expected[i].day);
    EXPECT_EQ(stats.daily[i].sessions, expected[i].sessions) << i;
    EXPECT_EQ(stats.daily[i].energy_d, expected[i].energy_d) << i;
    EXPECT_EQ(stats.daily[i].errors, expected[i].errors) << i;
  }
}

TEST(StatsTest, OneStationOneDayJsonIsExact) {
  model::Station s = MakeStation({7, "Казань", "EcoStation", "offline", 55, 5, 1});
  DayFigures day = SyntheticDay("station_007", kSeedDay);
  std::string energy;
  json::AppendFixed(&energy, day.energy_d, 1);
  EXPECT_EQ(Json(ComputeStats({&s}, kSeedDay, 1)),
            R"({"totals":{"stations":1,"sessions":5,"energy":5.5,"errors":1},)"
            R"("byStatus":{"active":0,"inactive":0,"maintenance":0,"error":0,"offline":1},)"
            R"("byCity":{"Казань":{"stations":1,"sessions":5,"energy":5.5,"errors":1}},)"
            R"("byOwner":{"EcoStation":{"stations":1,"sessions":5,"energy":5.5,"errors":1}},)"
            R"("daily":[{"date":"2024-01-20","sessions":)" +
                std::to_string(day.sessions) + R"(,"energy":)" + energy + R"(,"errors":)" +
                std::to_string(day.errors) + "}]}");
}

TEST(StatsTest, SyntheticDayIsDeterministicBoundedAndVaried) {
  std::array<int, 7> sessions_seen{};
  int station_days = 0, error_days = 0, differing = 0;
  for (int n = 1; n <= 100; ++n) {
    std::string id = "station_" + std::to_string(1000 + n);
    for (int64_t day = kSeedDay - 365; day <= kSeedDay; ++day) {
      DayFigures f = SyntheticDay(id, day);
      EXPECT_EQ(f.day, day);
      ASSERT_GE(f.sessions, 0);
      ASSERT_LE(f.sessions, 6);
      EXPECT_GE(f.energy_d, f.sessions * 80);
      EXPECT_LE(f.energy_d, f.sessions * 400);
      EXPECT_TRUE(f.errors == 0 || (f.errors == 1 && f.sessions > 0));
      DayFigures again = SyntheticDay(id, day);
      EXPECT_EQ(again.sessions, f.sessions);
      EXPECT_EQ(again.energy_d, f.energy_d);
      EXPECT_EQ(again.errors, f.errors);
      ++sessions_seen[static_cast<size_t>(f.sessions)];
      ++station_days;
      error_days += static_cast<int>(f.errors);
      if (SyntheticDay(id, day + 1).energy_d != f.energy_d) ++differing;
    }
  }
  for (int count : sessions_seen) EXPECT_GT(count, station_days / 10);
  EXPECT_GT(error_days, 0);
  EXPECT_LT(error_days, station_days / 10);  // rare
  EXPECT_GT(differing, station_days / 2);
}

}  // namespace
}  // namespace wsmock::handler
