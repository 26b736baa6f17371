#include "server/ws_server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "tls/certificate.h"

namespace wsmock::server {
namespace {

using testing::ClientOptions;
using testing::WsClient;

constexpr auto kWait = std::chrono::seconds(5);

std::string Pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

std::vector<std::pair<std::string, bool>> BurstMessages() {
  return {{"one", false},
          {std::string("\x01\x02", 2), true},
          {"", false},
          {Pattern(125), false},
          {Pattern(126), true},
          {Pattern(20 * 1024), false},
          {Pattern(65535), false},
          {Pattern(70 * 1024), true},
          {"last", false}};
}

// Echoes every message as text and obeys a few commands; records what it
// sees so the test thread can wait for it. Callbacks run on the loop thread.
class EchoHandler : public Handler {
 public:
  struct Opened {
    ConnectionId id;
    PeerInfo peer;
  };
  struct Closed {
    ConnectionId id;
    int code;
  };

  void Attach(WsServer* server) { server_ = server; }

  void OnOpen(ConnectionId id, const PeerInfo& peer) override {
    Record([&] { opened_.push_back({id, peer}); });
  }

  void OnMessage(ConnectionId id, std::string_view message, bool binary) override {
    Record([&] { binary_flags_.push_back(binary); });
    const std::string text(message);
    if (text.rfind("broadcast:", 0) == 0) return server_->Broadcast(text.substr(10));
    if (text == "close:4001") return server_->Close(id, 4001, "asked to");
    if (text == "flood") return Flood(id);
    if (text == "timers") return StartTimers(id);
    if (text == "burst") return Burst(id);
    if (text.rfind("room:", 0) == 0) return SendWithRoom(id, text.substr(5));
    server_->Send(id, text);
  }

  void OnClose(ConnectionId id, int code) override {
    Record([&] { closed_.push_back({id, code}); });
  }

  // Waits until `pred` (called under the lock) holds; false after 5 s.
  template <typename Pred>
  bool WaitFor(Pred pred) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return pred(); });
  }
  bool WaitForOpens(size_t n) {
    return WaitFor([&] { return opened_.size() >= n; });
  }
  bool WaitForCloses(size_t n) {
    return WaitFor([&] { return closed_.size() >= n; });
  }

  // Copies taken under the lock.
  std::vector<Opened> opened() { return Locked(opened_); }
  std::vector<Closed> closed() { return Locked(closed_); }
  std::vector<bool> binary_flags() { return Locked(binary_flags_); }
  std::vector<SendResult> flood_results() { return Locked(flood_results_); }

 private:
  template <typename Fn>
  void Record(Fn fn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn();
    }
    cv_.notify_all();
  }
  template <typename T>
  T Locked(const T& value) {
    std::lock_guard<std::mutex> lock(mu_);
    return value;
  }

  // Three 60-byte messages against a 100-byte queue limit, queued before
  // any can be written.
  void Flood(ConnectionId id) {
    std::vector<SendResult> results;
    for (int i = 0; i < 3; ++i) results.push_back(server_->Send(id, std::string(60, 'f')));
    Record([&] { flood_results_ = results; });
  }

  // The 10 ms timer is cancelled; the 100 ms one sends "late". If the first
  // fired anyway, "early" would arrive before "late".
  void StartTimers(ConnectionId id) {
    const WsServer::TimerId early =
        server_->After(10'000, [this, id] { server_->Send(id, "early"); });
    server_->After(100'000, [this, id] { server_->Send(id, "late"); });
    server_->Cancel(early);
  }

  // Frames of every header size, text and binary, small and large, queued
  // in one callback so that they are written together.
  void Burst(ConnectionId id) {
    for (const auto& [message, binary] : BurstMessages()) server_->Send(id, message, binary);
  }

  // The text behind 16 bytes of room (taken as it is) and behind 3 (copied).
  void SendWithRoom(ConnectionId id, const std::string& text) {
    server_->Send(id, std::string(WsServer::kSendHeadroom, 'x') + text, WsServer::kSendHeadroom);
    server_->Send(id, "abc" + text, 3);
  }

  WsServer* server_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Opened> opened_;
  std::vector<Closed> closed_;
  std::vector<bool> binary_flags_;
  std::vector<SendResult> flood_results_;
};

ServerOptions LocalOptions() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  return options;
}

