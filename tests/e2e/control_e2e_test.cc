// The control endpoint through a real socket: plain HTTP to a running
// wsmock, next to real WebSocket clients. POST /__wsmock/tick pushes the
// next tick at once, the same bytes on every run, and record keeps it;
// GET /__wsmock/health says the server is up and what it serves.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e/control_request.h"
#include "fault/raw_socket.h"
#include "server/ws_server.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using testing::Http;
using testing::HttpReply;
using testing::OnLoopback;
using testing::RawSocket;
using testing::ServerProcess;
using testing::StartOrFail;
using testing::TempDir;
using testing::WsClient;

// The next message of `client` that is an update push, skipping nothing
// else: the test sends no request.
std::optional<std::string> NextUpdate(WsClient* client) {
  std::optional<std::string> message = client->Receive(5000);
  if (message && message->find(R"("type":"update")") == std::string::npos) return std::nullopt;
  return message;
}

// serve --tick 0 --clock (ticks only when asked) with one client
// connected; the client is null after a test failure.
struct Served {
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<WsClient> client;
};
Served ServeWithAClient() {
  Served served;
  served.server =
      StartOrFail(OnLoopback({"serve", "--tick", "0", "--clock", "2024-01-20T10:30:00Z"}));
  if (served.server != nullptr) served.client = testing::ConnectOrFail(*served.server);
  return served;
}

// The pushes `ticks` control ticks bring the client of a fresh ServeWithAClient().
std::vector<std::string> UpdatesOfTicks(int ticks) {
  std::vector<std::string> updates;
  Served served = ServeWithAClient();
  if (served.client == nullptr) return updates;
  for (int i = 0; i < ticks; ++i) {
    HttpReply reply = Http(served.server->port(), "POST", "/__wsmock/tick");
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::optional<std::string> update = NextUpdate(served.client.get());
    EXPECT_TRUE(update.has_value()) << "no update after tick " << i + 1;
    if (update) updates.push_back(*update);
  }
  return updates;
}

TEST(ControlE2eTest, TickPushesTheNextUpdateAndAnswersItsIndex) {
  Served served = ServeWithAClient();
  ASSERT_NE(served.client, nullptr);
  ServerProcess* server = served.server.get();
  WsClient* client = served.client.get();

  HttpReply tick = Http(server->port(), "POST", "/__wsmock/tick");
  EXPECT_EQ(tick.status, 200) << tick.headers;
  EXPECT_EQ(tick.body, R"({"status":"ok","mode":"serve","clients":1,"tickIndex":1})");
  EXPECT_NE(tick.headers.find("content-type: application/json"), std::string::npos);
  EXPECT_NE(tick.headers.find("access-control-allow-origin: *"), std::string::npos);
  std::optional<std::string> update = NextUpdate(client);
  ASSERT_TRUE(update.has_value());
  EXPECT_NE(update->find(R"("action":"stationsUpdated")"), std::string::npos) << *update;

  HttpReply health = Http(server->port(), "GET", "/__wsmock/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok","mode":"serve","clients":1,"tickIndex":1})");
  EXPECT_TRUE(server->WaitForOutput("Tick asked for over the control endpoint"));
}

TEST(ControlE2eTest, TicksGiveTheSameBytesOnEveryRun) {
  const std::vector<std::string> first = UpdatesOfTicks(3);
  const std::vector<std::string> second = UpdatesOfTicks(3);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first, second);
  EXPECT_NE(first[0], first[1]);
}

