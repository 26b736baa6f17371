#include "util/clock.h"

#include <gtest/gtest.h>

namespace wsmock {
namespace {

TEST(ClockTest, ParsesAndFormatsTheSeedTime) {
  auto t = ParseIso8601("2024-01-20T10:30:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1705746600LL * kMicrosPerSecond);
  EXPECT_EQ(FormatIso8601(*t), "2024-01-20T10:30:00.000Z");
  EXPECT_EQ(FormatLogTime(*t), "2024-01-20 10:30:00");
  EXPECT_EQ(FormatDate(*t), "2024-01-20");
}

TEST(ClockTest, ParsesFractionsAndOffsetZero) {
  auto t = ParseIso8601("2024-02-29T23:59:59.250+00:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatIso8601(*t), "2024-02-29T23:59:59.250Z");
}

TEST(ClockTest, RejectsMalformedTimes) {
  for (const char* bad : {"", "2024-01-20", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2024-01-20T10:30:00", "2024-01-20T25:00:00Z", "2024-01-20T10:30:00+03:00"}) {
    auto t = ParseIso8601(bad);
    EXPECT_FALSE(t.ok()) << bad;
  }
}

TEST(ClockTest, DaysBeforeTheEpochFloor) {
  EXPECT_EQ(DaysSinceEpoch(-1), -1);
  EXPECT_EQ(FormatDay(-1), "1969-12-31");
  EXPECT_EQ(FormatIso8601(-1000), "1969-12-31T23:59:59.999Z");
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(100);
  EXPECT_EQ(clock.Now(), 100);
  clock.Advance(50);
  EXPECT_EQ(clock.Now(), 150);
}

// replay --speed: a tiny speed or a huge recorded offset means "never",
// where llround's overflow was undefined behaviour.
TEST(ClockTest, AtSpeedScalesAndSaysNeverPastACentury) {
  EXPECT_EQ(AtSpeed(3'000'000, 2.0), 1'500'000);
  EXPECT_EQ(AtSpeed(1, 3.0), 0);
  EXPECT_EQ(AtSpeed(0, 1e-300), 0);
  EXPECT_EQ(AtSpeed(1'000'000, 1e-300), std::nullopt);
  EXPECT_EQ(AtSpeed(INT64_MAX, 1.0), std::nullopt);
  EXPECT_EQ(AtSpeed(-5'000'000, 1e-12), std::nullopt);
}

}  // namespace
}  // namespace wsmock