// A server running on its own thread; stopped and joined on destruction.
class RunningServer {
 public:
  explicit RunningServer(const ServerOptions& options) {
    Result<std::unique_ptr<WsServer>> created = WsServer::Create(options, &handler_);
    EXPECT_TRUE(created.ok()) << created.status().message();
    if (!created.ok()) return;
    server_ = std::move(created).value();
    handler_.Attach(server_.get());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
  }
  ~RunningServer() { StopAndJoin(); }

  void StopAndJoin() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }

  bool ok() const { return server_ != nullptr; }
  WsServer& server() { return *server_; }
  EchoHandler& handler() { return handler_; }
  int port() const { return server_->port(); }
  std::thread::id loop_thread() const { return thread_.get_id(); }
  const Status& run_status() const { return run_status_; }

  std::unique_ptr<WsClient> Connect(const ClientOptions& options = ClientOptions()) {
    std::string error;
    std::unique_ptr<WsClient> client = WsClient::Connect(port(), options, &error);
    EXPECT_NE(client, nullptr) << error;
    return client;
  }

 private:
  EchoHandler handler_;
  std::unique_ptr<WsServer> server_;
  std::thread thread_;
  Status run_status_;
};

TEST(WsServerTest, EchoesATextMessage) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("hello"));
  EXPECT_EQ(client->Receive(), "hello");
  EXPECT_FALSE(client->last_was_binary());
}

TEST(WsServerTest, ReportsPortUrlAndPeer) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  EXPECT_GT(running.port(), 0);
  EXPECT_FALSE(running.server().tls());
  EXPECT_EQ(running.server().url(), "ws://127.0.0.1:" + std::to_string(running.port()) + "/ws");
  auto first = running.Connect();
  auto second = running.Connect();
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(running.handler().WaitForOpens(2));
  std::vector<EchoHandler::Opened> opened = running.handler().opened();
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0].id, 1u);
  EXPECT_EQ(opened[1].id, 2u);
  EXPECT_EQ(opened[0].peer.address, "127.0.0.1");
  EXPECT_EQ(opened[0].peer.path, "/ws");
}

TEST(WsServerTest, FramesQueuedTogetherArriveInOrderWithTheirTypes) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  for (int round = 0; round < 3; ++round) ASSERT_TRUE(client->SendText("burst"));
  for (int round = 0; round < 3; ++round) {
    for (const auto& [message, binary] : BurstMessages()) {
      EXPECT_EQ(client->Receive(), message);
      EXPECT_EQ(client->last_was_binary(), binary);
    }
  }
}

TEST(WsServerTest, SendLeavesTheHeadroomOut) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  const std::string big = Pattern(40 * 1024);
  ASSERT_TRUE(client->SendText("room:" + big));
  EXPECT_EQ(client->Receive(), big);
  EXPECT_FALSE(client->last_was_binary());
  EXPECT_EQ(client->Receive(), big);
}

TEST(WsServerTest, FortyKilobyteMessageTravelsBothWays) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  const std::string big = Pattern(40 * 1024);
  ASSERT_TRUE(client->SendText(big));
  EXPECT_EQ(client->Receive(), big);
}

TEST(WsServerTest, MessageLargerThanTheReceiveBufferArrivesWhole) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  const std::string big = Pattern(300 * 1024);
  ASSERT_TRUE(client->SendText(big));
  EXPECT_EQ(client->Receive(), big);
}

TEST(WsServerTest, FragmentedMessageIsJoinedBeforeDelivery) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendFragments({"hel", "lo ", "world"}));
  EXPECT_EQ(client->Receive(), "hello world");
  ASSERT_TRUE(client->SendFragments({"\x01\x02", "\x03"}, /*binary=*/true));
  EXPECT_EQ(client->Receive(), "\x01\x02\x03");
  EXPECT_EQ(running.handler().binary_flags(), (std::vector<bool>{false, true}));
}

