// What the control endpoint (server::kControlPrefix) offers and answers,
// shared by the handlers that take control requests: the routes, the
// health answer and the errors, each a JSON object (README, "Driving a
// running server from a test"). Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "server/ws_server.h"
#include "util/json.h"
#include "util/status.h"

namespace wsmock::app {

enum class ControlRoute {
  kHealth,            // GET /__wsmock/health
  kTick,              // POST /__wsmock/tick
  kStation,           // POST /__wsmock/stations/ID
  kClients,           // GET /__wsmock/clients
  kPush,              // POST /__wsmock/push
  kDisconnect,        // POST /__wsmock/disconnect
  kClientPush,        // POST /__wsmock/clients/ID/push
  kClientDisconnect,  // POST /__wsmock/clients/ID/disconnect
  kRequests,          // GET /__wsmock/requests
  kForgetRequests,    // DELETE /__wsmock/requests
  kReset,             // POST /__wsmock/reset
  kStubs,             // GET /__wsmock/stubs
  kAddStub,           // POST /__wsmock/stubs
  kRemoveStubs,       // DELETE /__wsmock/stubs
  kRemoveStub,        // DELETE /__wsmock/stubs/ID
};

struct ControlTarget {
  ControlRoute route;
  std::string_view id;  // the ID of a route that has one: a view into the path
};

// The route `method` and `path` ask for, or the answer that says why there
// is none: 404 naming the routes there are, 405 naming the methods to use.
std::variant<ControlTarget, server::ControlAnswer> RouteControl(std::string_view method,
                                                                std::string_view path);

// 200 {"status":"ok","mode":...,"clients":N} and, when given, "tickIndex".
server::ControlAnswer HealthAnswer(std::string_view mode, size_t clients,
                                   std::optional<int64_t> tick_index);

// `status` {"error":message}.
server::ControlAnswer ControlError(int status, std::string_view message);

// A control request's JSON body, parsed; InvalidArgument for one that is
// not JSON or holds "\u0000" in a string (cJSON would cut the string there,
// so "error\u0000x" would read as "error").
Result<json::JsonPtr> ParseControlBody(std::string_view body);

}  // namespace wsmock::app
