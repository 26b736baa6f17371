#include "app/control_answers.h"

#include <string>

#include "util/json.h"
#include "util/json_scan.h"
#include "util/printable_text.h"

namespace wsmock::app {

namespace {

struct Route {
  std::string_view method;
  // The path after server::kControlPrefix is `name`, or with an id:
  // `name`, then a non-empty ID, then `after_id`. The ID holds no '/'
  // unless it is the path's last part: a station id is any text, and lws
  // hands the path over with %2F decoded.
  std::string_view name;
  bool has_id;
  std::string_view after_id;
  ControlRoute route;
};

constexpr Route kRoutes[] = {
    {"GET", "health", false, "", ControlRoute::kHealth},
    {"POST", "tick", false, "", ControlRoute::kTick},
    {"POST", "stations/", true, "", ControlRoute::kStation},
    {"GET", "clients", false, "", ControlRoute::kClients},
    {"POST", "push", false, "", ControlRoute::kPush},
    {"POST", "disconnect", false, "", ControlRoute::kDisconnect},
    {"POST", "clients/", true, "/push", ControlRoute::kClientPush},
    {"POST", "clients/", true, "/disconnect", ControlRoute::kClientDisconnect},
    {"GET", "requests", false, "", ControlRoute::kRequests},
    {"DELETE", "requests", false, "", ControlRoute::kForgetRequests},
    {"POST", "reset", false, "", ControlRoute::kReset},
    {"GET", "stubs", false, "", ControlRoute::kStubs},
    {"POST", "stubs", false, "", ControlRoute::kAddStub},
    {"DELETE", "stubs", false, "", ControlRoute::kRemoveStubs},
    {"DELETE", "stubs/", true, "", ControlRoute::kRemoveStub},
};

std::string RouteList() {
  std::string list;
  for (const Route& route : kRoutes) {
    if (!list.empty()) list += ", ";
    list += std::string(route.method) + " " + std::string(server::kControlPrefix) +
            std::string(route.name) + (route.has_id ? "ID" : "") + std::string(route.after_id);
  }
  return list;
}

// Whether `name` is `route`'s; sets `id` for a route with one.
bool Matches(const Route& route, std::string_view name, std::string_view* id) {
  if (!route.has_id) return name == route.name;
  if (!name.starts_with(route.name) || !name.ends_with(route.after_id) ||
      name.size() <= route.name.size() + route.after_id.size()) {
    return false;
  }
  *id = name.substr(route.name.size(), name.size() - route.name.size() - route.after_id.size());
  return route.after_id.empty() || id->find('/') == std::string_view::npos;
}

}  // namespace

std::variant<ControlTarget, server::ControlAnswer> RouteControl(std::string_view method,
                                                                std::string_view path) {
  std::string_view name = path;
  if (name.starts_with(server::kControlPrefix)) name.remove_prefix(server::kControlPrefix.size());
  std::string methods;  // those of the routes at `path`, when `method` is not one
  for (const Route& route : kRoutes) {
    std::string_view id;
    if (!Matches(route, name, &id)) continue;
    if (method == route.method) return ControlTarget{route.route, id};
    methods += std::string(methods.empty() ? "" : " or ") + std::string(route.method);
  }
  if (!methods.empty()) return ControlError(405, PrintableCut(path, 200) + " takes " + methods);
  // The path is the client's: bounded and printable in the answer.
  return ControlError(404,
                      "no control at " + PrintableCut(path, 200) + "; there are " + RouteList());
}

server::ControlAnswer HealthAnswer(std::string_view mode, size_t clients,
                                   std::optional<int64_t> tick_index) {
  std::string json = R"({"status":"ok","mode":)";
  json::AppendString(&json, mode);
  json += R"(,"clients":)" + std::to_string(clients);
  if (tick_index) json += R"(,"tickIndex":)" + std::to_string(*tick_index);
  json += '}';
  return server::ControlAnswer{200, std::move(json)};
}

server::ControlAnswer ControlError(int status, std::string_view message) {
  std::string json = R"({"error":)";
  json::AppendString(&json, message);
  json += '}';
  return server::ControlAnswer{status, std::move(json)};
}

Result<json::JsonPtr> ParseControlBody(std::string_view body) {
  Result<json::JsonPtr> parsed = json::Parse(body);
  if (!parsed.ok()) return parsed;
  if (const size_t nul = json::FirstNulEscape(body); nul != std::string_view::npos) {
    return Status::InvalidArgument("\\u0000 inside a string is not supported (byte offset " +
                                   std::to_string(nul) + ")");
  }
  return parsed;
}

}  // namespace wsmock::app
