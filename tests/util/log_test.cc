#include "util/log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/temp_dir.h"

namespace wsmock {
namespace {

TEST(LogTest, WritesTheSeedFormatAfterFlush) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(*ParseIso8601("2024-01-20T10:30:00Z"));
  {
    Logger log(&clock, LogLevel::kInfo, f, /*flush_every=*/0);
    log.Info("Generated 100 stations");
    log.Debug("hidden");
    EXPECT_EQ(testing::ReadFile(dir.File("log")), "");  // buffered until a flush
    log.Flush();
  }
  std::fclose(f);
  EXPECT_EQ(testing::ReadFile(dir.File("log")),
            "2024-01-20 10:30:00 - INFO - Generated 100 stations\n");
}

TEST(LogTest, ControlCharactersAreEscapedSoNoLineCanBeForged) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(*ParseIso8601("2024-01-20T10:30:00Z"));
  {
    Logger log(&clock, LogLevel::kInfo, f, /*flush_every=*/0);
    log.Info({"Received message: ", "x\n2026-01-01 00:00:00 - ERROR - forged", " (ID: ",
              std::string_view("a\r\tb\x01\x7f\0c", 8), ")"});
    log.Flush();
  }
  std::fclose(f);
  EXPECT_EQ(testing::ReadFile(dir.File("log")),
            "2024-01-20 10:30:00 - INFO - Received message: x\\n2026-01-01 00:00:00 - ERROR - "
            "forged (ID: a\\r\\tb\\x01\x7f\\x00c)\n");  // DEL ends no line
}

TEST(LogTest, SeveralLinesInOneCallEachGetTheirPrefixAndEscapesOnlyWhereNeeded) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(*ParseIso8601("2024-01-20T10:30:00Z"));
  {
    Logger log(&clock, LogLevel::kInfo, f, /*flush_every=*/0);
    log.Lines(LogLevel::kInfo, {{"Received message: ", "getStationById", " (ID: ", "req_1", ")"},
                                {"", "Sending station station_042"},
                                {"Response sent for request ", "req_1"}});
    // A control byte in the last line: the lines before it are kept as
    // they are, not written twice.
    log.Lines(LogLevel::kInfo, {{"first"}, {}, {"bad", "\n", "id"}});
    log.Lines(LogLevel::kDebug, {{"hidden"}, {"hidden too"}});
    log.Flush();
  }
  std::fclose(f);
  EXPECT_EQ(testing::ReadFile(dir.File("log")),
            "2024-01-20 10:30:00 - INFO - Received message: getStationById (ID: req_1)\n"
            "2024-01-20 10:30:00 - INFO - Sending station station_042\n"
            "2024-01-20 10:30:00 - INFO - Response sent for request req_1\n"
            "2024-01-20 10:30:00 - INFO - first\n"
            "2024-01-20 10:30:00 - INFO - \n"
            "2024-01-20 10:30:00 - INFO - bad\\nid\n");
}

TEST(LogTest, WarningsAreWrittenAtOnce) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(0);
  {
    Logger log(&clock, LogLevel::kWarn, f, /*flush_every=*/0);
    log.Info("dropped");
    log.Warn("disk is slow");
    EXPECT_EQ(testing::ReadFile(dir.File("log")),
              "1970-01-01 00:00:00 - WARNING - disk is slow\n");
  }
  std::fclose(f);
}

TEST(LogTest, TheWriterThreadWritesBufferedLinesWithoutAFlush) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(0);
  {
    Logger log(&clock, LogLevel::kInfo, f, /*flush_every=*/10'000);
    log.Info({"Received message: ", "getStations", " (ID: ", "req_1", ")"});
    std::string seen;
    for (int i = 0; i < 500 && seen.empty(); ++i) {  // bounded: 5 s
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      seen = testing::ReadFile(dir.File("log"));
    }
    EXPECT_EQ(seen, "1970-01-01 00:00:00 - INFO - Received message: getStations (ID: req_1)\n");
  }
  std::fclose(f);
}

TEST(LogTest, StampsFollowTheClockAcrossSeconds) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(-1);  // just before the epoch: the stamp must floor, not truncate
  {
    Logger log(&clock, LogLevel::kInfo, f, /*flush_every=*/0);
    log.Info("a");
    clock.Advance(1);
    log.Info("b");
    clock.Advance(kMicrosPerSecond);
    log.Info("c");
  }
  std::fclose(f);
  EXPECT_EQ(testing::ReadFile(dir.File("log")),
            "1969-12-31 23:59:59 - INFO - a\n"
            "1970-01-01 00:00:00 - INFO - b\n"
            "1970-01-01 00:00:01 - INFO - c\n");
}

TEST(LogTest, ParseLogLevelNamesTheBadValue) {
  EXPECT_TRUE(ParseLogLevel("warn").ok());
  auto bad = ParseLogLevel("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'loud'"), std::string::npos);
}

}  // namespace
}  // namespace wsmock
