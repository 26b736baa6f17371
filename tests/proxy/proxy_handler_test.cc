// ProxyHandler in one process: a WsServer relaying test clients to another
// WsServer as the upstream, recording into an in-memory session.
#include "proxy/proxy_handler.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "server/event_log.h"
#include "store/background_writer.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/raw_tcp.h"
#include "support/ws_client.h"

namespace wsmock::proxy {
namespace {

using server::testing::LocalServerOptions;
using server::testing::LoopServer;
using wsmock::testing::WsClient;

// A proxy on 127.0.0.1 that records into memory; stopped on destruction.
class RunningProxy {
 public:
  RunningProxy(const std::string& upstream_url, size_t max_send_queue = 8 << 20)
      : log_(&clock_, LogLevel::kOff) {
    auto db = store::Database::Open(":memory:", store::OpenMode::kReadWrite);
    EXPECT_TRUE(db.ok()) << db.status().message();
    store::SessionStore sessions(db->get());
    session_ = *sessions.CreateSession(0, "proxy", "{}", upstream_url);
    auto writer = store::BackgroundWriter::Start(std::move(*db));
    EXPECT_TRUE(writer.ok()) << writer.status().message();
    writer_ = std::move(writer).value();
    recorder_ = std::make_unique<recorder::Recorder>(writer_.get(), session_, &clock_);
    server::DialOptions dial;
    dial.url = upstream_url;
    handler_ = std::make_unique<ProxyHandler>(dial, &log_, recorder_.get());
    server::ServerOptions options = LocalServerOptions();
    options.max_send_queue = max_send_queue;
    auto server = server::WsServer::Create(options, handler_.get());
    EXPECT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    handler_->Attach(server_.get());
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~RunningProxy() { Stop(); }

  int port() const { return server_->port(); }
  std::unique_ptr<WsClient> Connect(const std::string& subprotocol = "") {
    wsmock::testing::ClientOptions options;
    options.subprotocol = subprotocol;
    std::string error;
    auto client = WsClient::Connect(port(), options, &error);
    EXPECT_NE(client, nullptr) << error;
    return client;
  }
  void Stop() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }
  // The rows stored so far (after the writer has committed them).
  std::vector<store::MessageRow> Messages() {
    std::vector<store::MessageRow> rows;
    writer_->Submit([&](store::SessionStore& store) {
      auto read = store.Messages(session_);
      if (read.ok()) rows = *read;
      return Status::Ok();
    });
    EXPECT_TRUE(writer_->Flush().ok());
    return rows;
  }
  std::vector<store::ConnectionRow> Connections() {
    std::vector<store::ConnectionRow> rows;
    writer_->Submit([&](store::SessionStore& store) {
      auto read = store.Connections(session_);
      if (read.ok()) rows = *read;
      return Status::Ok();
    });
    EXPECT_TRUE(writer_->Flush().ok());
    return rows;
  }

 private:
  SystemClock clock_;
  Logger log_;
  int64_t session_ = 0;
  std::unique_ptr<store::BackgroundWriter> writer_;
  std::unique_ptr<recorder::Recorder> recorder_;
  std::unique_ptr<ProxyHandler> handler_;
  std::unique_ptr<server::WsServer> server_;
  std::thread thread_;
};

std::string UrlOf(const LoopServer& upstream) {
  return "ws://127.0.0.1:" + std::to_string(upstream.port()) + "/ws";
}

TEST(ProxyHandlerTest, RelaysFramesBothWaysUnchangedAndRecordsThem) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream));
  auto client = proxy.Connect();
  ASSERT_NE(client, nullptr);
  const std::string request = R"({"type":"request","action":"ping","requestId":"r1"})";
  ASSERT_TRUE(client->SendText(request));
  ASSERT_TRUE(client->SendBinary(std::string("\x00\xff", 2)));
  EXPECT_EQ(client->Receive(), request);
  EXPECT_FALSE(client->last_was_binary());
  EXPECT_EQ(client->Receive(), std::string("\x00\xff", 2));
  EXPECT_TRUE(client->last_was_binary());

  std::vector<store::MessageRow> rows = proxy.Messages();
  ASSERT_EQ(rows.size(), 4u);
  std::vector<std::string> in, out;
  for (const store::MessageRow& row : rows)
    (row.direction == "in" ? in : out).push_back(row.payload);
  EXPECT_EQ(in, (std::vector<std::string>{request, std::string("\x00\xff", 2)}));
  EXPECT_EQ(out, in);
  EXPECT_EQ(rows[0].kind, "request");
  EXPECT_EQ(rows[0].request_id, "\"r1\"");
  EXPECT_EQ(rows[0].connection_id, 1);
}

