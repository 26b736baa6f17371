// End-to-end tests of `wsmock record --upstream`: a real `wsmock serve` as
// the upstream, a real `wsmock record` as the proxy, test clients, and the
// session file read back and replayed.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/session_store.h"
#include "support/handshake_gate.h"
#include "support/live_wsmock.h"
#include "support/raw_tcp.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "tls/certificate.h"

namespace wsmock {
namespace {

using testing::AskAll;
using testing::ClientOptions;
using testing::ConnectOrFail;
using testing::HandshakeGate;
using testing::kSeedRequests;
using testing::OnLoopback;
using testing::RunWsmock;
using testing::ServerProcess;
using testing::StartOrFail;
using testing::TempDir;
using testing::WsClient;

std::string ById(const std::string& id, int request_id) {
  return R"({"type":"request","action":"getStationById","data":{"stationId":")" + id +
         R"("},"requestId":)" + std::to_string(request_id) + "}";
}

// `wsmock serve --seed 42` with a fixed clock and no ticks: the same bytes
// for the same request every time.
std::unique_ptr<ServerProcess> StartUpstream(std::vector<std::string> tls = {"--no-ssl"}) {
  std::vector<std::string> args = {
      "serve", "--seed", "42", "--tick", "0", "--clock", "2024-01-20T10:30:00Z"};
  args.insert(args.end(), tls.begin(), tls.end());
  return StartOrFail(OnLoopback(args, /*tls=*/true));  // the caller picks ws or wss
}

std::string WsUrl(const ServerProcess& upstream, bool tls = false) {
  return std::string(tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(upstream.port()) +
         "/ws";
}

std::unique_ptr<ServerProcess> StartProxy(const std::string& db, const std::string& upstream_url,
                                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"record", db, "--upstream", upstream_url, "--no-ssl"};
  args.insert(args.end(), extra.begin(), extra.end());
  return StartOrFail(OnLoopback(args, /*tls=*/true));  // the caller picks ws or wss
}

TEST(ProxyRecordTest, AnswersMatchTheUpstreamAndTheRecordingReplaysThem) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  auto proxy = StartProxy(db, WsUrl(*upstream));
  ASSERT_NE(proxy, nullptr);

  const std::vector<std::string> proxied = AskAll(*proxy, kSeedRequests);
  const std::vector<std::string> direct = AskAll(*upstream, kSeedRequests);
  ASSERT_EQ(proxied.size(), 3u);
  EXPECT_EQ(proxied, direct);
  EXPECT_NE(proxied[2].find("\"requestId\":\"req_125\""), std::string::npos) << proxied[2];
  EXPECT_EQ(proxy->Stop(), 0) << proxy->Output();

  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(recording.sessions.size(), 1u);
  EXPECT_EQ(recording.sessions[0].mode, "proxy");
  EXPECT_EQ(recording.sessions[0].upstream, WsUrl(*upstream));
  ASSERT_EQ(recording.messages.size(), 6u);
  EXPECT_EQ(recording.messages[0].direction, "in");
  EXPECT_EQ(recording.messages[0].payload, kSeedRequests[0]);
  EXPECT_EQ(recording.messages[1].direction, "out");
  EXPECT_EQ(recording.messages[1].kind, "response");
  EXPECT_EQ(recording.messages[1].payload, proxied[0]);

  // Replayed without the upstream and without snapshots (a proxy records none).
  upstream->Stop();
  auto replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  EXPECT_EQ(AskAll(*replay, kSeedRequests), proxied);
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();

  testing::RunResult sessions = RunWsmock({"sessions", db});
  EXPECT_EQ(sessions.exit_code, 0) << sessions.err;
  EXPECT_NE(sessions.out.find("proxy"), std::string::npos) << sessions.out;
}

