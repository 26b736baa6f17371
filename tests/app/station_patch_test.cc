#include "app/station_patch.h"

#include <gtest/gtest.h>

#include <string>

#include "support/sample_station.h"

namespace wsmock::app {
namespace {

constexpr Micros kLater = 1'705'746'600'123'000;  // 2024-01-20T10:30:00.123Z

model::Station Charging() { return testing::SampleStation(1'705'746'000'000'000); }

std::string Error(std::string_view body) {
  Result<model::Station> patched = PatchStation(Charging(), body, kLater);
  return patched.ok() ? "patched" : patched.status().message();
}

TEST(StationPatchTest, StatusAndPowerChangeAndTheRestStays) {
  Result<model::Station> patched =
      PatchStation(Charging(), R"({"status":"active","currentPower":7.5})", kLater);
  ASSERT_TRUE(patched.ok()) << patched.status().message();
  model::Station expected = Charging();
  expected.current_power_d = 75;
  expected.last_update = kLater;
  EXPECT_EQ(*patched, expected);
}

TEST(StationPatchTest, AStatusOtherThanActiveStopsThePowerAsTheGeneratorDoes) {
  Result<model::Station> patched = PatchStation(Charging(), R"({"status":"error"})", kLater);
  ASSERT_TRUE(patched.ok()) << patched.status().message();
  EXPECT_EQ(patched->status, "error");
  EXPECT_EQ(patched->current_power_d, 0);
  // Asked for explicitly, the power is checked instead.
  EXPECT_EQ(Error(R"({"status":"error","currentPower":3})"),
            "field 'currentPower' must be 0 unless status is active");
}

TEST(StationPatchTest, TheFixtureRulesAndTheBodyShapeAreChecked) {
  EXPECT_EQ(Error(R"({"status":"broken"})"),
            "field 'status' must be one of active, inactive, maintenance, error, offline");
  EXPECT_EQ(Error(R"({"currentPower":30})"),
            "field 'currentPower' must not exceed maxPower (30.0 > 22.0)");
  EXPECT_EQ(Error(R"({"name":"x"})"),
            "unknown field 'name': a station's status and currentPower can be set");
  EXPECT_EQ(Error("{}"), "body must be a JSON object with status and/or currentPower");
  EXPECT_EQ(Error(R"(["status"])"), "body must be a JSON object with status and/or currentPower");
  EXPECT_EQ(Error(R"({"status":1})"), "field 'status' must be a string, not number");
  // cJSON would read "error\u0000junk" as "error".
  EXPECT_EQ(Error(R"({"status":"error\u0000junk"})"),
            "body must be a JSON object with status and/or currentPower: \\u0000 inside a "
            "string is not supported (byte offset 16)");
}

}  // namespace
}  // namespace wsmock::app
