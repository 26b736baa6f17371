// Reads a station back from its JSON object (the inverse of StationJson):
// every field is required and checked, and the error names the field.
// Pure; StationFromJson(parse(StationJson(s).full()), rules) == s for valid s
// under either rules.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>

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

// How closely a station object must match what StationJson writes.
enum class StationRules : uint8_t {
  // A fixture, written by a person: a member that is no field (a typo such as
  // "curentPower", also inside coordinates), a member given twice, or a
  // lastUpdate spelt other than as StationJson writes it
  // ("2024-01-20T10:30:00.000Z": UTC, milliseconds, 'T' and 'Z') is an error,
  // so the served station says what the file says.
  kFixture,
  // Stations wsmock stored (recordings, imported sessions): unknown members
  // are ignored and lastUpdate may be any UTC form ParseIso8601 reads,
  // truncated to milliseconds, so files of other wsmock versions still load.
  kStored,
};

// Parses one station object under `rules`. Numbers are rounded to the
// Station's fixed point (half away from zero) under either. Errors are
// InvalidArgument, e.g. "field 'coordinates.lat' must be a number between -90 and 90".
Result<Station> StationFromJson(const cJSON* node, StationRules rules);

}  // namespace wsmock::model
