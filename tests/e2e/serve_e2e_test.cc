// End-to-end tests of `wsmock serve`: the real binary on port 0, a real
// libwebsockets client, ws and wss.
#include <gtest/gtest.h>

#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "support/server_process.h"
#include "support/temp_dir.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/ws_client.h"
#include "tls/certificate.h"
#include "util/json.h"

namespace wsmock {
namespace {

using testing::RunWsmock;
using testing::ServerProcess;
using testing::TempDir;
using testing::WsClient;

const char kSeedMapRequest[] =
    R"({"type":"request","action":"getStations","data":{"fields":["id","name","city","status","coordinates","owner"]},"requestId":"req_123"})";
const char kSeedListRequest[] =
    R"({"type":"request","action":"getStations","data":{"fields":["id","name","city","owner","status","totalEnergy","currentPower"],"filters":{"city":"Москва","status":"active"},"pagination":{"page":1,"limit":20}},"requestId":"req_124"})";
const char kSeedByIdRequest[] =
    R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_125"})";
const char kStatsRequest[] =
    R"({"type":"request","action":"getStationStats","data":{"days":7},"requestId":7})";

std::vector<std::string> BaseArgs() {
  return {"serve",  "--port",  "0",    "--host",       "127.0.0.1", "--no-ssl",
          "--seed", "42",      "--clock", "2024-01-20T10:30:00Z"};
}

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> args,
                                           const std::string& cwd = "") {
  std::string error;
  auto server = ServerProcess::Start(args, &error, cwd);
  EXPECT_NE(server, nullptr) << error;
  return server;
}

std::unique_ptr<WsClient> ConnectTo(const ServerProcess& server, bool tls = false) {
  std::string error;
  auto client = WsClient::Connect(server.port(), "/ws", tls, &error);
  EXPECT_NE(client, nullptr) << error;
  return client;
}

// Sends `request` and returns the parsed reply (or fails the test).
json::JsonPtr Ask(WsClient* client, const std::string& request, std::string* raw = nullptr) {
  EXPECT_TRUE(client->SendText(request));
  std::optional<std::string> reply = client->Receive(5000);
  EXPECT_TRUE(reply.has_value()) << "no reply to " << request;
  if (!reply) return nullptr;
  if (raw != nullptr) *raw = *reply;
  auto parsed = json::Parse(*reply);
  EXPECT_TRUE(parsed.ok()) << *reply;
  return parsed.ok() ? std::move(*parsed) : nullptr;
}

const cJSON* Get(const cJSON* node, const char* key) {
  return node == nullptr ? nullptr : cJSON_GetObjectItemCaseSensitive(node, key);
}

std::string Str(const cJSON* node) {
  return cJSON_IsString(node) ? node->valuestring : "<" + std::string(json::TypeName(node)) + ">";
}

TEST(ServeE2eTest, AnswersTheSeedMapRequestAsTheSeedShows) {
  auto server = StartServer(BaseArgs());
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  json::JsonPtr reply = Ask(client.get(), kSeedMapRequest);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(Str(Get(reply.get(), "type")), "response");
  EXPECT_EQ(Str(Get(reply.get(), "action")), "getStations");
  EXPECT_EQ(Str(Get(reply.get(), "requestId")), "req_123");
  const cJSON* data = Get(reply.get(), "data");
  EXPECT_EQ(cJSON_GetNumberValue(Get(data, "total")), 100);
  const cJSON* stations = Get(data, "stations");
  ASSERT_EQ(cJSON_GetArraySize(stations), 100);
  const cJSON* first = cJSON_GetArrayItem(stations, 0);
  EXPECT_EQ(Str(Get(first, "id")), "station_001");
  EXPECT_EQ(cJSON_GetArraySize(first), 6) << json::Write(first);
  EXPECT_NE(Get(Get(first, "coordinates"), "lat"), nullptr);
  EXPECT_EQ(server->Stop(), 0);
}

TEST(ServeE2eTest, AnswersTheSeedListRequestWithFiltersAndPagination) {
  auto server = StartServer(BaseArgs());
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  json::JsonPtr reply = Ask(client.get(), kSeedListRequest);
  ASSERT_NE(reply, nullptr);
  const cJSON* data = Get(reply.get(), "data");
  EXPECT_EQ(cJSON_GetNumberValue(Get(data, "page")), 1);
  EXPECT_EQ(cJSON_GetNumberValue(Get(data, "limit")), 20);
  const cJSON* stations = Get(data, "stations");
  ASSERT_GT(cJSON_GetArraySize(stations), 0);
  EXPECT_LE(cJSON_GetArraySize(stations), 20);
  EXPECT_GE(cJSON_GetNumberValue(Get(data, "total")), cJSON_GetArraySize(stations));
  for (const cJSON* s = stations->child; s != nullptr; s = s->next) {
    EXPECT_EQ(Str(Get(s, "city")), "Москва");
    EXPECT_EQ(Str(Get(s, "status")), "active");
    EXPECT_EQ(cJSON_GetArraySize(s), 7);
  }
}

TEST(ServeE2eTest, AnswersTheSeedByIdRequest) {
  auto server = StartServer(BaseArgs());
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  json::JsonPtr reply = Ask(client.get(), kSeedByIdRequest);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(Str(Get(reply.get(), "requestId")), "req_125");
  const cJSON* station = Get(Get(reply.get(), "data"), "station");
  EXPECT_EQ(Str(Get(station, "id")), "station_001");
  EXPECT_EQ(cJSON_GetArraySize(station), 14);
}

TEST(ServeE2eTest, ErrorsKeepTheConnectionOpen) {
  auto server = StartServer(BaseArgs());
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  struct Case {
    std::string request;
    std::string code;
  } cases[] = {
      {"{not json", "INVALID_JSON"},
      {"[1,2]", "INVALID_REQUEST"},
      {R"({"type":"request","action":"getStations"})", "INVALID_REQUEST"},
      {R"({"type":"request","action":"getFoo","requestId":"a"})", "UNKNOWN_ACTION"},
      {R"({"type":"request","action":"getStations","data":{"pagination":{"limit":0}},"requestId":"b"})",
       "INVALID_PARAMS"},
      {R"({"type":"request","action":"getStationById","data":{"stationId":"station_999"},"requestId":"c"})",
       "STATION_NOT_FOUND"},
  };
  for (const Case& c : cases) {
    json::JsonPtr reply = Ask(client.get(), c.request);
    ASSERT_NE(reply, nullptr);
    EXPECT_EQ(Str(Get(reply.get(), "type")), "error") << c.request;
    EXPECT_EQ(Str(Get(Get(reply.get(), "error"), "code")), c.code) << c.request;
    EXPECT_FALSE(Str(Get(Get(reply.get(), "error"), "message")).empty());
  }
  ASSERT_TRUE(client->SendBinary("\x01\x02"));
  auto binary_reply = client->Receive(5000);
  ASSERT_TRUE(binary_reply.has_value());
  EXPECT_NE(binary_reply->find("INVALID_REQUEST"), std::string::npos);
  // Still answering after every error.
  json::JsonPtr reply = Ask(client.get(), kSeedByIdRequest);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(Str(Get(reply.get(), "type")), "response");
}

TEST(ServeE2eTest, PushesUpdatesOnEveryTick) {
  auto args = BaseArgs();
  args.insert(args.end(), {"--tick", "0.2"});
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  std::optional<std::string> update = client->Receive(5000);
  ASSERT_TRUE(update.has_value());
  auto parsed = json::Parse(*update);
  ASSERT_TRUE(parsed.ok()) << *update;
  EXPECT_EQ(Str(Get(parsed->get(), "type")), "update");
  EXPECT_EQ(Str(Get(parsed->get(), "action")), "stationsUpdated");
  const cJSON* stations = Get(Get(parsed->get(), "data"), "stations");
  ASSERT_GT(cJSON_GetArraySize(stations), 0);
  const cJSON* first = cJSON_GetArrayItem(stations, 0);
  EXPECT_EQ(cJSON_GetArraySize(first), 4) << json::Write(first);
  // The virtual clock advances one tick per tick.
  std::string timestamp = Str(Get(Get(parsed->get(), "data"), "timestamp"));
  EXPECT_EQ(timestamp.substr(0, 19), "2024-01-20T10:30:00");
  EXPECT_EQ(Str(Get(first, "lastUpdate")), timestamp);
}

// Everything a client sees in one session: the seed's requests, stats and
// the first two updates.
std::vector<std::string> Transcript() {
  auto args = BaseArgs();
  args.insert(args.end(), {"--tick", "0.1"});
  auto server = StartServer(args);
  if (server == nullptr) return {};
  auto client = ConnectTo(*server);
  if (client == nullptr) return {};
  std::vector<std::string> seen;
  for (const char* request : {kSeedMapRequest, kSeedListRequest, kSeedByIdRequest, kStatsRequest}) {
    client->SendText(request);
  }
  // Replies come in request order; updates may interleave.
  std::vector<std::string> updates;
  for (int i = 0; i < 40 && (seen.size() < 4 || updates.size() < 2); ++i) {
    std::optional<std::string> m = client->Receive(5000);
    if (!m) break;
    if (m->find("\"type\":\"update\"") != std::string::npos) {
      updates.push_back(*m);
    } else {
      seen.push_back(*m);
    }
  }
  if (updates.size() >= 2) seen.insert(seen.end(), updates.begin(), updates.begin() + 2);
  return seen;
}

TEST(ServeE2eTest, SameSeedAndClockGiveByteIdenticalOutput) {
  std::vector<std::string> first = Transcript();
  std::vector<std::string> second = Transcript();
  ASSERT_EQ(first.size(), 6u);
  EXPECT_EQ(first, second);
  EXPECT_NE(first[3].find("\"daily\""), std::string::npos);
  EXPECT_NE(first[3].find("\"date\":\"2024-01-20\""), std::string::npos);
  EXPECT_NE(first[3].find("\"requestId\":7}"), std::string::npos) << first[3];
}

TEST(ServeE2eTest, DifferentSeedsGiveDifferentStations) {
  auto a = StartServer(BaseArgs());
  auto args = BaseArgs();
  args[7] = "43";
  auto b = StartServer(args);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto ca = ConnectTo(*a);
  auto cb = ConnectTo(*b);
  ASSERT_NE(ca, nullptr);
  ASSERT_NE(cb, nullptr);
  std::string ra, rb;
  Ask(ca.get(), kSeedByIdRequest, &ra);
  Ask(cb.get(), kSeedByIdRequest, &rb);
  EXPECT_NE(ra, rb);
}

TEST(ServeE2eTest, ServesWssWithASelfSignedCertificate) {
  auto args = BaseArgs();
  args[5] = "--self-signed";
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->Output().find("Server started at wss://"), std::string::npos);
  EXPECT_NE(server->Output().find("SHA-256"), std::string::npos);
  auto client = ConnectTo(*server, /*tls=*/true);
  ASSERT_NE(client, nullptr);
  json::JsonPtr reply = Ask(client.get(), kSeedByIdRequest);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(Str(Get(reply.get(), "type")), "response");
}