TEST(ControlE2eTest, BadControlRequestsGetAJsonErrorAndTheServerGoesOn) {
  std::unique_ptr<ServerProcess> server = StartOrFail(OnLoopback({"serve", "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  HttpReply unknown = Http(server->port(), "GET", "/__wsmock/stations");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body,
            R"({"error":"no control at /__wsmock/stations; there are GET /__wsmock/health, )"
            R"(POST /__wsmock/tick, POST /__wsmock/stations/ID, GET /__wsmock/clients, )"
            R"(POST /__wsmock/push, POST /__wsmock/disconnect, POST /__wsmock/clients/ID/push, )"
            R"(POST /__wsmock/clients/ID/disconnect, GET /__wsmock/requests, )"
            R"(DELETE /__wsmock/requests, POST /__wsmock/reset, GET /__wsmock/stubs, )"
            R"(POST /__wsmock/stubs, DELETE /__wsmock/stubs, DELETE /__wsmock/stubs/ID"})");
  HttpReply wrong_method = Http(server->port(), "GET", "/__wsmock/tick");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.body, R"({"error":"/__wsmock/tick takes POST"})");
  HttpReply bad_status =
      Http(server->port(), "POST", "/__wsmock/stations/station_042", R"({"status":"broken"})");
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_EQ(bad_status.body,
            R"({"error":"field 'status' must be one of active, inactive, maintenance, error, )"
            R"(offline"})");
  HttpReply no_station =
      Http(server->port(), "POST", "/__wsmock/stations/station_999", R"({"status":"error"})");
  EXPECT_EQ(no_station.status, 404);
  EXPECT_EQ(no_station.body, R"({"error":"no station 'station_999'"})");
  HttpReply too_large = Http(server->port(), "POST", "/__wsmock/stations/station_042",
                             std::string(::wsmock::server::kMaxControlBody + 1, ' '));
  EXPECT_EQ(too_large.status, 413);
  EXPECT_NE(too_large.headers.find("connection: close"), std::string::npos);
  // None of them ticked or changed a station, and the server still serves.
  HttpReply health = Http(server->port(), "GET", "/__wsmock/health");
  EXPECT_EQ(health.body, R"({"status":"ok","mode":"serve","clients":0,"tickIndex":0})");
  EXPECT_NE(testing::ConnectOrFail(*server), nullptr);
}

// What comes back on one connection that sends `requests` in one write,
// until the server closes it (at most 5 s).
std::string AnswersToOneWrite(int port, const std::string& requests) {
  std::unique_ptr<RawSocket> socket = RawSocket::Connect(port);
  if (socket == nullptr || !socket->SendAll(requests)) return "";
  std::string in;
  for (int reads = 0; reads < 100; ++reads) {  // each read waits at most 50 ms
    const RawSocket::ReadEnd read = socket->ReadSome(&in, 50);
    if (read == RawSocket::ReadEnd::kClosed || read == RawSocket::ReadEnd::kReset) break;
  }
  return in;
}

