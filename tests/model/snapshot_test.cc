#include "model/snapshot.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "generator/station_generator.h"
#include "generator/ticker.h"

namespace wsmock::model {
namespace {

constexpr Micros kStart = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

std::vector<Station> Generated(int count) {
  return generator::GenerateStations(42, count, kStart);
}

TEST(SnapshotTest, IndexOfFindsEveryIdAndNothingElse) {
  // Above the parallel-build threshold, so the split build is covered too.
  Snapshot snapshot(Generated(20000), 0, kStart);
  ASSERT_EQ(snapshot.size(), 20000u);
  for (size_t i = 0; i < snapshot.size(); ++i) {
    ASSERT_EQ(snapshot.IndexOf(snapshot.station(i).id), static_cast<int64_t>(i));
  }
  EXPECT_EQ(snapshot.IndexOf("station_20001"), -1);
  EXPECT_EQ(snapshot.IndexOf(""), -1);
  EXPECT_EQ(snapshot.IndexOf("station_0000"), -1);
}

TEST(SnapshotTest, EachStationsJsonIsItsOwn) {
  std::vector<Station> stations = Generated(10000);
  Snapshot snapshot(stations, 0, kStart);
  for (size_t i = 0; i < stations.size(); i += 997) {
    EXPECT_EQ(snapshot.station(i), stations[i]);
    EXPECT_EQ(snapshot.json(i).full(), StationJson(stations[i]).full()) << i;
  }
}

TEST(SnapshotTest, NextEqualsASnapshotBuiltFromScratch) {
  Snapshot first(Generated(500), 0, kStart);
  const Micros now = kStart + 30 * kMicrosPerSecond;
  generator::TickResult tick = generator::Tick(first, 42, now);
  std::vector<Station> expected;
  for (size_t i = 0; i < first.size(); ++i) expected.push_back(first.station(i));
  for (size_t k = 0; k < tick.changed.size(); ++k) expected[tick.changed[k]] = tick.updated[k];

  SnapshotPtr next = Snapshot::Next(first, tick.changed, tick.updated, 1, now);
  Snapshot scratch(expected, 1, now);
  ASSERT_EQ(next->size(), scratch.size());
  EXPECT_EQ(next->tick_index(), 1);
  EXPECT_EQ(next->taken_at(), now);
  for (size_t i = 0; i < scratch.size(); ++i) {
    EXPECT_EQ(next->station(i), scratch.station(i));
    EXPECT_EQ(next->json(i).full(), scratch.json(i).full());
    EXPECT_EQ(next->filter_key(i), scratch.filter_key(i));
    EXPECT_EQ(next->filter_key(i), FilterKey::Of(scratch.station(i)));
    EXPECT_EQ(next->IndexOf(scratch.station(i).id), static_cast<int64_t>(i));
  }
}

TEST(SnapshotTest, NextLeavesThePreviousSnapshotAsItWas) {
  Snapshot first(Generated(50), 0, kStart);
  const std::string before = first.json(3).full();
  Station changed = first.station(3);
  changed.status = changed.status == "error" ? "active" : "error";
  SnapshotPtr next = Snapshot::Next(first, {3}, {changed}, 1, kStart + 1);
  EXPECT_EQ(first.json(3).full(), before);
  EXPECT_NE(next->json(3).full(), before);
  EXPECT_EQ(first.filter_key(3), FilterKey::Of(first.station(3)));
  EXPECT_EQ(next->filter_key(3).status, FilterHash(changed.status));
  EXPECT_EQ(next->json(4).full(), first.json(4).full());
}

}  // namespace
}  // namespace wsmock::model
