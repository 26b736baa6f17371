#include "app/control_answers.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace wsmock::app {
namespace {

server::ControlAnswer Refusal(std::string_view method, std::string_view path) {
  auto route = RouteControl(method, path);
  EXPECT_TRUE(std::holds_alternative<server::ControlAnswer>(route)) << method << " " << path;
  return std::holds_alternative<server::ControlAnswer>(route)
             ? std::get<server::ControlAnswer>(route)
             : server::ControlAnswer{0, ""};
}

ControlTarget Target(std::string_view method, std::string_view path) {
  auto route = RouteControl(method, path);
  EXPECT_TRUE(std::holds_alternative<ControlTarget>(route)) << method << " " << path;
  return std::holds_alternative<ControlTarget>(route) ? std::get<ControlTarget>(route)
                                                      : ControlTarget{ControlRoute::kHealth, ""};
}

TEST(ControlAnswersTest, EachRouteTakesItsMethod) {
  EXPECT_EQ(Target("GET", "/__wsmock/health").route, ControlRoute::kHealth);
  EXPECT_EQ(Target("POST", "/__wsmock/tick").route, ControlRoute::kTick);
  const ControlTarget station = Target("POST", "/__wsmock/stations/station_042");
  EXPECT_EQ(station.route, ControlRoute::kStation);
  EXPECT_EQ(station.id, "station_042");
  server::ControlAnswer wrong = Refusal("POST", "/__wsmock/health");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.json, R"({"error":"/__wsmock/health takes GET"})");
  EXPECT_EQ(Refusal("GET", "/__wsmock/stations/station_042").status, 405);
  EXPECT_EQ(Target("GET", "/__wsmock/clients").route, ControlRoute::kClients);
  EXPECT_EQ(Target("POST", "/__wsmock/push").route, ControlRoute::kPush);
  EXPECT_EQ(Target("POST", "/__wsmock/disconnect").route, ControlRoute::kDisconnect);
  EXPECT_EQ(Refusal("POST", "/__wsmock/clients").status, 405);
  EXPECT_EQ(Refusal("GET", "/__wsmock/push").status, 405);
  EXPECT_EQ(Target("POST", "/__wsmock/reset").route, ControlRoute::kReset);
}

TEST(ControlAnswersTest, OnePathMayTakeTwoMethodsAndAnotherIsToldBoth) {
  EXPECT_EQ(Target("GET", "/__wsmock/requests").route, ControlRoute::kRequests);
  EXPECT_EQ(Target("DELETE", "/__wsmock/requests").route, ControlRoute::kForgetRequests);
  server::ControlAnswer wrong = Refusal("POST", "/__wsmock/requests");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.json, R"({"error":"/__wsmock/requests takes GET or DELETE"})");
}

TEST(ControlAnswersTest, AClientRouteHasItsIdBetweenClientsAndWhatToDo) {
  const ControlTarget push = Target("POST", "/__wsmock/clients/12/push");
  EXPECT_EQ(push.route, ControlRoute::kClientPush);
  EXPECT_EQ(push.id, "12");
  const ControlTarget disconnect = Target("POST", "/__wsmock/clients/3/disconnect");
  EXPECT_EQ(disconnect.route, ControlRoute::kClientDisconnect);
  EXPECT_EQ(disconnect.id, "3");
  EXPECT_EQ(Refusal("GET", "/__wsmock/clients/3/disconnect").status, 405);
  EXPECT_EQ(Refusal("POST", "/__wsmock/clients//push").status, 404);
  EXPECT_EQ(Refusal("POST", "/__wsmock/clients/1/2/push").status, 404);
  EXPECT_EQ(Refusal("POST", "/__wsmock/clients/3").status, 404);
  EXPECT_EQ(Refusal("POST", "/__wsmock/clients/3/close").status, 404);
}

TEST(ControlAnswersTest, AStationRouteNeedsAnId) {
  EXPECT_EQ(Refusal("POST", "/__wsmock/stations/").status, 404);
  EXPECT_EQ(Refusal("POST", "/__wsmock/stations").status, 404);
  // A station id is any text: lws hands over "a%2Fb" as "a/b".
  EXPECT_EQ(Target("POST", "/__wsmock/stations/a/b").id, "a/b");
}

TEST(ControlAnswersTest, AnUnknownPathIsNamedPrintablyWithTheRoutesThereAre) {
  server::ControlAnswer unknown = Refusal("GET", "/__wsmock/a\"b\x01\xff");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json,
            R"({"error":"no control at /__wsmock/a\"b??; there are GET /__wsmock/health, )"
            R"(POST /__wsmock/tick, POST /__wsmock/stations/ID, GET /__wsmock/clients, )"
            R"(POST /__wsmock/push, POST /__wsmock/disconnect, POST /__wsmock/clients/ID/push, )"
            R"(POST /__wsmock/clients/ID/disconnect, GET /__wsmock/requests, )"
            R"(DELETE /__wsmock/requests, POST /__wsmock/reset, GET /__wsmock/stubs, )"
            R"(POST /__wsmock/stubs, DELETE /__wsmock/stubs, DELETE /__wsmock/stubs/ID"})");
  EXPECT_EQ(Refusal("GET", "/__wsmock/health/").status, 404);
  EXPECT_EQ(Refusal("GET", "/__wsmock/").status, 404);
}

TEST(ControlAnswersTest, HealthSaysTheModeClientsAndTickWhenThereIsOne) {
  server::ControlAnswer serve = HealthAnswer("serve", 3, 7);
  EXPECT_EQ(serve.status, 200);
  EXPECT_EQ(serve.json, R"({"status":"ok","mode":"serve","clients":3,"tickIndex":7})");
  EXPECT_EQ(HealthAnswer("replay", 0, std::nullopt).json,
            R"({"status":"ok","mode":"replay","clients":0})");
}

TEST(ControlAnswersTest, ErrorsAreJsonWithTheMessageEscaped) {
  server::ControlAnswer error = ControlError(409, "no \"ticks\"\n");
  EXPECT_EQ(error.status, 409);
  EXPECT_EQ(error.json, R"({"error":"no \"ticks\"\n"})");
}

}  // namespace
}  // namespace wsmock::app