// lws 4.1.6 spun its loop forever on a POST body pipelined behind another
// control request on one connection: every answer now closes its
// connection, and the client sends the next on a new one.
TEST(ControlE2eTest, EachAnswerClosesItsConnectionSoPipelinedRequestsCannotWedgeTheServer) {
  Served served = ServeWithAClient();
  ASSERT_NE(served.client, nullptr);
  const int port = served.server->port();
  const std::string answers = AnswersToOneWrite(
      port,
      "GET /__wsmock/health HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /__wsmock/disconnect HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(answers.find("HTTP/1.1 200"), 0u) << answers;
  EXPECT_NE(answers.find("connection: close"), std::string::npos) << answers;
  EXPECT_EQ(answers.find("HTTP/1.1", 1), std::string::npos) << answers;
  // The pipelined disconnect was never run; the server serves on.
  EXPECT_EQ(Http(port, "GET", "/__wsmock/health").body,
            R"({"status":"ok","mode":"serve","clients":1,"tickIndex":0})");
  EXPECT_EQ(Http(port, "POST", "/__wsmock/push", "alive").body, R"({"sent":1})");
  EXPECT_EQ(served.client->Receive(), "alive");
}

TEST(ControlE2eTest, OtherMethodsAndBadLengthsGetJsonErrors) {
  std::unique_ptr<ServerProcess> server = StartOrFail(OnLoopback({"serve", "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    HttpReply other = Http(port, method, "/__wsmock/tick");
    EXPECT_EQ(other.status, 405) << method;
    EXPECT_EQ(other.body, R"({"error":"/__wsmock/tick takes POST"})") << method;
  }
  EXPECT_EQ(Http(port, "DELETE", "/__wsmock/nothing").status, 404);
  const std::string post = "POST /__wsmock/push HTTP/1.1\r\nHost: x\r\nContent-Length: ";
  for (const char* length : {"abc", "-5", "0x12", "2, 2"}) {
    const std::string answer = AnswersToOneWrite(port, post + length + "\r\n\r\nhi");
    EXPECT_EQ(answer.find("HTTP/1.1 400"), 0u) << length << ": " << answer;
    EXPECT_NE(answer.find(R"({"error":"Content-Length must be one decimal number"})"),
              std::string::npos)
        << answer;
  }
  // Whitespace after the number is allowed.
  const std::string spaced = AnswersToOneWrite(port, post + "2 \r\n\r\nhi");
  EXPECT_NE(spaced.find(R"({"sent":0})"), std::string::npos) << spaced;
}

TEST(ControlE2eTest, AStationSetOverControlIsPushedAndServedFromThen) {
  Served served = ServeWithAClient();
  ASSERT_NE(served.client, nullptr);
  ServerProcess* server = served.server.get();
  WsClient* client = served.client.get();

  HttpReply set =
      Http(server->port(), "POST", "/__wsmock/stations/station_042", R"({"status":"error"})");
  EXPECT_EQ(set.status, 200) << set.body;
  EXPECT_NE(set.body.find(R"("status":"error","currentPower":0.0,)"), std::string::npos)
      << set.body;
  std::optional<std::string> update = NextUpdate(client);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(
      *update,
      R"({"type":"update","action":"stationsUpdated","data":{"stations":[{"id":"station_042",)"
      R"("status":"error","currentPower":0.0,"lastUpdate":"2024-01-20T10:30:00.000Z"}],)"
      R"("timestamp":"2024-01-20T10:30:00.000Z"}})");
  ASSERT_TRUE(client->SendText(
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_042",)"
      R"("fields":["status"]},"requestId":1})"));
  std::optional<std::string> reply = client->Receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->find(R"({"station":{"status":"error"}})"), std::string::npos) << *reply;
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/health").body,
            R"({"status":"ok","mode":"serve","clients":1,"tickIndex":1})");
}

// A station id is any text; percent-encoded (encodeURIComponent), one with
// '/', '+' and ' ' is reached as any other.
TEST(ControlE2eTest, AStationIdWithSlashPlusAndSpaceIsReachedPercentEncoded) {
  TempDir dir;
  const std::string fixture = dir.File("stations.json");
  std::ofstream(fixture)
      << R"([{"id":"a/b+c d","name":"N","city":"C","address":"A",)"
         R"("coordinates":{"lat":1,"lng":2},"owner":"O","app":"P","status":"active",)"
         R"("maxPower":50,"currentPower":10,"totalEnergy":1,"totalSessions":1,"errorCount":0,)"
         R"("lastUpdate":"2024-01-20T10:30:00.000Z"}])";
  std::unique_ptr<ServerProcess> server =
      StartOrFail(OnLoopback({"serve", "--tick", "0", "--fixture", fixture}));
  ASSERT_NE(server, nullptr);
  HttpReply set =
      Http(server->port(), "POST", "/__wsmock/stations/a%2Fb%2Bc%20d", R"({"status":"error"})");
  EXPECT_EQ(set.status, 200) << set.body;
  EXPECT_NE(set.body.find(R"("id":"a/b+c d")"), std::string::npos) << set.body;
  EXPECT_EQ(
      Http(server->port(), "POST", "/__wsmock/stations/a%2Fb", R"({"status":"error"})").status,
      404);
}

// A test of the app's reconnect logic: every client is closed at once with
// the code asked for, and a client may connect again right after.
TEST(ControlE2eTest, DisconnectClosesEveryClientWithTheCodeAskedFor) {
  Served served = ServeWithAClient();
  ASSERT_NE(served.client, nullptr);
  std::unique_ptr<WsClient> second = testing::ConnectOrFail(*served.server);
  ASSERT_NE(second, nullptr);
  HttpReply closed = Http(served.server->port(), "POST", "/__wsmock/disconnect",
                          R"({"code":4000,"reason":"reconnect test"})");
  EXPECT_EQ(closed.status, 200);
  EXPECT_EQ(closed.body, R"({"closed":2,"code":4000})");
  for (WsClient* client : {served.client.get(), second.get()}) {
    int code = 0;
    EXPECT_TRUE(client->WaitClosed(5000, &code));
    EXPECT_EQ(code, 4000);
  }
  EXPECT_NE(testing::ConnectOrFail(*served.server), nullptr);
  HttpReply bad = Http(served.server->port(), "POST", "/__wsmock/disconnect", R"({"code":1006})");
  EXPECT_EQ(bad.status, 400);
}

// Two clients of `served`: the one it has and a second; the second is null
// after a test failure.
std::unique_ptr<WsClient> SecondClient(const Served& served) {
  return served.client != nullptr ? testing::ConnectOrFail(*served.server) : nullptr;
}

TEST(ControlE2eTest, ClientsListsThemAndPushSendsTheBodyAsItIs) {
  Served served = ServeWithAClient();
  std::unique_ptr<WsClient> second = SecondClient(served);
  ASSERT_NE(second, nullptr);
  const int port = served.server->port();
  HttpReply clients = Http(port, "GET", "/__wsmock/clients");
  EXPECT_EQ(clients.status, 200);
  EXPECT_EQ(clients.body, R"({"clients":[{"id":1,"address":"127.0.0.1","path":"/ws"},)"
                          R"({"id":2,"address":"127.0.0.1","path":"/ws"}]})");

  // Any text at all, even what the protocol would not send: a test of how
  // the app copes with it.
  const std::string to_all = R"({"type":"update","action":"promo","data":{"text":"é"}})";
  HttpReply all = Http(port, "POST", "/__wsmock/push", to_all);
  EXPECT_EQ(all.status, 200);
  EXPECT_EQ(all.body, R"({"sent":2})");
  HttpReply one = Http(port, "POST", "/__wsmock/clients/2/push", "not json");
  EXPECT_EQ(one.body, R"({"sent":1})");
  HttpReply all_again = Http(port, "POST", "/__wsmock/push", "second");
  EXPECT_EQ(all_again.body, R"({"sent":2})");
  // Frames reach each client in the order they were pushed to it.
  EXPECT_EQ(served.client->Receive(), to_all);
  EXPECT_EQ(served.client->Receive(), "second");
  EXPECT_EQ(second->Receive(), to_all);
  EXPECT_EQ(second->Receive(), "not json");
  EXPECT_EQ(second->Receive(), "second");
}

TEST(ControlE2eTest, APushThatCannotBeATextFrameOrHasNoClientIsRefused) {
  Served served = ServeWithAClient();
  ASSERT_NE(served.client, nullptr);
  const int port = served.server->port();
  HttpReply empty = Http(port, "POST", "/__wsmock/push");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.body, R"({"error":"the body is the message to push, and it is empty"})");
  HttpReply binary = Http(port, "POST", "/__wsmock/push", "\xff\xfe");
  EXPECT_EQ(binary.status, 400);
  EXPECT_EQ(binary.body,
            R"({"error":"the body is not valid UTF-8, so it cannot be a text frame"})");
  for (const char* who : {"9", "x", "-1", "1x", "18446744073709551617"}) {
    HttpReply nobody = Http(port, "POST", std::string("/__wsmock/clients/") + who + "/push", "a");
    EXPECT_EQ(nobody.status, 404) << who;
    EXPECT_EQ(nobody.body, std::string(R"({"error":"no client ')") + who +
                               R"(' is connected; GET /__wsmock/clients lists them"})");
  }
  // Nothing above reached the client: the next frame it gets is this one.
  EXPECT_EQ(Http(port, "POST", "/__wsmock/clients/1/push", "only").body, R"({"sent":1})");
  EXPECT_EQ(served.client->Receive(), "only");
}