TEST(ServeE2eTest, ServesWssWithCertificateFilesMadeAtTestTime) {
  TempDir dir;
  auto pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  testing::WriteFile(dir.File("server.pem"), pair->cert_pem);
  testing::WriteFile(dir.File("server.key"), pair->key_pem);
  auto args = BaseArgs();
  args.erase(args.begin() + 5);  // --no-ssl
  args.insert(args.end(), {"--tls-cert", dir.File("server.pem"), "--tls-key", dir.File("server.key")});
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->Output().find(pair->sha256_fingerprint), std::string::npos);
  auto client = ConnectTo(*server, /*tls=*/true);
  ASSERT_NE(client, nullptr);
  json::JsonPtr reply = Ask(client.get(), kSeedByIdRequest);
  ASSERT_NE(reply, nullptr);
}

TEST(ServeE2eTest, ServesWssWhenCertPemAndKeyAreInTheWorkingDirectory) {
  TempDir dir;
  auto pair = tls::GenerateSelfSigned("localhost");
  ASSERT_TRUE(pair.ok());
  testing::WriteFile(dir.File("cert.pem"), pair->cert_pem);
  testing::WriteFile(dir.File("cert.key"), pair->key_pem);
  auto args = BaseArgs();
  args.erase(args.begin() + 5);  // --no-ssl
  auto server = StartServer(args, dir.path());
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->Output().find("Server started at wss://"), std::string::npos);
  auto client = ConnectTo(*server, /*tls=*/true);
  ASSERT_NE(client, nullptr);
}