TEST(ProxyRecordTest, RelayedTrafficReachesTheDiskWithinASecond) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  auto proxy = StartProxy(db, WsUrl(*upstream));
  ASSERT_NE(proxy, nullptr);
  auto client = ConnectOrFail(*proxy);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(kSeedRequests[2]));
  ASSERT_TRUE(client->Receive().has_value());
  // Read while the proxy runs and the client stays connected.
  const auto start = std::chrono::steady_clock::now();
  size_t stored = 0;
  for (int attempt = 0; attempt < 30 && stored < 2; ++attempt) {
    stored = testing::ReadRecording(db, testing::WhichSession::kLast).messages.size();
    if (stored < 2) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(stored, 2u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
}

TEST(ProxyRecordTest, RefusingUpstreamClosesClientsWith1014AndTheProxyStaysUp) {
  TempDir dir;
  int closed_port = 0;
  {
    auto gone = StartUpstream();
    ASSERT_NE(gone, nullptr);
    closed_port = gone->port();
  }
  const std::string url = "ws://127.0.0.1:" + std::to_string(closed_port) + "/ws";
  auto proxy = StartProxy(dir.File("s.db"), url);
  ASSERT_NE(proxy, nullptr);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(server::testing::ReadCloseCode(proxy->port(), "/ws"), 1014) << round;
  }
  EXPECT_TRUE(proxy->WaitForOutput("Cannot reach upstream " + url)) << proxy->Output();
  EXPECT_EQ(proxy->Stop(), 0) << proxy->Output();  // every line written
  // "Dropped a connection" lines are about sockets the server accepted: the
  // proxy's own socket to a refusing upstream is the error line alone.
  EXPECT_EQ(proxy->Output().find("Dropped a connection"), std::string::npos) << proxy->Output();
}

TEST(ProxyRecordTest, UpstreamKilledMidSessionClosesTheClientAndTheProxyGoesOn) {
  TempDir dir;
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  const std::string url = WsUrl(*upstream);
  auto proxy = StartProxy(dir.File("s.db"), url);
  ASSERT_NE(proxy, nullptr);
  auto client = ConnectOrFail(*proxy);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(kSeedRequests[2]));
  ASSERT_TRUE(client->Receive().has_value());

  upstream->Stop(SIGKILL);
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1011);
  EXPECT_TRUE(proxy->WaitForOutput("Upstream " + url + " dropped")) << proxy->Output();
  // A new client is accepted and told the upstream is gone.
  EXPECT_EQ(server::testing::ReadCloseCode(proxy->port(), "/ws"), 1014);
  EXPECT_EQ(proxy->Stop(), 0) << proxy->Output();
}

TEST(ProxyRecordTest, EightRequestsInFlightOnFiveConnectionsAreAllAnsweredAndRecorded) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  auto proxy = StartProxy(db, WsUrl(*upstream));
  ASSERT_NE(proxy, nullptr);
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int c = 0; c < 5; ++c) {
    clients.push_back(ConnectOrFail(*proxy));
    ASSERT_NE(clients.back(), nullptr);
  }
  for (int c = 0; c < 5; ++c) {
    for (int r = 0; r < 8; ++r) ASSERT_TRUE(clients[c]->SendText(ById("station_001", c * 100 + r)));
  }
  for (int c = 0; c < 5; ++c) {
    for (int r = 0; r < 8; ++r) {
      std::optional<std::string> answer = clients[c]->Receive(5000);
      ASSERT_TRUE(answer.has_value()) << c << "/" << r;
      EXPECT_NE(answer->find("\"requestId\":" + std::to_string(c * 100 + r) + "}"),
                std::string::npos)
          << *answer;
    }
    clients[c]->Close();
  }
  EXPECT_EQ(proxy->Stop(), 0) << proxy->Output();
  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  EXPECT_EQ(recording.connections.size(), 5u);
  ASSERT_EQ(recording.messages.size(), 80u);
  size_t in = 0;
  for (const store::MessageRow& row : recording.messages) in += row.direction == "in";
  EXPECT_EQ(in, 40u);
}

TEST(ProxyRecordTest, HeaderValuesAreStoredOnlyWhenAskedFor) {
  TempDir dir;
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  for (bool keep : {false, true}) {
    const std::string db = dir.File(keep ? "kept.db" : "names.db");
    std::vector<std::string> extra = {"--upstream-header", "X-Token: s3cret"};
    if (keep) extra.push_back("--record-headers");
    auto proxy = StartProxy(db, WsUrl(*upstream), extra);
    ASSERT_NE(proxy, nullptr);
    EXPECT_EQ(AskAll(*proxy, {kSeedRequests[2]}).size(), 1u);  // the header does no harm
    EXPECT_EQ(proxy->Stop(), 0);
    testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
    ASSERT_EQ(recording.sessions.size(), 1u);
    const std::string& options = recording.sessions[0].options_json;
    EXPECT_NE(options.find(WsUrl(*upstream)), std::string::npos) << options;
    EXPECT_NE(options.find("X-Token"), std::string::npos) << options;
    EXPECT_EQ(options.find("s3cret") != std::string::npos, keep) << options;
  }
}

