#include "fault/live_server.h"

#include <chrono>

namespace wsmock::testing {

std::string StationByIdRequest(std::string_view station_id, std::string_view request_id_json) {
  return R"({"type":"request","action":"getStationById","data":{"stationId":")" +
         std::string(station_id) + R"("},"requestId":)" + std::string(request_id_json) + "}";
}

std::optional<std::string> RoundTrip(WsClient* client, const std::string& request, int timeout_ms) {
  if (!client->SendText(request)) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  // Updates may come in between; each Receive waits at most what is left.
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return std::nullopt;
    std::optional<std::string> message = client->Receive(static_cast<int>(left));
    if (!message) return std::nullopt;
    if (message->find("\"type\":\"update\"") == std::string::npos) return message;
  }
}

bool MarkLog(ServerProcess* server, WsClient* client, const std::string& marker) {
  // getStations, unlike getStationById, needs no station id that depends on --stations.
  const std::string request =
      R"({"type":"request","action":"getStations","data":{"pagination":{"limit":1}},"requestId":")" +
      marker + "\"}";
  if (!RoundTrip(client, request)) return false;
  return server->WaitForOutput("Response sent for request " + marker + "\n");
}

}  // namespace wsmock::testing
