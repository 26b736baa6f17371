// Server limits of issue #6: the handshake timeout (slowloris), the client
// idle timeout, and the open-file limit.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "server/event_log.h"
#include "server/fd_limit.h"
#include "support/raw_tcp.h"
#include "support/ws_client.h"

namespace wsmock::server {
namespace {

using SteadyClock = std::chrono::steady_clock;
using testing::LocalServerOptions;
using testing::LoopServer;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

TEST(WsServerLimitsTest, ClientThatNeverSendsItsHandshakeIsDropped) {
  ServerOptions options = LocalServerOptions();
  options.handshake_timeout = 1;
  LoopServer running(options);
  ASSERT_TRUE(running.ok());
  const auto start = SteadyClock::now();
  testing::Fd silent = testing::ConnectTcp(running.port());
  ASSERT_TRUE(silent.valid());
  EXPECT_TRUE(testing::WaitForPeerClose(silent, 4000));
  EXPECT_GE(SecondsSince(start), 0.9);
  EXPECT_TRUE(running.events().opens().empty());
}

// Slowloris: a request head trickling in a byte at a time never completes
// in time, however steadily it arrives.
TEST(WsServerLimitsTest, HandshakeTricklingInIsDroppedAtTheTimeout) {
  ServerOptions options = LocalServerOptions();
  options.handshake_timeout = 1;
  LoopServer running(options);
  ASSERT_TRUE(running.ok());
  testing::Fd slow = testing::ConnectTcp(running.port());
  ASSERT_TRUE(slow.valid());
  const std::string head =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "X-Padding: " +
      std::string(200, 'p');
  const auto start = SteadyClock::now();
  bool dropped = false;
  for (size_t i = 0; i < head.size() && SecondsSince(start) < 4 && !dropped; ++i) {
    if (!testing::SendAll(slow, head.substr(i, 1))) dropped = true;
    if (!dropped) dropped = testing::WaitForPeerClose(slow, 50);
  }
  if (!dropped) dropped = testing::WaitForPeerClose(slow, 2000);
  EXPECT_TRUE(dropped);
  EXPECT_LT(SecondsSince(start), 3.5);
  EXPECT_TRUE(running.events().opens().empty());
}

TEST(WsServerLimitsTest, HandshakeTimeoutSparesOpenConnections) {
  ServerOptions options = LocalServerOptions();
  options.handshake_timeout = 1;
  LoopServer running(options, /*echo=*/true);
  ASSERT_TRUE(running.ok());
  auto client = wsmock::testing::WsClient::Connect(running.port());
  ASSERT_NE(client, nullptr);
  // Quiet for longer than the handshake timeout.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(client->SendText("still here"));
  EXPECT_EQ(client->Receive(), "still here");
}

TEST(WsServerLimitsTest, IdleClientIsClosedWith1001) {
  ServerOptions options = LocalServerOptions();
  options.client_idle_timeout = 300'000;
  LoopServer running(options, /*echo=*/true);
  ASSERT_TRUE(running.ok());
  auto client = wsmock::testing::WsClient::Connect(running.port());
  ASSERT_NE(client, nullptr);
  const auto start = SteadyClock::now();
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(3000, &code));
  EXPECT_EQ(code, 1001);
  EXPECT_GE(SecondsSince(start), 0.25);
  ASSERT_TRUE(running.events().WaitForCloses(1));
  EXPECT_EQ(running.events().closes()[0].code, 1001);
}

TEST(WsServerLimitsTest, ClientThatKeepsSendingIsNotIdle) {
  ServerOptions options = LocalServerOptions();
  options.client_idle_timeout = 400'000;
  LoopServer running(options, /*echo=*/true);
  ASSERT_TRUE(running.ok());
  auto client = wsmock::testing::WsClient::Connect(running.port());
  ASSERT_NE(client, nullptr);
  // 1.2 s in all, three times the timeout, never 400 ms quiet.
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(client->SendText("tick")) << i;
    ASSERT_EQ(client->Receive(), "tick") << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  EXPECT_FALSE(client->closed());
  // Then quiet: it goes.
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(3000, &code));
  EXPECT_EQ(code, 1001);
}

TEST(WsServerLimitsTest, NoIdleTimeoutByDefault) {
  LoopServer running(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(running.ok());
  auto client = wsmock::testing::WsClient::Connect(running.port());
  ASSERT_NE(client, nullptr);
  EXPECT_FALSE(client->WaitClosed(1200));
  ASSERT_TRUE(client->SendText("ok"));
  EXPECT_EQ(client->Receive(), "ok");
}

TEST(WsServerLimitsTest, BadTimeoutsAreRejected) {
  testing::EventLog events;
  ServerOptions options = LocalServerOptions();
  options.handshake_timeout = 0;
  EXPECT_FALSE(WsServer::Create(options, &events).ok());
  options = LocalServerOptions();
  options.client_idle_timeout = -1;
  EXPECT_FALSE(WsServer::Create(options, &events).ok());
}

TEST(FdLimitTest, RaisingNeverLowersAndStaysWithinTheHardLimit) {
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  FdLimit limit = RaiseFdLimit(8);  // far below any real limit
  EXPECT_EQ(limit.soft, before.rlim_cur);
  limit = RaiseFdLimit(before.rlim_max);
  EXPECT_EQ(limit.soft, before.rlim_max);
  EXPECT_EQ(limit.hard, before.rlim_max);
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, before.rlim_max);
}

TEST(FdLimitTest, WarnsOnlyWhenTheLimitCannotHoldTheConnections) {
  EXPECT_EQ(FdLimitWarning({100'000, 100'000}, 10'000), "");
  EXPECT_EQ(FdLimitWarning({10'064, 10'064}, 10'000), "");
  const std::string warning = FdLimitWarning({1024, 4096}, 10'000);
  EXPECT_EQ(warning,
            "The open-file limit is 1024 (hard limit 4096), below the 10064 that "
            "--max-connections 10000 needs: connections beyond it will fail (raise it with "
            "ulimit -n)");
  EXPECT_EQ(WantedFds(10'000), 20'064u);
}

}  // namespace
}  // namespace wsmock::server
