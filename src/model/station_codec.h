// Reads a station back from its JSON object (the inverse of StationJson):
// every field is required and checked, and the error names the field.
// Pure; StationFromJson(parse(StationJson(s).full())) == s for valid s.
#pragma once

#include <cjson/cJSON.h>

#include "model/station.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::model {

// Numbers above this are refused, so every value fits fixed-point integers
// with room to grow, and converts from a JSON double exactly.
inline constexpr double kMaxStationNumber = 1e12;

// StationJson writes lastUpdate with milliseconds; stations hold times at
// that precision so that writing and reading back gives the same value.
// Rounds toward the past.
inline Micros TruncateToMillis(Micros t) {
  const Micros rest = t % 1000;
  return rest < 0 ? t - rest - 1000 : t - rest;
}

// Parses one station object. Unknown members are ignored. Numbers are rounded
// to the Station's fixed point (half away from zero) and lastUpdate is
// truncated to milliseconds, the precision StationJson writes. Errors are
// InvalidArgument, e.g. "field 'coordinates.lat' must be a number between -90 and 90".
Result<Station> StationFromJson(const cJSON* node);

}  // namespace wsmock::model
