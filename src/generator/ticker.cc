#include "generator/ticker.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>

#include "generator/rng.h"
#include "generator/station_rules.h"
#include "model/station_codec.h"

namespace wsmock::generator {
namespace {

using model::Station;

constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr uint32_t kTypicalSessionEnergyD = 200;  // 20 kWh

// Transition weights in percent, per current status. Stations mostly flip
// between active and inactive; a station that is down mostly comes back.
struct Transition {
  std::string_view from;
  std::array<uint64_t, 5> to_percent;  // index-aligned with model::kStatuses
};
constexpr std::array<Transition, 5> kTransitions = {{
    {"active", {60, 32, 3, 3, 2}},
    {"inactive", {45, 50, 2, 2, 1}},
    {"maintenance", {20, 40, 40, 0, 0}},
    {"error", {10, 40, 10, 40, 0}},
    {"offline", {10, 40, 0, 0, 50}},
}};
constexpr bool EveryRowSumsTo100() {
  for (const Transition& t : kTransitions) {
    if (std::accumulate(t.to_percent.begin(), t.to_percent.end(), uint64_t{0}) != 100) return false;
  }
  return true;
}
static_assert(EveryRowSumsTo100());

std::string NextStatus(Rng& rng, const std::string& status) {
  const Transition* row = &kTransitions[1];  // unknown statuses behave as inactive
  for (const Transition& t : kTransitions) {
    if (t.from == status) row = &t;
  }
  uint64_t roll = rng.Below(100);
  for (size_t i = 0; i < row->to_percent.size(); ++i) {
    if (roll < row->to_percent[i]) return std::string(model::kStatuses[i]);
    roll -= row->to_percent[i];
  }
  return status;
}

int64_t SaturatingAdd(int64_t a, int64_t b) { return b > kInt64Max - a ? kInt64Max : a + b; }

// Energy drawn at `power_d` for `micros`, in tenths of kWh. The fraction of a
// tenth is kept with matching probability, so slow chargers on short ticks
// still accrue the right amount on average instead of always rounding to 0.
int64_t EnergyD(Rng& rng, int64_t power_d, uint64_t micros) {
  const unsigned __int128 product = static_cast<unsigned __int128>(std::max<int64_t>(power_d, 0)) *
                                    static_cast<unsigned __int128>(micros);
  const unsigned __int128 whole = product / kMicrosPerHour;
  const uint64_t rest = static_cast<uint64_t>(product % kMicrosPerHour);
  const bool round_up = rng.Below(kMicrosPerHour) < rest;
  if (whole >= static_cast<unsigned __int128>(kInt64Max)) return kInt64Max;
  return SaturatingAdd(static_cast<int64_t>(whole), round_up ? 1 : 0);
}

// Sessions follow energy: one finishes with a chance proportional to the
// energy just delivered (a typical session is kTypicalSessionEnergyD), never
// before every counted session had its minimum, and always once the session
// in progress would exceed the maximum.
void CountSessions(Rng& rng, int64_t delivered_d, Station* s) {
  const bool may_finish = s->total_energy_d / kMinSessionEnergyD > s->total_sessions;
  const auto weight = static_cast<uint32_t>(std::min<int64_t>(delivered_d, kTypicalSessionEnergyD));
  if (may_finish && rng.Chance(weight, kTypicalSessionEnergyD)) ++s->total_sessions;
  const int64_t sessions_needed =
      s->total_energy_d / kMaxSessionEnergyD - (s->total_energy_d % kMaxSessionEnergyD == 0);
  s->total_sessions = std::max(s->total_sessions, sessions_needed);
}

int64_t NextPower(Rng& rng, const Station& s, bool was_active) {
  if (s.status != "active") return 0;
  const int64_t low = MinActivePowerD(s.max_power_d);
  if (!was_active) return rng.Between(low, s.max_power_d);
  const int64_t step = std::max<int64_t>(1, s.max_power_d / 5);
  const int64_t moved = s.current_power_d + rng.Between(-step, step);
  return std::clamp(moved, low, std::max(low, s.max_power_d));
}

// The order of draws is part of the output: do not reorder.
void Evolve(Rng& rng, uint64_t tick_length, Micros now, Station* s) {
  const bool was_active = s->status == "active";
  if (was_active) {
    const int64_t delivered_d = EnergyD(rng, s->current_power_d, tick_length);
    s->total_energy_d = SaturatingAdd(s->total_energy_d, delivered_d);
    CountSessions(rng, delivered_d, s);
  }
  const std::string next = NextStatus(rng, s->status);
  if (next == "error" && s->status != "error") s->error_count = SaturatingAdd(s->error_count, 1);
  s->status = next;
  s->current_power_d = NextPower(rng, *s, was_active);
  s->last_update = model::TruncateToMillis(now);
}

// Each station joins with probability 1/10; an empty draw picks one station,
// so every tick reports at least one change.
std::vector<size_t> PickChanged(Rng& rng, size_t count) {
  std::vector<size_t> changed;
  if (count == 0) return changed;
  changed.reserve(count / 8 + 1);
  for (size_t i = 0; i < count; ++i) {
    if (rng.Chance(1, 10)) changed.push_back(i);
  }
  if (changed.empty()) changed.push_back(static_cast<size_t>(rng.Below(count)));
  return changed;
}

}  // namespace

TickResult Tick(const model::Snapshot& current, uint64_t seed, Micros now) {
  return Tick(current, seed, now, current.tick_index() + 1);
}

TickResult Tick(const model::Snapshot& current, uint64_t seed, Micros now, int64_t k) {
  Rng rng(MixSeed(seed, static_cast<uint64_t>(k)));
  TickResult result;
  result.changed = PickChanged(rng, current.size());
  // A clock moved backwards delivers no energy rather than negative energy.
  // Unsigned, because the difference of two extreme times overflows int64.
  const uint64_t tick_length =
      now > current.taken_at()
          ? static_cast<uint64_t>(now) - static_cast<uint64_t>(current.taken_at())
          : 0;
  result.updated.reserve(result.changed.size());
  for (size_t index : result.changed) {
    result.updated.push_back(current.station(index));
    Evolve(rng, tick_length, now, &result.updated.back());
  }
  return result;
}

}  // namespace wsmock::generator
