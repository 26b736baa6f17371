// One step of the simulated network: from a snapshot to the next station set
// and the indexes that changed. Pure: tick number k uses Rng(MixSeed(seed,
// k)), and k is the snapshot's tick index + 1 unless the caller numbers the
// ticks otherwise (a reset starts them again), so any tick can be
// recomputed from the snapshot before it and its number. Stored snapshots
// keep the tick index, not the number: after a reset the two differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/snapshot.h"
#include "model/station.h"
#include "util/clock.h"

namespace wsmock::generator {

struct TickResult {
  std::vector<size_t> changed;            // indexes of changed stations, ascending
  std::vector<model::Station> updated;    // the new state of each, aligned with `changed`
};

// About 10% of the stations (at least one, if any) change: status, power,
// energy and sessions move (see station_rules.h), errorCount counts entries
// into "error", and lastUpdate becomes `now` truncated to milliseconds.
// Energy accrues for max(0, now - current.taken_at()). The others stay as
// they are: model::Snapshot::Next builds the next tick from this.
TickResult Tick(const model::Snapshot& current, uint64_t seed, Micros now);
// The same, as tick number `k`.
TickResult Tick(const model::Snapshot& current, uint64_t seed, Micros now, int64_t k);

}  // namespace wsmock::generator