TEST(WsServerTest, BinaryMessageIsDeliveredAsBinary) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendBinary(std::string("\x00\xff", 2)));
  EXPECT_EQ(client->Receive(), std::string("\x00\xff", 2));
  EXPECT_EQ(running.handler().binary_flags(), std::vector<bool>{true});
}

TEST(WsServerTest, ClientAskingForTheWsmockSubprotocolIsAccepted) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  ClientOptions options;
  options.subprotocol = "wsmock";
  auto client = running.Connect(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("ping"));
  EXPECT_EQ(client->Receive(), "ping");
}

// A handshake that names only subprotocols we do not speak is refused (HTTP
// 400), not answered without one: a browser would fail it anyway.
TEST(WsServerTest, ClientNamingOnlyUnknownSubprotocolsIsRefused) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  ClientOptions options;
  options.subprotocol = "some-other-protocol";
  std::string error;
  EXPECT_EQ(WsClient::Connect(running.port(), options, &error), nullptr);
  auto plain = running.Connect();  // the server is unharmed
  ASSERT_NE(plain, nullptr);
  ASSERT_TRUE(plain->SendText("ping"));
  EXPECT_EQ(plain->Receive(), "ping");
}

TEST(WsServerTest, AnAcceptedSubprotocolIsChosenFromTheClientsList) {
  ServerOptions server_options = LocalOptions();
  server_options.subprotocols = {"v1.json"};
  RunningServer running(server_options);
  ASSERT_TRUE(running.ok());
  ClientOptions options;
  options.subprotocol = "v2.json, v1.json";
  auto client = running.Connect(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("ping"));
  EXPECT_EQ(client->Receive(), "ping");
  ASSERT_TRUE(running.handler().WaitForOpens(1));
  EXPECT_EQ(running.handler().opened()[0].peer.subprotocol, "v2.json, v1.json");
}

TEST(WsServerTest, MoreSubprotocolsThanTheLimitAreRefusedAtStart) {
  ServerOptions options = LocalOptions();
  options.subprotocols.assign(kMaxSubprotocols + 1, "p");
  EchoHandler handler;
  EXPECT_FALSE(WsServer::Create(options, &handler).ok());
}

TEST(WsServerTest, BroadcastReachesEveryClient) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(running.Connect());
    ASSERT_NE(clients.back(), nullptr);
  }
  ASSERT_TRUE(clients[1]->SendText("broadcast:news"));
  for (auto& client : clients) EXPECT_EQ(client->Receive(), "news");
}

TEST(WsServerTest, CancelledTimerNeverFiresAndALaterOneDoes) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("timers"));
  EXPECT_EQ(client->Receive(), "late");
  ASSERT_TRUE(client->SendText("sync"));
  EXPECT_EQ(client->Receive(), "sync");
}

TEST(WsServerTest, PostedFunctionRunsOnTheLoopThread) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(running.handler().WaitForOpens(1));
  std::thread::id ran_on;
  std::thread poster([&] {
    running.server().Post([&] {
      ran_on = std::this_thread::get_id();
      running.server().Send(1, "posted");
    });
  });
  poster.join();
  EXPECT_EQ(client->Receive(), "posted");
  EXPECT_EQ(ran_on, running.loop_thread());
}

TEST(WsServerTest, WrongPathIsRefusedWith404) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(testing::UpgradeStatus(running.port(), "/other"), 404);
  ClientOptions options;
  options.path = "/other";
  std::string error;
  EXPECT_EQ(WsClient::Connect(running.port(), options, &error), nullptr);
  EXPECT_NE(error.find("HTTP 404"), std::string::npos) << error;
  EXPECT_EQ(testing::UpgradeStatus(running.port(), "/ws"), 101);
  EXPECT_TRUE(running.handler().WaitForCloses(1));  // the raw socket went away
  EXPECT_EQ(running.handler().opened().size(), 1u);
}

TEST(WsServerTest, PlainHttpGetIsAnsweredNotUpgraded) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(testing::PlainGetStatus(running.port(), "/ws"), 400);
  EXPECT_EQ(testing::PlainGetStatus(running.port(), "/index.html"), 404);
  auto client = running.Connect();  // still serving
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(running.handler().WaitForOpens(1));
}

