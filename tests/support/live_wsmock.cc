#include "support/live_wsmock.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/database.h"
#include "util/json_scan.h"

namespace wsmock::testing {

const std::vector<std::string> kSeedRequests = {
    R"({"type":"request","action":"getStations","data":{"fields":["id","name","city","status","coordinates","owner"]},"requestId":"req_123"})",
    R"({"type":"request","action":"getStations","data":{"fields":["id","name","city","owner","status","totalEnergy","currentPower"],"filters":{"city":"Москва","status":"active"},"pagination":{"page":1,"limit":20}},"requestId":"req_124"})",
    R"({"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_125"})",
};

std::vector<std::string> OnLoopback(std::vector<std::string> args, bool tls) {
  args.insert(args.end(), {"--host", "127.0.0.1", "--port", "0"});
  if (!tls) args.push_back("--no-ssl");
  return args;
}

std::unique_ptr<ServerProcess> StartOrFail(const std::vector<std::string>& args) {
  std::string error;
  auto process = ServerProcess::Start(args, &error);
  EXPECT_NE(process, nullptr) << error;
  return process;
}

std::unique_ptr<WsClient> ConnectOrFail(const ServerProcess& server) {
  std::string error;
  auto client = WsClient::Connect(server.port(), "/ws", false, &error);
  EXPECT_NE(client, nullptr) << error;
  return client;
}

std::optional<std::string> NextReply(WsClient* client) {
  for (int i = 0; i < 50; ++i) {
    std::optional<std::string> message = client->Receive(5000);
    if (!message || message->find(R"("type":"update")") == std::string::npos) return message;
  }
  return std::nullopt;
}

std::vector<std::string> AskAll(const ServerProcess& server,
                                const std::vector<std::string>& requests) {
  std::unique_ptr<WsClient> client = ConnectOrFail(server);
  if (!client) return {};
  std::vector<std::string> replies;
  for (const std::string& request : requests) {
    EXPECT_TRUE(client->SendText(request));
    std::optional<std::string> reply = NextReply(client.get());
    if (!reply) break;
    replies.push_back(*reply);
  }
  client->Close();
  return replies;
}

std::string WithoutRequestId(const std::string& reply) {
  json::Span span = json::FindTopLevelValue(reply, "requestId");
  if (span.begin == std::string::npos) return reply;
  return reply.substr(0, span.begin) + reply.substr(span.end);
}

Recording ReadRecording(const std::string& path, WhichSession which) {
  Recording out;
  auto db = store::Database::Open(path, store::OpenMode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return out;
  store::SessionStore store(db->get());
  out.sessions = *store.ListSessions();
  if (out.sessions.empty()) return out;
  const int64_t id =
      which == WhichSession::kFirst ? out.sessions.front().id : out.sessions.back().id;
  out.connections = *store.Connections(id);
  out.messages = *store.Messages(id);
  return out;
}

void ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK) << path;
  sqlite3_busy_timeout(db, 10000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

}  // namespace wsmock::testing