TEST(ServeE2eTest, ServesPlainWsAndSaysWhyWithoutCertificates) {
  TempDir dir;
  auto args = BaseArgs();
  args.erase(args.begin() + 5);  // --no-ssl
  auto server = StartServer(args, dir.path());
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->Output().find("Server started at ws://"), std::string::npos);
  EXPECT_NE(server->Output().find("No cert.pem and cert.key"), std::string::npos);
}

TEST(ServeE2eTest, SigintAndSigtermStopGracefully) {
  for (int signal_number : {SIGINT, SIGTERM}) {
    auto server = StartServer(BaseArgs());
    ASSERT_NE(server, nullptr);
    auto client = ConnectTo(*server);
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(server->Stop(signal_number), 0);
    EXPECT_NE(server->Output().find("Server stopped"), std::string::npos);
  }
}

// Without --db nothing is stored (no file, no in-memory database); with it
// the first snapshot is in the file, the same bytes the clients get.
TEST(ServeE2eTest, DbKeepsTheFirstSnapshot) {
  TempDir dir;
  auto args = BaseArgs();
  args.insert(args.end(), {"--db", dir.File("serve.db")});
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  std::string by_id;
  Ask(client.get(), kSeedByIdRequest, &by_id);
  EXPECT_EQ(server->Stop(), 0);

  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(dir.File("serve.db"), store::OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok()) << db.status().message();
  store::SessionStore sessions(db->get());
  Result<int64_t> session = sessions.LatestSessionId();
  ASSERT_TRUE(session.ok()) << session.status().message();
  Result<std::vector<store::StationRow>> rows = sessions.SnapshotAt(*session, 0);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 100u);
  EXPECT_EQ((*rows)[0].station_id, "station_001");
  EXPECT_NE(by_id.find((*rows)[0].station_json), std::string::npos) << by_id;
  // A clean stop ends the session, as it ends a recording.
  Result<store::SessionInfo> info = sessions.Session(*session);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->mode, "serve");
  ASSERT_TRUE(info->ended_at.has_value());
  EXPECT_GE(*info->ended_at, info->started_at);
}