TEST(WsServerTest, OversizedMessageClosesWith1009) {
  ServerOptions options = LocalOptions();
  options.max_message = 1000;
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  const std::string limit(1000, 'x');
  ASSERT_TRUE(client->SendText(limit));
  EXPECT_EQ(client->Receive(), limit);
  ASSERT_TRUE(client->SendFragments({std::string(600, 'y'), std::string(401, 'y')}));
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1009);
  ASSERT_TRUE(running.handler().WaitForCloses(1));
  EXPECT_EQ(running.handler().closed()[0].code, 1009);
}

TEST(WsServerTest, InvalidUtf8TextClosesWith1007) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("\xff\xfe"));
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1007);
  // lws sent that close by itself; the handler hears the code that went out.
  ASSERT_TRUE(running.handler().WaitForCloses(1));
  EXPECT_EQ(running.handler().closed()[0].code, 1007);
}

TEST(WsServerTest, ConnectionsBeyondTheLimitAreRefusedWith503) {
  ServerOptions options = LocalOptions();
  options.max_connections = 2;
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  auto first = running.Connect();
  auto second = running.Connect();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(testing::UpgradeStatus(running.port(), "/ws"), 503);
  std::string error;
  EXPECT_EQ(WsClient::Connect(running.port(), "/ws", false, &error), nullptr);
  EXPECT_NE(error.find("HTTP 503"), std::string::npos) << error;
  ASSERT_TRUE(first->SendText("still here"));
  EXPECT_EQ(first->Receive(), "still here");
  ASSERT_TRUE(second->SendText("me too"));
  EXPECT_EQ(second->Receive(), "me too");
  // A freed place can be taken again.
  first->Close();
  ASSERT_TRUE(running.handler().WaitForCloses(1));
  EXPECT_NE(running.Connect(), nullptr);
}

TEST(WsServerTest, SendQueueOverflowClosesWith1008) {
  ServerOptions options = LocalOptions();
  options.max_send_queue = 100;
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("flood"));
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1008);
  EXPECT_EQ(running.handler().flood_results(),
            (std::vector<SendResult>{SendResult::kQueued, SendResult::kOverLimit,
                                     SendResult::kNoConnection}));
  ASSERT_TRUE(running.handler().WaitForCloses(1));
  EXPECT_EQ(running.handler().closed()[0].code, 1008);
}

TEST(WsServerTest, OneMessageLargerThanTheSendQueueGoesOutOfAnEmptyQueue) {
  ServerOptions options = LocalOptions();
  options.max_send_queue = 100;
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  const std::string big(1000, 'b');
  ASSERT_TRUE(client->SendText(big));
  EXPECT_EQ(client->Receive(), big);
  ASSERT_TRUE(client->SendText("still open"));
  EXPECT_EQ(client->Receive(), "still open");
}

TEST(WsServerTest, ServerCloseSendsTheCodeAndClientCloseIsReported) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto asked = running.Connect();
  auto leaving = running.Connect();
  ASSERT_NE(leaving, nullptr);
  ASSERT_TRUE(asked->SendText("close:4001"));
  int code = 0;
  ASSERT_TRUE(asked->WaitClosed(5000, &code));
  EXPECT_EQ(code, 4001);
  leaving->Close();
  ASSERT_TRUE(running.handler().WaitForCloses(2));
  std::vector<EchoHandler::Closed> closed = running.handler().closed();
  std::sort(closed.begin(), closed.end(), [](auto& a, auto& b) { return a.id < b.id; });
  EXPECT_EQ(closed[0].code, 4001);
  EXPECT_EQ(closed[1].code, 1000);
  EXPECT_EQ(running.server().Send(closed[0].id, "gone"), SendResult::kNoConnection);
}

TEST(WsServerTest, StopFromAnotherThreadEndsRunAndClosesClients) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  auto client = running.Connect();
  ASSERT_NE(client, nullptr);
  std::thread stopper([&] { running.server().Stop(); });
  stopper.join();
  running.StopAndJoin();
  EXPECT_TRUE(running.run_status().ok()) << running.run_status().message();
  std::vector<EchoHandler::Closed> closed = running.handler().closed();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].code, 1001);
  EXPECT_EQ(running.server().connection_count(), 0u);
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1001);
}

