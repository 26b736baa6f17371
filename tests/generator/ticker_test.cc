#include "generator/ticker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "generator/station_generator.h"
#include "generator/station_rules.h"
#include "model/station_codec.h"
#include "model/station_json.h"
#include "util/json.h"

namespace wsmock::generator {
namespace {

using model::Snapshot;
using model::Station;

constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z
constexpr Micros kTick = 30 * kMicrosPerSecond;
constexpr uint64_t kSeed = 42;

// Snapshot keeps views into its own strings: hold it by pointer, never copy.
std::shared_ptr<const Snapshot> MakeSnapshot(std::vector<Station> stations, int64_t tick,
                                             Micros taken_at) {
  return std::make_shared<const Snapshot>(std::move(stations), tick, taken_at);
}

// A tick applied to the whole station list, as the next snapshot holds it.
struct Stepped {
  std::vector<Station> stations;
  std::vector<size_t> changed;
};

Stepped Step(const Snapshot& snapshot, uint64_t seed, Micros now) {
  TickResult tick = Tick(snapshot, seed, now);
  Stepped out;
  for (size_t i = 0; i < snapshot.size(); ++i) out.stations.push_back(snapshot.station(i));
  for (size_t k = 0; k < tick.changed.size(); ++k) {
    out.stations[tick.changed[k]] = tick.updated[k];
  }
  out.changed = std::move(tick.changed);
  return out;
}

std::shared_ptr<const Snapshot> Initial(int count) {
  return MakeSnapshot(GenerateStations(kSeed, count, kStart), 0, kStart);
}

TEST(TickerTest, SameSnapshotSeedAndTimeGiveTheSameTick) {
  auto snapshot = Initial(500);
  Stepped a = Step(*snapshot, kSeed, kStart + kTick);
  Stepped b = Step(*snapshot, kSeed, kStart + kTick);
  EXPECT_EQ(a.stations, b.stations);
  EXPECT_EQ(a.changed, b.changed);
}

TEST(TickerTest, DifferentTickIndexesChangeDifferentStations) {
  std::vector<Station> stations = GenerateStations(kSeed, 1000, kStart);
  auto first = MakeSnapshot(stations, 0, kStart);
  auto second = MakeSnapshot(stations, 1, kStart);
  EXPECT_NE(Tick(*first, kSeed, kStart + kTick).changed,
            Tick(*second, kSeed, kStart + kTick).changed);
}

TEST(TickerTest, OnlyChangedStationsDifferAndEachCarriesNow) {
  auto snapshot = Initial(1000);
  const Micros now = kStart + kTick;
  Stepped result = Step(*snapshot, kSeed, now);
  ASSERT_EQ(result.stations.size(), snapshot->size());
  ASSERT_FALSE(result.changed.empty());
  EXPECT_TRUE(std::is_sorted(result.changed.begin(), result.changed.end()));
  EXPECT_EQ(std::adjacent_find(result.changed.begin(), result.changed.end()), result.changed.end());
  std::set<size_t> changed(result.changed.begin(), result.changed.end());
  for (size_t i = 0; i < result.stations.size(); ++i) {
    if (changed.count(i) != 0) {
      EXPECT_EQ(result.stations[i].last_update, now) << i;
      EXPECT_EQ(result.stations[i].id, snapshot->station(i).id);
    } else {
      EXPECT_EQ(result.stations[i], snapshot->station(i)) << i;
    }
  }
}

TEST(TickerTest, AboutTenPercentOfStationsChangePerTick) {
  auto snapshot = Initial(1000);
  size_t total = 0;
  for (int tick = 0; tick < 50; ++tick) {
    const Micros now = kStart + (tick + 1) * kTick;
    Stepped result = Step(*snapshot, kSeed, now);
    EXPECT_GE(result.changed.size(), 50u);
    EXPECT_LE(result.changed.size(), 150u);
    total += result.changed.size();
    snapshot = MakeSnapshot(std::move(result.stations), tick + 1, now);
  }
  EXPECT_NEAR(static_cast<double>(total) / (1000 * 50), 0.10, 0.01);
}

TEST(TickerTest, AtLeastOneStationChangesEveryTick) {
  for (int count : {1, 3}) {
    auto snapshot = Initial(count);
    for (int tick = 0; tick < 100; ++tick) {
      const Micros now = kStart + (tick + 1) * kTick;
      Stepped result = Step(*snapshot, kSeed, now);
      ASSERT_FALSE(result.changed.empty()) << "count " << count << " tick " << tick;
      snapshot = MakeSnapshot(std::move(result.stations), tick + 1, now);
    }
  }
}

TEST(TickerTest, EmptySnapshotGivesAnEmptyTick) {
  Snapshot empty({}, 0, kStart);
  Stepped result = Step(empty, kSeed, kStart + kTick);
  EXPECT_TRUE(result.stations.empty());
  EXPECT_TRUE(result.changed.empty());
}

void ExpectStepKeepsInvariants(const Station& before, const Station& after, Micros now) {
  SCOPED_TRACE(after.id);
  EXPECT_NE(std::find(model::kStatuses.begin(), model::kStatuses.end(), after.status),
            model::kStatuses.end());
  if (after.status == "active") {
    EXPECT_GE(after.current_power_d, MinActivePowerD(after.max_power_d));
    EXPECT_LE(after.current_power_d, after.max_power_d);
  } else {
    EXPECT_EQ(after.current_power_d, 0);
  }
  EXPECT_EQ(after.max_power_d, before.max_power_d);
  EXPECT_GE(after.total_energy_d, before.total_energy_d);
  EXPECT_GE(after.total_sessions, before.total_sessions);
  EXPECT_GE(after.total_energy_d, after.total_sessions * kMinSessionEnergyD);
  EXPECT_LE(after.total_energy_d, (after.total_sessions + 1) * kMaxSessionEnergyD);
  const bool entered_error = after.status == "error" && before.status != "error";
  EXPECT_EQ(after.error_count, before.error_count + (entered_error ? 1 : 0));
  EXPECT_LE(after.last_update, now);
}

TEST(TickerTest, InvariantsHoldOverTwoHundredTicks) {
  auto snapshot = Initial(300);
  std::set<std::pair<std::string, std::string>> transitions;
  for (int tick = 0; tick < 200; ++tick) {
    const Micros now = kStart + (tick + 1) * kTick;
    Stepped result = Step(*snapshot, kSeed, now);
    for (size_t i = 0; i < result.stations.size(); ++i) {
      const Station& before = snapshot->station(i);
      ExpectStepKeepsInvariants(before, result.stations[i], now);
      transitions.insert({before.status, result.stations[i].status});
    }
    if (::testing::Test::HasFailure()) return;  // one broken tick is enough to read
    snapshot = MakeSnapshot(std::move(result.stations), tick + 1, now);
  }
  // Stations go down and come back, not only flip between active and inactive.
  for (std::string_view down : {"maintenance", "error", "offline"}) {
    EXPECT_EQ(transitions.count({"active", std::string(down)}), 1u) << down;
    EXPECT_EQ(transitions.count({std::string(down), "inactive"}), 1u) << down;
  }
}

TEST(TickerTest, ActiveStationAccruesItsPowerTimesTheTickLength) {
  auto snapshot = Initial(1000);
  const Micros hour = 3600 * kMicrosPerSecond;
  Stepped result = Step(*snapshot, kSeed, kStart + hour);
  int checked = 0;
  for (size_t i : result.changed) {
    const Station& before = snapshot->station(i);
    if (before.status != "active") continue;
    // An hour at P tenths of kW is exactly P tenths of kWh: nothing to round.
    EXPECT_EQ(result.stations[i].total_energy_d - before.total_energy_d, before.current_power_d);
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(TickerTest, ShortTicksStillAccrueEnergyOnAverage) {
  // 7.4 kW for 1 s is 0.02 tenths of kWh; rounding down would lose it all.
  Station slow = GenerateStations(kSeed, 1, kStart)[0];
  slow.status = "active";
  slow.max_power_d = 74;
  slow.current_power_d = 74;
  slow.total_energy_d = 0;
  slow.total_sessions = 0;
  auto snapshot = MakeSnapshot({slow}, 0, kStart);
  int64_t gained = 0;
  int ticks_active = 0;
  for (int tick = 0; tick < 2000; ++tick) {
    const Micros now = kStart + (tick + 1) * kMicrosPerSecond;
    const Station before = snapshot->station(0);
    Stepped result = Step(*snapshot, kSeed, now);
    if (before.status == "active" && before.current_power_d > 0) ++ticks_active;
    gained += result.stations[0].total_energy_d - before.total_energy_d;
    snapshot = MakeSnapshot(std::move(result.stations), tick + 1, now);
  }
  ASSERT_GT(ticks_active, 500);
  EXPECT_GT(gained, 0);
}

TEST(TickerTest, NewSessionsAverageATypicalSessionOfEnergy) {
  auto snapshot = Initial(1000);
  int64_t energy = 0, sessions = 0;
  for (int tick = 0; tick < 300; ++tick) {
    const Micros now = kStart + (tick + 1) * kTick;
    Stepped result = Step(*snapshot, kSeed, now);
    for (size_t i : result.changed) {
      energy += result.stations[i].total_energy_d - snapshot->station(i).total_energy_d;
      sessions += result.stations[i].total_sessions - snapshot->station(i).total_sessions;
    }
    snapshot = MakeSnapshot(std::move(result.stations), tick + 1, now);
  }
  ASSERT_GT(sessions, 50);
  // About 20 kWh each, well inside the 8..40 kWh the invariant allows.
  EXPECT_NEAR(static_cast<double>(energy) / static_cast<double>(sessions), 200.0, 60.0);
}

TEST(TickerTest, ClockMovingBackwardsAddsNoEnergy) {
  auto snapshot = Initial(500);
  Stepped result = Step(*snapshot, kSeed, kStart - kTick);
  for (size_t i = 0; i < result.stations.size(); ++i) {
    EXPECT_EQ(result.stations[i].total_energy_d, snapshot->station(i).total_energy_d);
  }
}

TEST(TickerTest, LastUpdateKeepsMillisecondPrecision) {
  auto snapshot = Initial(100);
  Stepped result = Step(*snapshot, kSeed, kStart + kTick + 999);
  for (size_t i : result.changed) EXPECT_EQ(result.stations[i].last_update, kStart + kTick);
}

// What the snapshot store does: keep only the JSON of a snapshot, read it back
// later and recompute the next tick. The result must be the same.
TEST(TickerTest, TickRecomputedFromStoredSnapshotIsIdentical) {
  auto snapshot = Initial(300);
  for (int tick = 0; tick < 5; ++tick) {
    const Micros now = kStart + (tick + 1) * kTick;
    snapshot = MakeSnapshot(Step(*snapshot, kSeed, now).stations, tick + 1, now);
  }
  std::vector<Station> reread;
  for (size_t i = 0; i < snapshot->size(); ++i) {
    Result<json::JsonPtr> node = json::Parse(snapshot->json(i).full());
    ASSERT_TRUE(node.ok());
    Result<Station> station = model::StationFromJson(node->get(), model::StationRules::kStored);
    ASSERT_TRUE(station.ok()) << station.status().message();
    reread.push_back(*station);
  }
  auto restored = MakeSnapshot(std::move(reread), snapshot->tick_index(), snapshot->taken_at());
  const Micros next = kStart + 6 * kTick;
  Stepped original = Step(*snapshot, kSeed, next);
  Stepped recomputed = Step(*restored, kSeed, next);
  EXPECT_EQ(original.stations, recomputed.stations);
  EXPECT_EQ(original.changed, recomputed.changed);
}

}  // namespace
}  // namespace wsmock::generator