// A network failure, as the app under test would meet it: one client's
// connection ends with no close frame (1006), and the other goes on.
TEST(ControlE2eTest, OneClientIsDroppedWithoutACloseFrameAndTheOthersStay) {
  Served served = ServeWithAClient();
  std::unique_ptr<WsClient> second = SecondClient(served);
  ASSERT_NE(second, nullptr);
  const int port = served.server->port();
  HttpReply dropped = Http(port, "POST", "/__wsmock/clients/1/disconnect", R"({"drop":true})");
  EXPECT_EQ(dropped.status, 200);
  EXPECT_EQ(dropped.body, R"({"closed":1,"code":1006})");
  int code = 0;
  EXPECT_TRUE(served.client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1006);
  EXPECT_TRUE(served.server->WaitForOutput("Client disconnected (code 1006)"));
  EXPECT_EQ(Http(port, "GET", "/__wsmock/clients").body,
            R"({"clients":[{"id":2,"address":"127.0.0.1","path":"/ws"}]})");
  EXPECT_EQ(Http(port, "POST", "/__wsmock/push", "still here").body, R"({"sent":1})");
  EXPECT_EQ(second->Receive(), "still here");
  EXPECT_EQ(Http(port, "POST", "/__wsmock/clients/2/disconnect", R"({"code":4002})").body,
            R"({"closed":1,"code":4002})");
  EXPECT_TRUE(second->WaitClosed(5000, &code));
  EXPECT_EQ(code, 4002);
}

