// Statistics over a selection of stations (getStationStats): exact totals and
// breakdowns summed from the stations' own counters, plus a per-day series
// that is SYNTHETIC - a fixed function of (station id, day), independent of
// the totals, so it is stable across runs but does not add up to them.
// Pure functions over values; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/station.h"

namespace wsmock::handler {

struct Figures {
  int64_t stations = 0;
  int64_t sessions = 0;
  int64_t energy_d = 0;  // kWh, tenths
  int64_t errors = 0;
};

struct NamedFigures {
  std::string name;
  Figures figures;
};

struct DayFigures {
  int64_t day = 0;  // days since 1970-01-01
  int64_t sessions = 0;
  int64_t energy_d = 0;  // kWh, tenths
  int64_t errors = 0;
};

struct StationStats {
  Figures totals;
  // All five model::kStatuses in seed order (zeros included), then any other
  // status met, in first-seen order; the counts sum to totals.stations.
  std::vector<NamedFigures> by_status;
  // Cities / owners present in the selection: seed order first, then any
  // other value in first-seen order.
  std::vector<NamedFigures> by_city;
  std::vector<NamedFigures> by_owner;
  std::vector<DayFigures> daily;  // oldest first, ends with last_day
};

// One station's synthetic figures for one day: sessions 0..6, energy
// sessions * 8.0..40.0 kWh, errors 0 or (rarely) 1.
DayFigures SyntheticDay(std::string_view station_id, int64_t day);

// daily[i] sums SyntheticDay over the selection for each of the `days` days
// ending with last_day. Cost: O(stations * days), a few multiplies each.
// REQUIRES: days >= 1; every pointer is live for the call.
StationStats ComputeStats(const std::vector<const model::Station*>& stations, int64_t last_day,
                          int days);

// Appends {"totals":{...},"byStatus":{...},"byCity":{...},"byOwner":{...},"daily":[...]}
// with energy as kWh to one decimal.
void AppendStatsJson(std::string* out, const StationStats& stats);

}  // namespace wsmock::handler