TEST(WsServerTest, StopBeforeRunMakesRunReturnAtOnce) {
  EchoHandler handler;
  auto server = WsServer::Create(LocalOptions(), &handler);
  ASSERT_TRUE(server.ok()) << server.status().message();
  (*server)->Stop();
  EXPECT_TRUE((*server)->Run().ok());
}

TEST(WsServerTest, PortInUseGivesAClearError) {
  RunningServer running(LocalOptions());
  ASSERT_TRUE(running.ok());
  EchoHandler handler;
  ServerOptions options = LocalOptions();
  options.port = running.port();
  auto second = WsServer::Create(options, &handler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), "port " + std::to_string(running.port()) + " is in use");
}

TEST(WsServerTest, BadOptionsAreRejected) {
  EchoHandler handler;
  ServerOptions options = LocalOptions();
  options.path = "ws";
  EXPECT_FALSE(WsServer::Create(options, &handler).ok());
  options = LocalOptions();
  options.port = 70000;
  EXPECT_FALSE(WsServer::Create(options, &handler).ok());
  options = LocalOptions();
  options.host = "not-an-address";
  auto server = WsServer::Create(options, &handler);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().message(), "cannot listen on 'not-an-address': not an IP address");
}

TEST(WsServerTest, MissingCertificateFileIsNamedInTheError) {
  EchoHandler handler;
  testing::TempDir dir;
  ServerOptions options = LocalOptions();
  options.tls.cert_path = dir.File("missing.pem");
  options.tls.key_path = dir.File("missing.key");
  auto server = WsServer::Create(options, &handler);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().message(),
            "cannot read certificate '" + options.tls.cert_path + "': No such file or directory");
}

TEST(WsServerTest, WssWithAnInMemorySelfSignedCertificateEchoes) {
  Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  ServerOptions options = LocalOptions();
  options.tls.cert_pem = pair->cert_pem;
  options.tls.key_pem = pair->key_pem;
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  EXPECT_TRUE(running.server().tls());
  EXPECT_EQ(running.server().url().rfind("wss://", 0), 0u);
  ClientOptions client_options;
  client_options.tls = true;
  auto client = running.Connect(client_options);
  ASSERT_NE(client, nullptr);
  const std::string big = Pattern(40 * 1024);
  ASSERT_TRUE(client->SendText(big));
  EXPECT_EQ(client->Receive(), big);
}

TEST(WsServerTest, WssWithCertificateFilesEchoes) {
  Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  testing::TempDir dir;
  testing::WriteFile(dir.File("cert.pem"), pair->cert_pem);
  testing::WriteFile(dir.File("cert.key"), pair->key_pem);
  ServerOptions options = LocalOptions();
  options.tls.cert_path = dir.File("cert.pem");
  options.tls.key_path = dir.File("cert.key");
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  ClientOptions client_options;
  client_options.tls = true;
  auto client = running.Connect(client_options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("secure"));
  EXPECT_EQ(client->Receive(), "secure");
}

TEST(WsClientTest, PlainClientCannotTalkToAWssServer) {
  Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok());
  ServerOptions options = LocalOptions();
  options.tls.cert_pem = pair->cert_pem;
  options.tls.key_pem = pair->key_pem;
  RunningServer running(options);
  ASSERT_TRUE(running.ok());
  ClientOptions client_options;
  client_options.timeout_ms = 2000;
  std::string error;
  EXPECT_EQ(WsClient::Connect(running.port(), client_options, &error), nullptr);
  EXPECT_FALSE(error.empty());
}

TEST(WsClientTest, ConnectToAClosedPortFailsWithAReason) {
  int port = 0;
  {
    RunningServer running(LocalOptions());
    ASSERT_TRUE(running.ok());
    port = running.port();
  }
  std::string error;
  EXPECT_EQ(WsClient::Connect(port, "/ws", false, &error), nullptr);
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace wsmock::server