TEST(ControlE2eTest, DisconnectDropsEveryClientWhenAsked) {
  Served served = ServeWithAClient();
  std::unique_ptr<WsClient> second = SecondClient(served);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Http(served.server->port(), "POST", "/__wsmock/disconnect", R"({"drop":true})").body,
            R"({"closed":2,"code":1006})");
  for (WsClient* client : {served.client.get(), second.get()}) {
    int code = 0;
    EXPECT_TRUE(client->WaitClosed(5000, &code));
    EXPECT_EQ(code, 1006);
  }
  EXPECT_NE(testing::ConnectOrFail(*served.server), nullptr);
}

TEST(ControlE2eTest, RecordKeepsATickAndThePushesAskedFor) {
  TempDir dir;
  const std::string path = dir.File("ticks.db");
  const std::string promo = R"({"type":"update","action":"promo","data":{}})";
  {
    std::unique_ptr<ServerProcess> server =
        StartOrFail(OnLoopback({"record", path, "--tick", "0"}));
    ASSERT_NE(server, nullptr);
    std::unique_ptr<WsClient> client = testing::ConnectOrFail(*server);
    ASSERT_NE(client, nullptr);
    HttpReply tick = Http(server->port(), "POST", "/__wsmock/tick");
    EXPECT_EQ(tick.body, R"({"status":"ok","mode":"record","clients":1,"tickIndex":1})");
    ASSERT_TRUE(NextUpdate(client.get()).has_value());
    EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/push", promo).body, R"({"sent":1})");
    EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/clients/1/push", "hello").body,
              R"({"sent":1})");
    EXPECT_EQ(client->Receive(), promo);
    EXPECT_EQ(client->Receive(), "hello");
    client->Close();
    EXPECT_EQ(server->Stop(), 0);
  }
  testing::Recording recording = testing::ReadRecording(path, testing::WhichSession::kLast);
  std::vector<std::string> out;
  for (const store::MessageRow& row : recording.messages) {
    if (row.direction == "out") out.push_back(row.kind + " " + row.action.value_or("-"));
  }
  EXPECT_EQ(out, (std::vector<std::string>{"update stationsUpdated", "update promo", "other -"}));
  ASSERT_EQ(recording.messages.size(), 3u);
  EXPECT_EQ(recording.messages[1].payload, promo);
  EXPECT_EQ(recording.messages[2].payload, "hello");
}

// replay --snapshots serves recorded stations through serve's handler, but
// is a replay: a tick asked for is the next recorded one, the same bytes,
// and its stations cannot be changed.
TEST(ControlE2eTest, ASnapshotReplayTicksThroughTheRecordedTicksOnRequest) {
  TempDir dir;
  const std::string path = dir.File("ticks.db");
  std::vector<std::string> recorded;
  {
    std::unique_ptr<ServerProcess> server =
        StartOrFail(OnLoopback({"record", path, "--tick", "0", "--clock", "2024-01-20T10:30:00Z"}));
    ASSERT_NE(server, nullptr);
    std::unique_ptr<WsClient> client = testing::ConnectOrFail(*server);
    ASSERT_NE(client, nullptr);
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/tick").status, 200);
      std::optional<std::string> update = NextUpdate(client.get());
      ASSERT_TRUE(update.has_value());
      recorded.push_back(*update);
    }
    EXPECT_EQ(server->Stop(), 0);
  }
  std::unique_ptr<ServerProcess> replay =
      StartOrFail(OnLoopback({"replay", path, "--snapshots", "--speed", "0"}));
  ASSERT_NE(replay, nullptr);
  std::unique_ptr<WsClient> client = testing::ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  const int port = replay->port();
  EXPECT_EQ(Http(port, "GET", "/__wsmock/health").body,
            R"({"status":"ok","mode":"replay","clients":1,"tickIndex":0})");
  HttpReply set = Http(port, "POST", "/__wsmock/stations/station_001", R"({"status":"error"})");
  EXPECT_EQ(set.status, 409);
  EXPECT_EQ(set.body, R"({"error":"replay cannot change a station: its snapshots are recorded"})");
  for (const std::string& update : recorded) {
    EXPECT_EQ(Http(port, "POST", "/__wsmock/tick").status, 200);
    EXPECT_EQ(NextUpdate(client.get()), update);
  }
  HttpReply past_the_end = Http(port, "POST", "/__wsmock/tick");
  EXPECT_EQ(past_the_end.status, 409);
  EXPECT_EQ(past_the_end.body, R"({"error":"no recorded tick is left to replay"})");
  EXPECT_EQ(Http(port, "GET", "/__wsmock/health").body,
            R"({"status":"ok","mode":"replay","clients":1,"tickIndex":2})");
}

