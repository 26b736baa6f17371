// Talking to a live wsmock in the fault tests: loopback arguments, requests
// whose requestId can be found again in the server's log, and the round
// trip of a well-behaved client, used to show that it is still served.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/ws_client.h"

namespace wsmock::testing {

// A getStationById request; `request_id_json` is JSON text: "\"a\"" or "7".
std::string StationByIdRequest(std::string_view station_id, std::string_view request_id_json);

// Sends `request` and returns the reply to it (pushed updates are skipped),
// or nullopt when none comes within timeout_ms.
std::optional<std::string> RoundTrip(WsClient* client, const std::string& request,
                                     int timeout_ms = 5000);

// A round trip with requestId `marker` (a plain word), then a wait until the
// server's log shows "Response sent for request <marker>": everything the
// server logged before it is in Output() now. False if either fails.
bool MarkLog(ServerProcess* server, WsClient* client, const std::string& marker);

}  // namespace wsmock::testing
