// The invariants generated and ticked stations keep, shared by the generator,
// the ticker and their tests. Energies and powers are tenths, as in Station.
#pragma once

#include <cstdint>

namespace wsmock::generator {

// An active station draws between 10% and 100% of its maximum power.
inline int64_t MinActivePowerD(int64_t max_power_d) {
  return max_power_d / 10 + (max_power_d % 10 != 0 ? 1 : 0);
}

// A finished session delivers 8..40 kWh on average, so a station keeps
// sessions * kMinSessionEnergyD <= energy <= (sessions + 1) * kMaxSessionEnergyD;
// the "+ 1" is the session in progress.
inline constexpr int64_t kMinSessionEnergyD = 80;
inline constexpr int64_t kMaxSessionEnergyD = 400;

// Times are set through model::TruncateToMillis (station_codec.h), so that a
// station survives its JSON round trip.

}  // namespace wsmock::generator