TEST(ServeE2eTest, AClientAskingForAnAcceptedSubprotocolIsServedAndOthersAreRefusedWithAWarning) {
  auto args = BaseArgs();
  args.insert(args.end(), {"--subprotocol", "v1.json", "--subprotocol", "graphql-ws"});
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  for (const std::string asked : {"v1.json", "x-unknown, graphql-ws", "wsmock"}) {
    testing::ClientOptions options;
    options.subprotocol = asked;
    std::string error;
    auto client = WsClient::Connect(server->port(), options, &error);
    ASSERT_NE(client, nullptr) << asked << ": " << error;
    json::JsonPtr reply = Ask(client.get(), kSeedByIdRequest);
    ASSERT_NE(reply, nullptr) << asked;
    EXPECT_EQ(Str(Get(reply.get(), "type")), "response") << asked;
  }
  testing::ClientOptions other;
  other.subprotocol = "x-unknown";
  std::string error;
  EXPECT_EQ(WsClient::Connect(server->port(), other, &error), nullptr);
  auto plain = ConnectTo(*server);  // the server is unharmed, and no subprotocol is fine
  ASSERT_NE(plain, nullptr);
  EXPECT_NE(Ask(plain.get(), kSeedByIdRequest), nullptr);
  EXPECT_EQ(server->Stop(), 0);
  EXPECT_NE(server->Output().find("WARNING - Refused a client from 127.0.0.1 asking only for "
                                  "subprotocol(s) 'x-unknown'; accept one with --subprotocol NAME"),
            std::string::npos)
      << server->Output();
}

TEST(ServeE2eTest, LogsInTheSeedFormat) {
  auto server = StartServer(BaseArgs());
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  Ask(client.get(), kSeedMapRequest);
  EXPECT_EQ(server->Stop(), 0);
  std::string log = server->Output();
  EXPECT_NE(log.find(" - INFO - Generated 100 stations"), std::string::npos) << log;
  EXPECT_NE(log.find(" - INFO - Server started at ws://127.0.0.1:"), std::string::npos);
  EXPECT_NE(log.find(" - INFO - Client connected"), std::string::npos);
  EXPECT_NE(log.find(" - INFO - Received message: getStations (ID: req_123)"), std::string::npos);
  EXPECT_NE(log.find(" - INFO - Response sent for request req_123"), std::string::npos);
  EXPECT_EQ(log.find(" - DEBUG - "), std::string::npos) << log;
}

// At debug, every frame both ways is a line, so a user can see what the
// app sent and what it got; at info, none is.
TEST(ServeE2eTest, DebugLogsEveryFrameBothWays) {
  std::vector<std::string> args = BaseArgs();
  args.insert(args.end(), {"--log-level", "debug"});
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  const std::string request = R"({"type":"request","action":"getStationStats","requestId":"dbg"})";
  Ask(client.get(), request);
  EXPECT_EQ(server->Stop(), 0);
  const std::string log = server->Output();
  EXPECT_NE(log.find(" - DEBUG - Frame from client 1: " + request + " (" +
                     std::to_string(request.size()) + " bytes)"),
            std::string::npos)
      << log;
  EXPECT_NE(
      log.find(R"( - DEBUG - Frame to client 1: {"type":"response","action":"getStationStats")"),
      std::string::npos)
      << log;
}

