#include "util/log.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace wsmock {
namespace {

TEST(LogTest, WritesTheSeedFormatAfterFlush) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(*ParseIso8601("2024-01-20T10:30:00Z"));
  {
    Logger log(&clock, LogLevel::kInfo, f);
    log.Info("Generated 100 stations");
    log.Debug("hidden");
    EXPECT_EQ(testing::ReadFile(dir.File("log")), "");  // buffered until a flush
    log.Flush();
  }
  std::fclose(f);
  EXPECT_EQ(testing::ReadFile(dir.File("log")),
            "2024-01-20 10:30:00 - INFO - Generated 100 stations\n");
}

TEST(LogTest, WarningsAreWrittenAtOnce) {
  testing::TempDir dir;
  std::FILE* f = std::fopen(dir.File("log").c_str(), "w+");
  ASSERT_NE(f, nullptr);
  ManualClock clock(0);
  {
    Logger log(&clock, LogLevel::kWarn, f);
    log.Info("dropped");
    log.Warn("disk is slow");
    EXPECT_EQ(testing::ReadFile(dir.File("log")),
              "1970-01-01 00:00:00 - WARNING - disk is slow\n");
  }
  std::fclose(f);
}

TEST(LogTest, ParseLogLevelNamesTheBadValue) {
  EXPECT_TRUE(ParseLogLevel("warn").ok());
  auto bad = ParseLogLevel("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'loud'"), std::string::npos);
}

}  // namespace
}  // namespace wsmock
