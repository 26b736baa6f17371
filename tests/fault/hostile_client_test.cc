// Clients that do not speak WebSocket at all, against a real wsmock: each
// gets a defined answer (an HTTP 4xx or a closed connection), the server
// logs exactly one calm line about it, and a well-behaved client connected
// all the while keeps getting answers.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fault/live_server.h"
#include "fault/raw_socket.h"
#include "fault/server_log.h"
#include "fault/ws_wire.h"
#include "support/server_process.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using testing::RawSocket;
using testing::ServerProcess;
using testing::WsClient;

constexpr int kAnswerMs = 5000;

// What a connection that is not WebSocket got before the server ended it.
struct Outcome {
  RawSocket::ReadEnd end = RawSocket::ReadEnd::kTimeout;
  std::string bytes;
};

Outcome SendAndWatch(int port, const std::string& bytes) {
  Outcome outcome;
  std::unique_ptr<RawSocket> sock = RawSocket::Connect(port);
  if (sock == nullptr || !sock->SendAll(bytes)) return outcome;
  outcome.end = sock->ReadToEnd(&outcome.bytes, kAnswerMs);
  return outcome;
}

// Pseudo-random bytes without any structure HTTP could find in them.
std::string BinaryNoise(size_t size) {
  std::string noise(size, '\0');
  for (size_t i = 0; i < size; ++i) noise[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return noise;
}

class FaultHostileClientTest : public ::testing::Test {
 protected:
  void Start(bool tls) {
    std::vector<std::string> args = {"serve", "--tick", "0"};
    if (tls) args.push_back("--self-signed");
    std::string error;
    server_ = ServerProcess::Start(testing::OnLoopback(args, tls), &error);
    ASSERT_NE(server_, nullptr) << error;
    client_ = WsClient::Connect(server_->port(), "/ws", tls, &error);
    ASSERT_NE(client_, nullptr) << error;
  }

  // Runs `act` between two round trips of the well-behaved client (the
  // second one fails the test if that client is no longer served) and
  // returns the lines the server logged in between.
  std::vector<std::string> LoggedDuring(const std::function<void()>& act) {
    const std::string n = std::to_string(++marks_);
    EXPECT_TRUE(testing::MarkLog(server_.get(), client_.get(), "before-" + n));
    act();
    EXPECT_TRUE(testing::MarkLog(server_.get(), client_.get(), "after-" + n))
        << "the well-behaved client is no longer answered; log:\n"
        << server_->Output();
    return testing::LinesBetween(server_->Output(), "Response sent for request before-" + n + "\n",
                                 "(ID: after-" + n + ")");
  }

  // One INFO line about the bad client that says what happened (`says`);
  // with `says` empty, at most one.
  void ExpectCalmLog(const std::vector<std::string>& lines, const std::string& says) {
    if (says.empty()) {
      EXPECT_LE(lines.size(), 1u) << "more than one line for one bad client:\n" << Joined(lines);
    } else {
      ASSERT_EQ(lines.size(), 1u) << "not one line for one bad client:\n" << Joined(lines);
      EXPECT_NE(lines[0].find(says), std::string::npos) << lines[0];
    }
    for (const std::string& line : lines) EXPECT_FALSE(testing::IsAlarming(line)) << line;
  }

  static std::string Joined(const std::vector<std::string>& lines) {
    std::string all;
    for (const std::string& line : lines) all += line + "\n";
    return all;
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<WsClient> client_;
  int marks_ = 0;
};

TEST_F(FaultHostileClientTest, BinaryGarbageGetsAnHttpErrorAndAClose) {
  Start(false);
  Outcome outcome;
  ExpectCalmLog(LoggedDuring([&] { outcome = SendAndWatch(server_->port(), BinaryNoise(4096)); }),
                "Dropped a connection from 127.0.0.1 that made no WebSocket handshake");
  EXPECT_NE(outcome.end, RawSocket::ReadEnd::kTimeout) << "still open after 5 s";
  if (!outcome.bytes.empty()) {
    const int status = testing::HttpStatus(outcome.bytes);
    EXPECT_TRUE(status >= 400 && status < 500) << outcome.bytes.substr(0, 80);
  }
}

TEST_F(FaultHostileClientTest, TextThatIsNotHttpGetsAnHttpErrorAndAClose) {
  Start(false);
  Outcome outcome;
  ExpectCalmLog(LoggedDuring(
      [&] { outcome = SendAndWatch(server_->port(), "hello, this is not HTTP at all\r\n\r\n"); }),
                "Dropped a connection from 127.0.0.1");
  EXPECT_NE(outcome.end, RawSocket::ReadEnd::kTimeout) << "still open after 5 s";
  if (!outcome.bytes.empty()) {
    const int status = testing::HttpStatus(outcome.bytes);
    EXPECT_TRUE(status >= 400 && status < 500) << outcome.bytes.substr(0, 80);
  }
}

TEST_F(FaultHostileClientTest, PlainHttpGetOnTheWebSocketPathGetsA4xx) {
  Start(false);
  int status = 0;
  ExpectCalmLog(LoggedDuring([&] { status = testing::PlainGetStatus(server_->port(), "/ws"); }),
                "Answered a plain HTTP request from 127.0.0.1 for '/ws' with HTTP 400");
  EXPECT_TRUE(status >= 400 && status < 500) << "status " << status;
}

TEST_F(FaultHostileClientTest, TlsClientOnAPlainPortIsTurnedAwayAtOnce) {
  Start(false);
  std::unique_ptr<WsClient> tls_client;
  std::string error;
  ExpectCalmLog(LoggedDuring([&] {
    testing::ClientOptions options;
    options.tls = true;
    options.timeout_ms = kAnswerMs;
    tls_client = WsClient::Connect(server_->port(), options, &error);
  }), "Dropped a connection from 127.0.0.1");
  EXPECT_EQ(tls_client, nullptr);
  EXPECT_EQ(error.find("timed out"), std::string::npos) << "left hanging: " << error;
}

TEST_F(FaultHostileClientTest, PlainClientOnATlsPortIsClosed) {
  Start(true);
  Outcome outcome;
  ExpectCalmLog(LoggedDuring(
      [&] { outcome = SendAndWatch(server_->port(), testing::UpgradeRequest(server_->port())); }),
                // lws 4.1.6 fails such a socket before it tells us of it: no line.
                "");
  EXPECT_NE(outcome.end, RawSocket::ReadEnd::kTimeout) << "still open after 5 s";
  EXPECT_EQ(outcome.bytes.find("101"), std::string::npos) << outcome.bytes.substr(0, 80);
}

}  // namespace
}  // namespace wsmock
