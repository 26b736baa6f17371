#include "latency_histogram.h"

#include <gtest/gtest.h>

namespace wsmock::bench {
namespace {

TEST(BenchLatencyHistogramTest, EmptyHistogramReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0);
}

TEST(BenchLatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int64_t v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(0.50), 50);
  EXPECT_EQ(h.Percentile(0.90), 90);
  EXPECT_EQ(h.Percentile(0.99), 99);
  EXPECT_EQ(h.Percentile(1.0), 100);
}

TEST(BenchLatencyHistogramTest, LargeValuesStayWithinOnePercent) {
  LatencyHistogram h;
  // 1 us .. 10 ms in 1 us steps: the nearest-rank p50 is 5,000 us.
  for (int64_t us = 1; us <= 10'000; ++us) h.Record(us * 1000);
  const int64_t p50 = h.Percentile(0.5);
  EXPECT_GE(p50, 5'000'000);
  EXPECT_LE(p50, 5'000'000 + 5'000'000 / 128);
  EXPECT_EQ(h.Percentile(1.0), 10'000'000);  // capped at the true maximum
  EXPECT_EQ(h.max(), 10'000'000);
}

TEST(BenchLatencyHistogramTest, NegativeDurationsCountAsZero) {
  LatencyHistogram h;
  h.Record(-5);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.Percentile(0.5), 0);
}

}  // namespace
}  // namespace wsmock::bench