// record --upstream: the proxy's own clients are listed, pushed to and
// closed as serve's are, and its pushes are recorded next to the upstream's.
TEST(ControlE2eTest, AProxyAnswersHealthAndTheClientRoutes) {
  TempDir dir;
  const std::string path = dir.File("proxy.db");
  std::unique_ptr<ServerProcess> upstream = StartOrFail(OnLoopback({"serve", "--tick", "0"}));
  ASSERT_NE(upstream, nullptr);
  {
    std::unique_ptr<ServerProcess> proxy =
        StartOrFail(OnLoopback({"record", path, "--upstream",
                                "ws://127.0.0.1:" + std::to_string(upstream->port()) + "/ws"}));
    ASSERT_NE(proxy, nullptr);
    std::unique_ptr<WsClient> client = testing::ConnectOrFail(*proxy);
    ASSERT_NE(client, nullptr);
    const int port = proxy->port();
    EXPECT_EQ(Http(port, "GET", "/__wsmock/health").body,
              R"({"status":"ok","mode":"proxy","clients":1})");
    // The upstream connection the proxy dialled is not a client of its own.
    EXPECT_EQ(Http(port, "GET", "/__wsmock/clients").body,
              R"({"clients":[{"id":1,"address":"127.0.0.1","path":"/ws"}]})");
    HttpReply tick = Http(port, "POST", "/__wsmock/tick");
    EXPECT_EQ(tick.status, 409);
    EXPECT_EQ(tick.body, R"({"error":"a proxy has no ticks: its pushes come from the upstream"})");
    EXPECT_EQ(Http(port, "POST", "/__wsmock/stations/station_001", R"({"status":"error"})").status,
              409);
    EXPECT_EQ(Http(port, "POST", "/__wsmock/push", "injected").body, R"({"sent":1})");
    EXPECT_EQ(client->Receive(), "injected");
    EXPECT_EQ(Http(port, "POST", "/__wsmock/clients/1/disconnect", R"({"code":4001})").body,
              R"({"closed":1,"code":4001})");
    int code = 0;
    EXPECT_TRUE(client->WaitClosed(5000, &code));
    EXPECT_EQ(code, 4001);
    EXPECT_EQ(proxy->Stop(), 0);
  }
  testing::Recording recording = testing::ReadRecording(path, testing::WhichSession::kLast);
  ASSERT_EQ(recording.messages.size(), 1u);
  EXPECT_EQ(recording.messages[0].direction, "out");
  EXPECT_EQ(recording.messages[0].payload, "injected");
  ASSERT_EQ(recording.connections.size(), 1u);
  EXPECT_EQ(recording.connections[0].close_code, std::optional<int>(4001));
}

TEST(ControlE2eTest, ReplayAnswersHealthPushesAndDisconnectsAndRefusesTicks) {
  TempDir dir;
  const std::string path = dir.File("session.db");
  testing::RunResult imported =
      testing::RunWsmock({"import", WSMOCK_SOURCE_DIR "/fixtures/seed42-session.jsonl", path});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::unique_ptr<ServerProcess> server = StartOrFail(OnLoopback({"replay", path}));
  ASSERT_NE(server, nullptr);
  HttpReply health = Http(server->port(), "GET", "/__wsmock/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok","mode":"replay","clients":0})");
  HttpReply tick = Http(server->port(), "POST", "/__wsmock/tick");
  EXPECT_EQ(tick.status, 409);
  EXPECT_EQ(tick.body, R"({"error":"replay has no ticks: its pushes come from the recording"})");
  HttpReply set =
      Http(server->port(), "POST", "/__wsmock/stations/station_001", R"({"status":"error"})");
  EXPECT_EQ(set.status, 409);
  std::unique_ptr<WsClient> client = testing::ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  // A test's push reaches a replay's client too (and is not recorded).
  EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/push", "injected").body, R"({"sent":1})");
  std::optional<std::string> heard = client->Receive();
  // The recording's own pushes (the first 0.9 s after the client opens)
  // may come first on a slow machine.
  for (int skipped = 0; heard && heard->starts_with(R"({"type":"update")") && skipped < 5;
       ++skipped) {
    heard = client->Receive();
  }
  EXPECT_EQ(heard, "injected");
  EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/disconnect").body,
            R"({"closed":1,"code":1001})");
  int code = 0;
  EXPECT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1001);
}

}  // namespace
}  // namespace wsmock