// Scripts read a --port 0 server's port from its start line, so that line
// is written at every log level but off.
TEST(ServeE2eTest, TheStartLineIsWrittenAtLogLevelWarnToo) {
  std::string error;
  auto server = ServerProcess::Start(
      {"serve", "--port", "0", "--no-ssl", "--tick", "0", "--log-level", "warn"}, &error);
  ASSERT_NE(server, nullptr) << error;
  const std::string output = server->Output();
  EXPECT_NE(output.find(" - INFO - Server started at ws://"), std::string::npos) << output;
  EXPECT_EQ(output.find("Generated 100 stations"), std::string::npos) << output;
  EXPECT_NE(ConnectTo(*server), nullptr);
}

// The start line names a URL a client can use as it is: an IPv6 host in
// brackets. record --upstream takes it and relays a request through it.
TEST(ServeE2eTest, StartLineBracketsAnIpv6HostInAUrlThatWorks) {
  std::string error;
  auto server = ServerProcess::Start(
      {"serve", "--host", "::1", "--port", "0", "--no-ssl", "--tick", "0"}, &error);
  ASSERT_NE(server, nullptr) << error;
  const std::string output = server->Output();
  // Not "on [::1]:0": the port is named once it is known.
  EXPECT_EQ(output.find("Starting WebSocket server"), std::string::npos) << output;
  const std::string started = "Server started at ";
  const size_t at = output.find(started);
  ASSERT_NE(at, std::string::npos) << output;
  const std::string url =
      output.substr(at + started.size(), output.find('\n', at) - at - started.size());
  EXPECT_EQ(url, "ws://[::1]:" + std::to_string(server->port()) + "/ws");

  TempDir dir;
  auto proxy = ServerProcess::Start({"record", dir.File("p.db"), "--upstream", url, "--host",
                                     "127.0.0.1", "--port", "0", "--no-ssl"},
                                    &error);
  ASSERT_NE(proxy, nullptr) << error;
  auto client = WsClient::Connect(proxy->port(), "/ws", false, &error);
  ASSERT_NE(client, nullptr) << error;
  ASSERT_TRUE(client->SendText(kSeedByIdRequest));
  const std::optional<std::string> reply = client->Receive();
  ASSERT_TRUE(reply.has_value()) << proxy->Output();
  EXPECT_NE(reply->find("\"requestId\":\"req_125\""), std::string::npos) << *reply;
  EXPECT_NE(reply->find("station_001"), std::string::npos) << *reply;
}

TEST(ServeE2eTest, PortInUseIsARuntimeErrorOnOneLine) {
  auto first = StartServer(BaseArgs());
  ASSERT_NE(first, nullptr);
  auto args = BaseArgs();
  args[2] = std::to_string(first->port());
  auto result = RunWsmock(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("wsmock: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(std::to_string(first->port())), std::string::npos) << result.err;
}

TEST(ServeE2eTest, BadArgumentsExitWithUsageCode) {
  auto result = RunWsmock({"serve", "--stations", "0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--stations"), std::string::npos);
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
}

TEST(ServeE2eTest, InvalidFixtureNamesTheFileAndExitsOne) {
  TempDir dir;
  testing::WriteFile(dir.File("bad.json"), R"([{"id":"station_001"}])");
  auto args = BaseArgs();
  args.insert(args.end(), {"--fixture", dir.File("bad.json")});
  auto result = RunWsmock(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("bad.json"), std::string::npos) << result.err;
}

TEST(ServeE2eTest, MissingCertificateIsARuntimeError) {
  auto args = BaseArgs();
  args.erase(args.begin() + 5);
  args.insert(args.end(), {"--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/c.key"});
  auto result = RunWsmock(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("/nonexistent/c.pem"), std::string::npos) << result.err;
}

TEST(ServeE2eTest, ServesStationsFromAFixture) {
  auto args = BaseArgs();
  args.insert(args.end(), {"--fixture", std::string(WSMOCK_SOURCE_DIR) + "/fixtures/stations_small.json"});
  auto server = StartServer(args);
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(*server);
  ASSERT_NE(client, nullptr);
  json::JsonPtr reply = Ask(client.get(), kSeedMapRequest);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(cJSON_GetNumberValue(Get(Get(reply.get(), "data"), "total")), 3);
}

}  // namespace
}  // namespace wsmock