TEST(ProxyHandlerTest, EachClientGetsItsOwnUpstreamConnection) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream));
  auto first = proxy.Connect();
  auto second = proxy.Connect();
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->SendText("one"));
  ASSERT_TRUE(second->SendText("two"));
  EXPECT_EQ(first->Receive(), "one");
  EXPECT_EQ(second->Receive(), "two");
  EXPECT_EQ(upstream.events().opens().size(), 2u);
  EXPECT_EQ(proxy.Connections().size(), 2u);
}

TEST(ProxyHandlerTest, ClientSubprotocolIsAskedOfTheUpstream) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream));
  auto client = proxy.Connect("wsmock");
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("x"));
  EXPECT_EQ(client->Receive(), "x");
  ASSERT_TRUE(upstream.events().WaitForOpens(1));
  EXPECT_EQ(upstream.events().opens()[0].peer.subprotocol, "wsmock");
}

TEST(ProxyHandlerTest, UnreachableUpstreamClosesTheClientWith1014) {
  int closed_port = 0;
  {
    LoopServer gone(LocalServerOptions());
    ASSERT_TRUE(gone.ok());
    closed_port = gone.port();
  }
  RunningProxy proxy("ws://127.0.0.1:" + std::to_string(closed_port) + "/ws");
  for (int round = 0; round < 2; ++round) {  // and the proxy still serves
    EXPECT_EQ(server::testing::ReadCloseCode(proxy.port(), "/ws"), 1014) << round;
  }
  std::vector<store::ConnectionRow> connections = proxy.Connections();
  ASSERT_EQ(connections.size(), 2u);
  EXPECT_EQ(connections[0].close_code, 1014);
}

TEST(ProxyHandlerTest, ClientCloseCodeReachesTheUpstream) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream));
  auto client = proxy.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("hi"));
  ASSERT_EQ(client->Receive(), "hi");
  client->Close();
  ASSERT_TRUE(upstream.events().WaitForCloses(1));
  EXPECT_EQ(upstream.events().closes()[0].code, 1000);
}

TEST(ProxyHandlerTest, UpstreamCloseCodeReachesTheClient) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream));
  auto client = proxy.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("hi"));
  ASSERT_EQ(client->Receive(), "hi");
  upstream.Close(upstream.events().opens()[0].id, 4001, "bye");
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 4001);
}

TEST(ProxyHandlerTest, StoppedUpstreamGoingAwayIsPassedOnAndTheProxyStaysUp) {
  auto upstream = std::make_unique<LoopServer>(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream->ok());
  RunningProxy proxy(UrlOf(*upstream));
  auto client = proxy.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("hi"));
  ASSERT_EQ(client->Receive(), "hi");
  upstream.reset();
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1001);
  // The next client is accepted, then told the upstream is gone.
  EXPECT_EQ(server::testing::ReadCloseCode(proxy.port(), "/ws"), 1014);
}

TEST(ProxyHandlerTest, SideWhoseMessagesPileUpPastItsSendQueueClosesBothWith1008) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream), /*max_send_queue=*/100);
  auto client = proxy.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(upstream.events().WaitForOpens(1));
  const server::ConnectionId link = upstream.events().opens()[0].id;
  // Three 60-byte messages in one write of the upstream's, so the proxy
  // takes them in within one pass and queues them before it writes any.
  ASSERT_TRUE(upstream.OnLoop([&] {
    for (int i = 0; i < 3; ++i) upstream.server().Send(link, std::string(60, 'x'));
  }));
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1008);
  auto next = proxy.Connect();  // the proxy is unharmed
  ASSERT_NE(next, nullptr);
  ASSERT_TRUE(next->SendText("small"));
  EXPECT_EQ(next->Receive(), "small");
}

TEST(ProxyHandlerTest, OneMessageLargerThanTheSendQueueIsRelayed) {
  LoopServer upstream(LocalServerOptions(), /*echo=*/true);
  ASSERT_TRUE(upstream.ok());
  RunningProxy proxy(UrlOf(upstream), /*max_send_queue=*/100);
  auto client = proxy.Connect();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(std::string(200, 'x')));
  EXPECT_EQ(client->Receive(), std::string(200, 'x'));
}

TEST(ProxyHandlerTest, RelayedCloseCodeKeepsSendableCodes) {
  EXPECT_EQ(RelayedCloseCode(1000, 1011), 1000);
  EXPECT_EQ(RelayedCloseCode(1001, 1011), 1001);
  EXPECT_EQ(RelayedCloseCode(4001, 1011), 4001);
  EXPECT_EQ(RelayedCloseCode(1006, 1011), 1011);
  EXPECT_EQ(RelayedCloseCode(1005, 1000), 1000);
  EXPECT_EQ(RelayedCloseCode(1015, 1011), 1011);
}

}  // namespace
}  // namespace wsmock::proxy
