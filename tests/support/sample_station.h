// One valid, charging station for tests that need a whole one: every field
// set, status active with power below its maximum.
#pragma once

#include "model/station.h"
#include "util/clock.h"

namespace wsmock::testing {

// station_001 in Москва, 18.5 of 22.0 kW, last updated at `last_update`.
model::Station SampleStation(Micros last_update);

}  // namespace wsmock::testing
