// Slowloris: clients that send half an HTTP upgrade request and then
// nothing. Each must be dropped within 10 s (the handshake timeout), and a
// well-behaved client is served all the while.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fault/live_server.h"
#include "fault/raw_socket.h"
#include "support/server_process.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using Clock = std::chrono::steady_clock;
using testing::RawSocket;
using testing::ServerProcess;
using testing::WsClient;

constexpr int kSlowClients = 20;
constexpr auto kDropWithin = std::chrono::seconds(10);

TEST(FaultSlowlorisTest, HalfAHandshakeIsDroppedWithinTenSeconds) {
  std::string error;
  auto server = ServerProcess::Start(testing::OnLoopback({"serve", "--tick", "0"}), &error);
  ASSERT_NE(server, nullptr) << error;
  auto steady = WsClient::Connect(server->port(), "/ws", false, &error);
  ASSERT_NE(steady, nullptr) << error;

  // Timed from before connecting, so the server's clock starts later than
  // ours and a drop at exactly 10 s counts as too late.
  const auto start = Clock::now();
  const std::string half =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server->port()) + "\r\nUpgrade: webs";
  std::vector<std::unique_ptr<RawSocket>> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.push_back(RawSocket::Connect(server->port()));
    ASSERT_NE(slow.back(), nullptr);
    ASSERT_TRUE(slow.back()->SendAll(half));
  }
  EXPECT_TRUE(testing::MarkLog(server.get(), steady.get(), "while-slow"))
      << "the steady client is not served while slow handshakes are pending";

  const auto deadline = start + kDropWithin;
  int dropped = 0;
  auto last_drop = start;
  for (auto& sock : slow) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::string bytes;
    const RawSocket::ReadEnd end =
        sock->ReadToEnd(&bytes, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    if (end == RawSocket::ReadEnd::kClosed || end == RawSocket::ReadEnd::kReset) {
      ++dropped;
      last_drop = Clock::now();
    }
  }
  EXPECT_EQ(dropped, kSlowClients)
      << "half handshakes still open " << kDropWithin.count() << " s after they began";
  RecordProperty(
      "last_drop_ms",
      static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(last_drop - start).count()));
  EXPECT_TRUE(testing::MarkLog(server.get(), steady.get(), "after-slow"));
  EXPECT_NE(WsClient::Connect(server->port(), "/ws", false, &error), nullptr) << error;
}

}  // namespace
}  // namespace wsmock