// --- What identifies a client (query, Cookie, Authorization, Origin) is
// passed on to an upstream behind a gate that answers 401 without it.

// A client of `proxy` connected as `options` says, or null after a test
// failure.
std::unique_ptr<WsClient> ConnectAs(const ServerProcess& proxy, const ClientOptions& options) {
  std::string error;
  std::unique_ptr<WsClient> client = WsClient::Connect(proxy.port(), options, &error);
  EXPECT_NE(client, nullptr) << error;
  return client;
}

// Whether `client` gets an answer to one request through the proxy.
bool Answered(WsClient* client) {
  if (client == nullptr || !client->SendText(kSeedRequests[2])) return false;
  std::optional<std::string> reply = testing::NextReply(client);
  return reply.has_value() && reply->find("\"type\":\"response\"") != std::string::npos;
}

// None of `secrets` is in the proxy's log or anywhere in the session file.
void ExpectNeitherLoggedNorStored(const std::vector<std::string>& secrets, const std::string& log,
                                  const std::string& db) {
  std::string stored = testing::ReadFile(db);
  ASSERT_FALSE(stored.empty()) << db;
  if (std::filesystem::exists(db + "-wal")) stored += testing::ReadFile(db + "-wal");
  for (const std::string& secret : secrets) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " logged:\n" << log;
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret << " stored in " << db;
  }
}

TEST(ProxyRecordTest, TheClientsQueryFollowsTheUpstreamUrlsOwnToAnUpstreamThatRequiresIt) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  HandshakeGate gate(upstream->port(), {"GET /ws?v=2&token=t0k3n-abc HTTP/1.1"});
  ASSERT_TRUE(gate.ok());
  auto proxy = StartProxy(db, gate.url() + "?v=2", {"--log-level", "debug"});
  ASSERT_NE(proxy, nullptr);

  ClientOptions with_token;
  with_token.path = "/ws?token=t0k3n-abc";
  auto client = ConnectAs(*proxy, with_token);
  EXPECT_TRUE(Answered(client.get()));
  // Without the token the gate refuses the proxy, which closes the client.
  EXPECT_EQ(server::testing::ReadCloseCode(proxy->port(), "/ws"), 1014);
  EXPECT_EQ(gate.refused(), 1);
  client->Close();
  EXPECT_EQ(proxy->Stop(), 0) << proxy->Output();

  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(recording.connections.size(), 2u);
  EXPECT_EQ(recording.connections[0].path, "/ws");
  ExpectNeitherLoggedNorStored({"t0k3n"}, proxy->Output(), db);
}

TEST(ProxyRecordTest, CookieAuthorizationAndOriginReachTheUpstreamButNotTheLogOrTheFile) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  HandshakeGate gate(upstream->port(),
                     {"Cookie: sid=c00kie-v4lue; theme=dark", "Authorization: Bearer 4uth-v4lue",
                      "Origin: http://app.example"});
  ASSERT_TRUE(gate.ok());
  auto proxy = StartProxy(db, gate.url(), {"--log-level", "debug"});
  ASSERT_NE(proxy, nullptr);

  ClientOptions browser;
  browser.origin = "app.example";
  browser.headers = {"Cookie: sid=c00kie-v4lue; theme=dark", "Authorization: Bearer 4uth-v4lue"};
  auto client = ConnectAs(*proxy, browser);
  EXPECT_TRUE(Answered(client.get()));
  // A client without them is refused by the gate.
  EXPECT_EQ(server::testing::ReadCloseCode(proxy->port(), "/ws"), 1014);
  EXPECT_EQ(gate.refused(), 1);
  client->Close();
  EXPECT_EQ(proxy->Stop(), 0) << proxy->Output();
  ExpectNeitherLoggedNorStored({"c00kie-v4lue", "4uth-v4lue"}, proxy->Output(), db);
}

