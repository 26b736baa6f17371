#include "load_result.h"

#include <gtest/gtest.h>

namespace wsmock::bench {
namespace {

TEST(BenchLoadResultTest, RateLineHasFixedKeysAndFormats) {
  LoadResult r;
  r.mode = "rate";
  r.connections = 50;
  r.inflight = 8;
  r.opened = 50;
  r.seconds = 2.0;
  r.responses = 500'001;
  r.p50_ns = 9'400;
  r.error_frames = 3;
  const std::string line = ToJsonLine(r);
  EXPECT_EQ(line.front(), '{');
  EXPECT_EQ(line.back(), '}');
  EXPECT_NE(line.find("\"mode\":\"rate\",\"connections\":50,\"inflight\":8"), std::string::npos);
  EXPECT_NE(line.find("\"rate\":250000.5"), std::string::npos);
  EXPECT_NE(line.find("\"p50_us\":9.4"), std::string::npos);
  EXPECT_NE(line.find("\"error_frames\":3"), std::string::npos);
  EXPECT_EQ(line.find("spread_us"), std::string::npos);  // fan-out keys only in fanout mode
}

TEST(BenchLoadResultTest, FanoutLineReportsTheMedianSpread) {
  LoadResult r;
  r.mode = "fanout";
  r.spreads_ns = {90'000'000, 50'000'000, 70'000'000};
  const std::string line = ToJsonLine(r);
  EXPECT_NE(line.find("\"spread_us\":70000.0"), std::string::npos);
  EXPECT_NE(line.find("\"spreads_us\":[90000.0,50000.0,70000.0]"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::bench
