#include "load_options.h"

#include <gtest/gtest.h>

#include <vector>

namespace wsmock::bench {
namespace {

Result<LoadOptions> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "wsmock_load");
  return ParseLoadOptions(static_cast<int>(args.size()), const_cast<char**>(args.data()));
}

TEST(BenchLoadOptionsTest, UrlGivesHostPortAndPath) {
  Result<LoadOptions> o = Parse({"--url", "ws://127.0.0.1:4321/feed", "--message-text", "x"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 4321);
  EXPECT_EQ(o->path, "/feed");
  EXPECT_EQ(o->mode, Mode::kRate);
}

TEST(BenchLoadOptionsTest, LatencyModeIsOneConnectionOneInFlight) {
  Result<LoadOptions> o = Parse({"--url", "ws://h:1/ws", "--mode", "latency", "--connections",
                                 "50", "--inflight", "8", "--message-text", "x"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->connections, 1);
  EXPECT_EQ(o->inflight, 1);
}

TEST(BenchLoadOptionsTest, ExactRequestCountHasNoWarmup) {
  Result<LoadOptions> o =
      Parse({"--url", "ws://h:1/ws", "--requests", "2000", "--warmup", "3", "--message-text", "x"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->requests, 2000u);
  EXPECT_EQ(o->warmup, 0);
}

TEST(BenchLoadOptionsTest, SendingModesNeedARequest) {
  Result<LoadOptions> o = Parse({"--url", "ws://h:1/ws"});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Parse({"--url", "ws://h:1/ws", "--mode", "idle"}).ok());
}

TEST(BenchLoadOptionsTest, CommandAfterDoubleDashIsKept) {
  Result<LoadOptions> o = Parse({"--url", "ws://h:1/ws", "--mode", "first-handshake", "--",
                                 "/bin/server", "--port", "1"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->command, (std::vector<std::string>{"/bin/server", "--port", "1"}));
}

TEST(BenchLoadOptionsTest, BadUrlsAreUsageErrors) {
  for (const char* url : {"http://h:1/ws", "ws://h/ws", "ws://h:0/ws", "ws://h:x/ws"}) {
    Result<LoadOptions> o = Parse({"--url", url, "--message-text", "x"});
    EXPECT_FALSE(o.ok()) << url;
  }
}

TEST(BenchLoadOptionsTest, HelpIsNotAnError) {
  Result<LoadOptions> o = Parse({"--help"});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), Status::Code::kNotFound);
  EXPECT_NE(o.status().message().find("--connections"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::bench
