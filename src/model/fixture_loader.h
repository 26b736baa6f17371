// Loads the stations a user supplies instead of generated ones: a JSON array
// of full station objects, or an object {"stations": [...]}. Stations are read
// under StationRules::kFixture: an unknown or repeated field is an error, and
// lastUpdate must be spelt as it is served. Every error is one line naming
// the source, the station (index from 0, and id when known) and the field, e.g.
//   stations.json: station 3 (station_004): field 'status' must be one of ...
//   stations.json: station 3 (station_004): unknown field 'curentPower' (the fields are id, ...)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/station.h"
#include "util/status.h"

namespace wsmock::model {

inline constexpr size_t kMaxFixtureStations = 100000;
// Larger files are refused; 100000 stations take about 40 MB.
inline constexpr size_t kMaxFixtureBytes = 256u << 20;

// Pure (no I/O), so a fuzzer can drive it. Stations come back in file order;
// ids are unique. Errors are InvalidArgument prefixed with `source_name`.
Result<std::vector<Station>> ParseFixture(std::string_view text, std::string_view source_name);

// Reads `path` and parses it with `path` as the source name. A file that
// cannot be read is an IoError carrying the system's reason.
Result<std::vector<Station>> LoadFixture(const std::string& path);

}  // namespace wsmock::model