TEST(ProxyRecordTest, AnUpstreamHeaderOfTheSameNameWinsOverTheClients) {
  TempDir dir;
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  HandshakeGate gate(upstream->port(), {"Authorization: Bearer fr0m-flag",
                                        "Origin: https://flag.example", "Cookie: sid=c00kie"});
  ASSERT_TRUE(gate.ok());
  auto proxy = StartProxy(dir.File("s.db"), gate.url(),
                          {"--upstream-header", "authorization: Bearer fr0m-flag",
                           "--upstream-header", "ORIGIN: https://flag.example"});
  ASSERT_NE(proxy, nullptr);

  ClientOptions browser;
  browser.origin = "app.example";
  browser.headers = {"Authorization: Bearer fr0m-client", "Cookie: sid=c00kie"};
  auto client = ConnectAs(*proxy, browser);
  EXPECT_TRUE(Answered(client.get()));
  const std::vector<std::string> heads = gate.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].find("fr0m-client"), std::string::npos) << heads[0];
  EXPECT_EQ(heads[0].find("app.example"), std::string::npos) << heads[0];
}

// The client still gets the upstream's bytes; only the file holds the marker.
TEST(ProxyRecordTest, RedactedFieldsReachTheClientButNotTheFile) {
  TempDir dir;
  auto upstream = StartUpstream();
  ASSERT_NE(upstream, nullptr);
  const std::string db = dir.File("redacted.db");
  auto proxy = StartProxy(db, WsUrl(*upstream), {"--redact", "/data/station/name"});
  ASSERT_NE(proxy, nullptr);
  const std::vector<std::string> answers = AskAll(*proxy, {kSeedRequests[2]});
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_NE(answers[0].find("\"name\":\"ЭЗС"), std::string::npos) << answers[0];
  EXPECT_EQ(proxy->Stop(), 0);
  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  int redacted = 0;
  for (const store::MessageRow& message : recording.messages) {
    EXPECT_EQ(message.payload.find("ЭЗС"), std::string::npos) << message.payload;
    if (message.payload.find(R"("name":"[REDACTED]")") != std::string::npos) ++redacted;
  }
  EXPECT_EQ(redacted, 1);
}

TEST(ProxyRecordTest, BadUpstreamIsRefusedBeforeListening) {
  TempDir dir;
  testing::RunResult result =
      RunWsmock(OnLoopback({"record", dir.File("s.db"), "--upstream", "ws://:1/ws"}));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("names no host"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("Server started"), std::string::npos) << result.err;
}

// --- A wss upstream with a certificate made by the test.

class ProxyWssTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<tls::CertificatePair> pair = tls::GenerateSelfSigned("localhost");
    ASSERT_TRUE(pair.ok()) << pair.status().message();
    testing::WriteFile(dir_.File("cert.pem"), pair->cert_pem);
    testing::WriteFile(dir_.File("cert.key"), pair->key_pem);
    upstream_ =
        StartUpstream({"--tls-cert", dir_.File("cert.pem"), "--tls-key", dir_.File("cert.key")});
    ASSERT_NE(upstream_, nullptr);
  }

  std::unique_ptr<ServerProcess> Proxy(std::vector<std::string> extra) {
    return StartProxy(dir_.File("s.db"), WsUrl(*upstream_, /*tls=*/true), extra);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> upstream_;
};

TEST_F(ProxyWssTest, TrustsTheUpstreamCa) {
  auto proxy = Proxy({"--upstream-ca", dir_.File("cert.pem")});
  ASSERT_NE(proxy, nullptr);
  std::vector<std::string> answers = AskAll(*proxy, {kSeedRequests[2]});
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_NE(answers[0].find("\"type\":\"response\""), std::string::npos) << answers[0];
}

TEST_F(ProxyWssTest, InsecureAcceptsTheSelfSignedUpstream) {
  auto proxy = Proxy({"--upstream-insecure"});
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(AskAll(*proxy, {kSeedRequests[2]}).size(), 1u);
}

TEST_F(ProxyWssTest, NeitherCaNorInsecureClosesTheClientWith1014) {
  auto proxy = Proxy({});
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(server::testing::ReadCloseCode(proxy->port(), "/ws"), 1014);
  EXPECT_TRUE(proxy->WaitForOutput("Cannot reach upstream wss://")) << proxy->Output();
}

}  // namespace
}  // namespace wsmock
