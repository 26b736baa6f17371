// One connection that sends 10,000 requests back to back without reading,
// then reads: every request is answered, in the order it was sent.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "fault/live_server.h"
#include "fault/raw_ws_client.h"
#include "support/server_process.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using testing::RawWsClient;
using testing::ServerProcess;

constexpr int kRequests = 10'000;

std::string StationId(int i) {
  std::string digits = std::to_string(1 + i % 100);  // the 100 stations station_001..100
  return "station_" + std::string(3 - digits.size(), '0') + digits;
}

TEST(FaultRequestFloodTest, TenThousandPipelinedRequestsAreAllAnsweredInOrder) {
  std::string error;
  auto server = ServerProcess::Start(testing::OnLoopback({"serve", "--tick", "0"}), &error);
  ASSERT_NE(server, nullptr) << error;
  auto client = RawWsClient::Connect(server->port(), &error);
  ASSERT_NE(client, nullptr) << error;
  std::string flood;
  for (int i = 1; i <= kRequests; ++i) {
    flood += testing::ClientFrame(testing::StationByIdRequest(StationId(i), std::to_string(i)));
  }
  // The replies (about 5 MB) pile up unread meanwhile: in the kernel and in
  // the server's send queue, which holds up to 8 MiB.
  ASSERT_TRUE(client->SendRaw(flood, 20000));

  for (int i = 1; i <= kRequests; ++i) {
    std::optional<testing::ServerFrame> frame = client->NextFrame(5000);
    ASSERT_TRUE(frame.has_value()) << "reply " << i << " never came";
    ASSERT_EQ(frame->opcode, testing::kOpText) << "reply " << i;
    const std::string tail = "\"requestId\":" + std::to_string(i) + "}";
    ASSERT_TRUE(frame->payload.size() >= tail.size() &&
                frame->payload.compare(frame->payload.size() - tail.size(), tail.size(), tail) == 0)
        << "reply " << i << " is not the answer to request " << i << ": "
        << frame->payload.substr(0, 120);
    ASSERT_NE(frame->payload.find("\"id\":\"" + StationId(i) + "\""), std::string::npos)
        << frame->payload.substr(0, 120);
  }
  EXPECT_FALSE(client->NextFrame(100).has_value()) << "more replies than requests";
}

}  // namespace
}  // namespace wsmock
