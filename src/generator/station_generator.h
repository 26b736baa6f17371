// Builds a plausible, reproducible set of charging stations from a seed.
// Pure: the same (seed, count, now) gives identical stations on every machine,
// and station i does not depend on count except for the padding of its id.
#pragma once

#include <cstdint>
#include <vector>

#include "model/station.h"
#include "util/clock.h"

namespace wsmock::generator {

inline constexpr int kMaxGeneratedStations = 100000;

// Stations "station_001".."station_<count>", ids zero-padded to the width of
// `count` (at least 3 digits), each lastUpdate within the hour before `now`
// (at millisecond precision). See station_rules.h for the invariants kept.
// REQUIRES: 1 <= count <= kMaxGeneratedStations (others are clamped to
// 0..kMaxGeneratedStations, so 0 gives no stations).
std::vector<model::Station> GenerateStations(uint64_t seed, int count, Micros now);

}  // namespace wsmock::generator
