// A station changed by a test through the control endpoint
// (POST /__wsmock/stations/ID): the request body names the fields an
// update push carries, and the result is the station as a tick would leave
// it, checked by the same rules as a fixture's. Pure.
#pragma once

#include <string_view>

#include "model/station.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::app {

// `station` with the members of `body`, a JSON object of "status" and/or
// "currentPower", and lastUpdate `now`. A status other than active without
// a currentPower sets it to 0, as the generator does. InvalidArgument names
// the problem: "body must be a JSON object with status and/or currentPower",
// "unknown field 'color' ...", "field 'status' must be one of ...".
Result<model::Station> PatchStation(const model::Station& station, std::string_view body,
                                    Micros now);

}  // namespace wsmock::app
