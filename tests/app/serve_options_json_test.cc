#include "app/serve_options_json.h"

#include <gtest/gtest.h>

#include <string>

namespace wsmock::app {
namespace {

TEST(ServeOptionsJsonTest, WrittenOptionsReadBackTheSame) {
  ServeOptions written;
  written.seed = 18446744073709551615u;  // beyond a double's 53 bits
  written.stations = 250;
  written.tick_seconds = 0.5;
  written.clock_start = *ParseIso8601("2024-01-20T10:30:00Z");
  const std::string json = ServeOptionsJson(written);
  EXPECT_EQ(json, R"({"seed":18446744073709551615,"stations":250,"tick":0.5,)"
                  R"("clock":"2024-01-20T10:30:00.000Z","fixture":null,"from":null})");
  ServeOptions read;
  ASSERT_TRUE(ReadServeOptionsJson(json, &read).ok());
  EXPECT_EQ(read.seed, written.seed);
  EXPECT_EQ(read.stations, 250);
  EXPECT_EQ(read.tick_seconds, 0.5);
  EXPECT_EQ(read.clock_start, written.clock_start);
  EXPECT_EQ(read.fixture, "");
  EXPECT_EQ(read.from, "");
}

// The file's stations are served, whatever --stations said: a count the
// options kept would describe something that never ran.
TEST(ServeOptionsJsonTest, AFixtureOrFromLeavesTheStationCountOut) {
  ServeOptions fixture;
  fixture.stations = 250;
  fixture.fixture = "stations \"x\".json";
  const std::string json = ServeOptionsJson(fixture);
  EXPECT_EQ(json,
            R"({"seed":42,"tick":30,"clock":null,"fixture":"stations \"x\".json","from":null})");
  ServeOptions read;
  ASSERT_TRUE(ReadServeOptionsJson(json, &read).ok());
  EXPECT_EQ(read.fixture, fixture.fixture);
  ServeOptions from;
  from.from = "/tmp/s.db";
  EXPECT_EQ(ServeOptionsJson(from),
            R"({"seed":42,"tick":30,"clock":null,"fixture":null,"from":"/tmp/s.db"})");
}

TEST(ServeOptionsJsonTest, FromNamesTheSessionAndTickTaken) {
  ServeOptions from;
  from.from = "/tmp/s.db";
  from.from_session = 3;
  from.tick_index = 0;
  const std::string json = ServeOptionsJson(from);
  EXPECT_EQ(json, R"({"seed":42,"tick":30,"clock":null,"fixture":null,"from":"/tmp/s.db",)"
                  R"("fromSession":3,"tickIndex":0})");
  ServeOptions read;
  ASSERT_TRUE(ReadServeOptionsJson(json, &read).ok());
  EXPECT_EQ(read.from, "/tmp/s.db");
  EXPECT_EQ(read.from_session, std::optional<int64_t>(3));
  EXPECT_EQ(read.tick_index, std::optional<int64_t>(0));
  // Without --from there is nothing to name.
  ServeOptions generated;
  generated.tick_index = 5;
  EXPECT_EQ(ServeOptionsJson(generated).find("tickIndex"), std::string::npos);
  for (const char* bad : {R"({"fromSession":0})", R"({"fromSession":1.5})", R"({"tickIndex":-1})",
                          R"({"tickIndex":"0"})", R"({"tickIndex":1e300})"}) {
    Status s = ReadServeOptionsJson(bad, &read);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("must be an integer from"), std::string::npos) << s.message();
  }
}

TEST(ServeOptionsJsonTest, OptionsOfOtherSessionsLeaveTheDefaults) {
  ServeOptions read;
  read.seed = 7;
  ASSERT_TRUE(ReadServeOptionsJson(R"({"upstream":"ws://h/ws","insecure":false})", &read).ok());
  EXPECT_EQ(read.seed, 7u);
  EXPECT_EQ(read.stations, 100);
  EXPECT_FALSE(read.clock_start.has_value());
  ASSERT_TRUE(ReadServeOptionsJson(R"({"import":"har","creator":null})", &read).ok());
  EXPECT_EQ(read.seed, 7u);
}

TEST(ServeOptionsJsonTest, AWrongMemberIsNamed) {
  ServeOptions read;
  Status s = ReadServeOptionsJson(R"({"seed":-1})", &read);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'seed'"), std::string::npos) << s.message();
  s = ReadServeOptionsJson(R"({"stations":"many"})", &read);
  EXPECT_NE(s.message().find("'stations'"), std::string::npos) << s.message();
  s = ReadServeOptionsJson(R"({"clock":"yesterday"})", &read);
  EXPECT_NE(s.message().find("'clock'"), std::string::npos) << s.message();
  EXPECT_FALSE(ReadServeOptionsJson("[1]", &read).ok());
  EXPECT_FALSE(ReadServeOptionsJson("{", &read).ok());
}

}  // namespace
}  // namespace wsmock::app
