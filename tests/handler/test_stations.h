// Hand-built stations and snapshots for handler tests, independent of the
// generator so the expected sums below can be checked by hand.
#pragma once

#include <cstdint>
#include <string>

#include "model/snapshot.h"
#include "model/station.h"
#include "util/clock.h"

namespace wsmock::testing {

// 2024-01-20T10:30:00Z, the seed log's moment.
inline constexpr Micros kSeedNow = 1705746600LL * kMicrosPerSecond;

struct StationSpec {
  int number;  // id "station_%03d"
  std::string city, owner, status;
  int64_t energy_d, sessions, errors;
};
model::Station MakeStation(const StationSpec& spec);

// Six stations:
//   001 Москва          РосЭнерго    active      1234.5 kWh 100 sessions 2 errors
//   002 Москва          GreenCharge  inactive     500.0      40          0
//   003 Санкт-Петербург РосЭнерго    error         10.1       3          7
//   004 Казань          PowerNet     active       999.9      80          1
//   005 Москва          PowerNet     offline        0.0       0          0
//   006 Новосибирск     ChargeMaster maintenance  250.5      25          3
// Totals: 6 stations, 248 sessions, 2995.0 kWh, 13 errors.
model::Snapshot SixStations();

// `count` stations cycling through the seed's cities, owners and statuses.
model::Snapshot ManyStations(int count);

}  // namespace wsmock::testing
