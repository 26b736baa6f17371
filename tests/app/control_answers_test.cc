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

TEST(ControlAnswersTest, EachRouteTakesItsMethod) {
  EXPECT_EQ(std::get<ControlRoute>(RouteControl("GET", "/__wsmock/health")), ControlRoute::kHealth);
  EXPECT_EQ(std::get<ControlRoute>(RouteControl("POST", "/__wsmock/tick")), ControlRoute::kTick);
  server::ControlAnswer wrong = Refusal("POST", "/__wsmock/health");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.json, R"({"error":"/__wsmock/health takes GET"})");
}

TEST(ControlAnswersTest, AnUnknownPathIsNamedPrintablyWithTheRoutesThereAre) {
  server::ControlAnswer unknown = Refusal("GET", "/__wsmock/a\"b\x01\xff");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json,
            R"({"error":"no control at /__wsmock/a\"b??; there are GET /__wsmock/health, )"
            R"(POST /__wsmock/tick"})");
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
