#include "client_handshake.h"

#include <gtest/gtest.h>

namespace wsmock::bench {
namespace {

constexpr char kAccepted[] =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

TEST(BenchClientHandshakeTest, RequestAsksForAnUpgradeOfThePath) {
  const std::string request = UpgradeRequest("127.0.0.1", 8080, "/ws");
  EXPECT_EQ(request.rfind("GET /ws HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(request.find("\r\nHost: 127.0.0.1:8080\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nUpgrade: websocket\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"), std::string::npos);
  EXPECT_EQ(request.substr(request.size() - 4), "\r\n\r\n");
}

TEST(BenchClientHandshakeTest, AcceptedAnswerTellsWhereFramesBegin) {
  const std::string received = std::string(kAccepted) + "\x81\x02hi";
  const UpgradeAnswer answer = CheckUpgradeAnswer(received);
  EXPECT_EQ(answer.state, UpgradeAnswer::State::kAccepted);
  EXPECT_EQ(answer.http_status, 101);
  EXPECT_EQ(received.substr(answer.header_bytes), "\x81\x02hi");
}

TEST(BenchClientHandshakeTest, PartialAnswerIsIncomplete) {
  const std::string full = kAccepted;
  EXPECT_EQ(CheckUpgradeAnswer(full.substr(0, full.size() - 1)).state,
            UpgradeAnswer::State::kIncomplete);
}

TEST(BenchClientHandshakeTest, RefusalsAndWrongAcceptAreRefused) {
  const UpgradeAnswer busy = CheckUpgradeAnswer("HTTP/1.1 503 Service Unavailable\r\n\r\n");
  EXPECT_EQ(busy.state, UpgradeAnswer::State::kRefused);
  EXPECT_EQ(busy.http_status, 503);
  const UpgradeAnswer wrong = CheckUpgradeAnswer(
      "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n");
  EXPECT_EQ(wrong.state, UpgradeAnswer::State::kRefused);
}

}  // namespace
}  // namespace wsmock::bench
