// Stubs through a real socket: a test sets an answer over the control
// endpoint (POST /__wsmock/stubs) and a real client's matching request gets
// it — a response, an error, any frame or none, late, followed by a close or
// a drop — while other requests are answered as before; record keeps what
// the client was sent, replay is stubbed the same way, reset removes them.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e/control_request.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using testing::ConnectOrFail;
using testing::Http;
using testing::HttpReply;
using testing::NextReply;
using testing::OnLoopback;
using testing::ServerProcess;
using testing::StartOrFail;
using testing::TempDir;
using testing::WsClient;

std::string InCity(const std::string& city, const std::string& request_id) {
  return R"({"type":"request","action":"getStations","data":{"fields":["id"],)"
         R"("filters":{"city":")" +
         city + R"("}},"requestId":")" + request_id + R"("})";
}

const std::string kStats = R"({"type":"request","action":"getStationStats","requestId":"s"})";

std::unique_ptr<ServerProcess> ServeQuietly() {
  return StartOrFail(OnLoopback({"serve", "--tick", "0", "--clock", "2024-01-20T10:30:00Z"}));
}

// POSTs `stub` and expects it set with `id`.
void SetStub(const ServerProcess& server, const std::string& stub, int id) {
  HttpReply set = Http(server.port(), "POST", "/__wsmock/stubs", stub);
  EXPECT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.body, R"({"id":)" + std::to_string(id) + "}");
}

// Sets stub `id` to answer the stats with "marker" after 600 ms, asks, and
// expects the marker as the client's next message. Timers fire in deadline
// order, so an answer cancelled before (due at 300 ms) would have come
// first: no sleep needed to show that nothing came.
void ExpectNothingBeforeAMarker(const ServerProcess& server, WsClient* client, int id) {
  SetStub(server, R"({"match":{"action":"getStationStats"},"frame":"marker","delayMs":600})", id);
  ASSERT_TRUE(client->SendText(kStats));
  EXPECT_EQ(client->Receive(), "marker");
}

// A replay of the seed's recorded session (fixtures/seed42-session.jsonl,
// imported into `dir`), or null after a test failure.
std::unique_ptr<ServerProcess> ReplayOfTheSeedSession(const TempDir& dir,
                                                      std::vector<std::string> more = {}) {
  const std::string db = dir.File("session.db");
  testing::RunResult imported =
      testing::RunWsmock({"import", WSMOCK_SOURCE_DIR "/fixtures/seed42-session.jsonl", db});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  if (imported.exit_code != 0) return nullptr;
  std::vector<std::string> args = {"replay", db};
  args.insert(args.end(), more.begin(), more.end());
  return StartOrFail(OnLoopback(args));
}

std::optional<std::string> Ask(WsClient* client, const std::string& request) {
  if (!client->SendText(request)) return std::nullopt;
  return NextReply(client);
}

TEST(StubE2eTest, AMatchingRequestGetsTheStubsDataAndOthersTheServersAnswer) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  const std::optional<std::string> served = Ask(client.get(), InCity("Москва", "1"));
  ASSERT_TRUE(served.has_value());

  SetStub(*server,
          R"({"match":{"action":"getStations","data":{"filters":{"city":"Москва"}}},)"
          R"("data":{"stations":[],"total":0},"times":1})",
          1);
  EXPECT_EQ(Ask(client.get(), InCity("Москва", "2")),
            R"({"type":"response","action":"getStations","data":{"stations":[],"total":0},)"
            R"("requestId":"2"})");
  // Another city is not matched; the stub's one time is used up.
  EXPECT_NE(Ask(client.get(), InCity("Казань", "3")), std::nullopt);
  EXPECT_EQ(Ask(client.get(), InCity("Москва", "1")), served);
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/stubs").body, R"({"stubs":[]})");
}

TEST(StubE2eTest, AnErrorStubIsListedWithItsHitsAndRemovedById) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  const std::string stub =
      R"({"match":{"action":"getStationStats"},"error":{"code":"UNAVAILABLE","message":"down"}})";
  SetStub(*server, stub, 1);
  const std::string error = R"({"type":"error","action":"getStationStats","requestId":"s",)"
                            R"("error":{"code":"UNAVAILABLE","message":"down"}})";
  EXPECT_EQ(Ask(client.get(), kStats), error);
  EXPECT_EQ(Ask(client.get(), kStats), error);
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/stubs").body,
            R"({"stubs":[{"id":1,"hits":2,"stub":)" + stub + "}]}");
  EXPECT_EQ(Http(server->port(), "DELETE", "/__wsmock/stubs/2").status, 404);
  EXPECT_EQ(Http(server->port(), "DELETE", "/__wsmock/stubs/1").body, R"({"removed":1})");
  std::optional<std::string> served = Ask(client.get(), kStats);
  ASSERT_TRUE(served.has_value());
  EXPECT_NE(served->find(R"("type":"response")"), std::string::npos) << *served;
}

// The stubbed request is answered late: a request sent after it, answered
// at once, overtakes it. No clock is read: only the order is checked.
TEST(StubE2eTest, ADelayedAnswerComesAfterTheAnswersOfLaterRequests) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  SetStub(*server, R"({"match":{"action":"getStationStats"},"frame":"late","delayMs":300})", 1);
  ASSERT_TRUE(client->SendText(kStats));
  ASSERT_TRUE(client->SendText(InCity("Москва", "after")));
  std::optional<std::string> first = client->Receive();
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find(R"("requestId":"after")"), std::string::npos) << *first;
  EXPECT_EQ(client->Receive(), "late");
}

// "continue" gives the server's own answer, late: the same bytes as
// without the stub, after the answer to a later request; then the close.
TEST(StubE2eTest, AContinuingStubGivesTheServersOwnAnswerLateThenCloses) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  const std::optional<std::string> own = Ask(client.get(), kStats);
  ASSERT_TRUE(own.has_value());
  SetStub(*server,
          R"({"match":{"action":"getStationStats"},"continue":true,"delayMs":300,)"
          R"("close":{"code":4002,"reason":"late"},"times":1})",
          1);
  ASSERT_TRUE(client->SendText(kStats));
  ASSERT_TRUE(client->SendText(InCity("Москва", "after")));
  std::optional<std::string> first = client->Receive();
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find(R"("requestId":"after")"), std::string::npos) << *first;
  EXPECT_EQ(client->Receive(), own);
  int code = 0;
  EXPECT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 4002);
}

// A reset cancels delayed answers still waiting, so none reaches the next
// test (nor does the close that would have followed it).
TEST(StubE2eTest, ResetCancelsADelayedAnswerStillWaiting) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  SetStub(*server,
          R"({"match":{"action":"getStationStats"},"frame":"stale","delayMs":300,)"
          R"("close":{"code":4000,"reason":"stale"}})",
          1);
  ASSERT_TRUE(client->SendText(kStats));
  // Sent after the stats on the same socket, so they have been taken.
  ASSERT_TRUE(Ask(client.get(), InCity("Москва", "1")).has_value());
  ASSERT_EQ(Http(server->port(), "POST", "/__wsmock/reset").status, 200);
  ExpectNothingBeforeAMarker(*server, client.get(), 2);
}

// A stub used up by its times is no longer listed, but deleting it by id
// still cancels the answer it has waiting.
TEST(StubE2eTest, DeletingAUsedUpStubCancelsItsWaitingAnswer) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  SetStub(*server,
          R"({"match":{"action":"getStationStats"},"frame":"stale","delayMs":300,"times":1})", 1);
  ASSERT_TRUE(client->SendText(kStats));
  ASSERT_TRUE(Ask(client.get(), InCity("Москва", "1")).has_value());
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/stubs").body, R"({"stubs":[]})");
  HttpReply removed = Http(server->port(), "DELETE", "/__wsmock/stubs/1");
  EXPECT_EQ(removed.status, 200);
  EXPECT_EQ(removed.body, R"({"removed":0})");
  EXPECT_EQ(Http(server->port(), "DELETE", "/__wsmock/stubs/1").status, 404);
  ExpectNothingBeforeAMarker(*server, client.get(), 2);
}

TEST(StubE2eTest, AStubWithoutAnAnswerLeavesTheRequestUnanswered) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  SetStub(*server, R"({"match":{"action":"getStationStats"}})", 1);
  ASSERT_TRUE(client->SendText(kStats));
  // Were the stats answered, that answer would come before this one's.
  std::optional<std::string> next = Ask(client.get(), InCity("Москва", "next"));
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->find(R"("requestId":"next")"), std::string::npos) << *next;
}

TEST(StubE2eTest, AStubClosesOrDropsTheClientAfterItsAnswer) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  SetStub(*server,
          R"({"match":{"action":"getStationStats"},"frame":"bye","close":{"code":4001,)"
          R"("reason":"stubbed"},"times":1})",
          1);
  SetStub(*server, R"({"match":{"action":"getStations"},"close":{"drop":true}})", 2);
  std::unique_ptr<WsClient> closed = ConnectOrFail(*server);
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(Ask(closed.get(), kStats), "bye");
  int code = 0;
  EXPECT_TRUE(closed->WaitClosed(5000, &code));
  EXPECT_EQ(code, 4001);

  std::unique_ptr<WsClient> dropped = ConnectOrFail(*server);
  ASSERT_NE(dropped, nullptr);
  ASSERT_TRUE(dropped->SendText(InCity("Москва", "x")));
  EXPECT_TRUE(dropped->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1006);
}

TEST(StubE2eTest, RecordKeepsTheStubbedAnswerAndItsReplayServesIt) {
  TempDir dir;
  const std::string db = dir.File("session.db");
  const std::string stubbed =
      R"({"type":"response","action":"getStationStats","data":{"total":-1},"requestId":"s"})";
  {
    std::unique_ptr<ServerProcess> record =
        StartOrFail(OnLoopback({"record", db, "--tick", "0", "--clock", "2024-01-20T10:30:00Z"}));
    ASSERT_NE(record, nullptr);
    SetStub(*record, R"({"match":{"action":"getStationStats"},"data":{"total":-1}})", 1);
    std::unique_ptr<WsClient> client = ConnectOrFail(*record);
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(Ask(client.get(), kStats), stubbed);
    client->Close();
    ASSERT_EQ(record->Stop(), 0) << record->Output();
  }
  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(recording.messages.size(), 2u);
  EXPECT_EQ(recording.messages[0].direction, "in");
  EXPECT_EQ(recording.messages[0].payload, kStats);
  EXPECT_EQ(recording.messages[1].payload, stubbed);
  EXPECT_EQ(recording.messages[1].kind, "response");

  std::unique_ptr<ServerProcess> replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(Ask(client.get(), kStats), stubbed);
}

TEST(StubE2eTest, AReplayIsStubbedTooUntilReset) {
  TempDir dir;
  std::unique_ptr<ServerProcess> replay = ReplayOfTheSeedSession(dir);
  ASSERT_NE(replay, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  const std::string request = testing::kSeedRequests[0];
  const std::optional<std::string> recorded = Ask(client.get(), request);
  ASSERT_TRUE(recorded.has_value());

  SetStub(*replay, R"({"frame":"stubbed"})", 1);
  EXPECT_EQ(Ask(client.get(), request), "stubbed");
  EXPECT_EQ(Http(replay->port(), "POST", "/__wsmock/reset").status, 200);
  EXPECT_EQ(Http(replay->port(), "GET", "/__wsmock/stubs").body, R"({"stubs":[]})");
  EXPECT_EQ(Ask(client.get(), request), recorded);
}

TEST(StubE2eTest, AReplayedAnswerContinuesLate) {
  TempDir dir;
  std::unique_ptr<ServerProcess> replay = ReplayOfTheSeedSession(dir);
  ASSERT_NE(replay, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  const std::string request = testing::kSeedRequests[0];
  const std::optional<std::string> recorded = Ask(client.get(), request);
  ASSERT_TRUE(recorded.has_value());

  SetStub(*replay, R"({"continue":true,"delayMs":300,"times":1})", 1);
  ASSERT_TRUE(client->SendText(request));
  ASSERT_TRUE(client->SendText(InCity("Москва", "after")));  // not recorded: an error at once
  std::optional<std::string> first = client->Receive();
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find(R"("requestId":"after")"), std::string::npos) << *first;
  EXPECT_EQ(client->Receive(), recorded);
}

// --exit-after counts a stubbed request when its answer is sent: the
// client gets the late answer before the server stops.
TEST(StubE2eTest, ExitAfterCountsADelayedStubAnswerWhenItIsSent) {
  TempDir dir;
  std::unique_ptr<ServerProcess> replay = ReplayOfTheSeedSession(dir, {"--exit-after", "1"});
  ASSERT_NE(replay, nullptr);
  SetStub(*replay, R"({"frame":"late","delayMs":300})", 1);
  std::unique_ptr<WsClient> client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(testing::kSeedRequests[0]));
  EXPECT_EQ(client->Receive(), "late");
  int code = 0;
  EXPECT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1001);
}

TEST(StubE2eTest, BadStubsAreRefused) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  HttpReply bad = Http(server->port(), "POST", "/__wsmock/stubs", R"({"data":{},"frame":"x"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body,
            R"({"error":"a stub answers with one of data, error, frame and continue at most"})");
  EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/stubs/1").status, 405);
  EXPECT_EQ(Http(server->port(), "DELETE", "/__wsmock/stubs").body, R"({"removed":0})");
}

// In front of a real backend a stub answers what it matches, which never
// reaches the upstream, or holds it back; the rest is relayed at once. The
// recording holds it all.
TEST(StubE2eTest, AProxyAnswersOrHoldsBackAStubbedRequestAndRelaysTheRest) {
  TempDir dir;
  std::unique_ptr<ServerProcess> upstream = ServeQuietly();
  ASSERT_NE(upstream, nullptr);
  const std::string db = dir.File("proxy.db");
  const std::string error = R"({"type":"error","action":"getStationStats","requestId":"s",)"
                            R"("error":{"code":"UNAVAILABLE","message":"down"}})";
  std::optional<std::string> relayed, late;
  {
    std::unique_ptr<ServerProcess> proxy =
        StartOrFail(OnLoopback({"record", db, "--upstream",
                                "ws://127.0.0.1:" + std::to_string(upstream->port()) + "/ws"}));
    ASSERT_NE(proxy, nullptr);
    SetStub(*proxy,
            R"({"match":{"action":"getStationStats"},)"
            R"("error":{"code":"UNAVAILABLE","message":"down"},"times":1})",
            1);
    std::unique_ptr<WsClient> client = ConnectOrFail(*proxy);
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(Ask(client.get(), kStats), error);
    relayed = Ask(client.get(), kStats);
    ASSERT_TRUE(relayed.has_value());
    EXPECT_NE(relayed->find(R"("type":"response")"), std::string::npos) << *relayed;
    // Held back, then relayed: the answer to a later request overtakes it.
    SetStub(*proxy, R"({"match":{"action":"getStations"},"continue":true,"delayMs":300})", 2);
    ASSERT_TRUE(client->SendText(InCity("Москва", "late")));
    EXPECT_EQ(Ask(client.get(), kStats), relayed);
    late = client->Receive();
    ASSERT_TRUE(late.has_value());
    EXPECT_NE(late->find(R"("requestId":"late")"), std::string::npos) << *late;
    client->Close();
    ASSERT_EQ(proxy->Stop(), 0) << proxy->Output();
  }
  // The upstream saw every request but the one the error stub answered.
  HttpReply seen = Http(upstream->port(), "GET", "/__wsmock/requests");
  const std::string entry = R"("client":)";
  size_t requests = 0;
  for (size_t at = seen.body.find(entry); at != std::string::npos && requests < 10;
       at = seen.body.find(entry, at + 1)) {
    ++requests;
  }
  EXPECT_EQ(requests, 3u) << seen.body;
  // Each request is recorded when it goes on, next to its answer.
  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(recording.messages.size(), 8u);
  EXPECT_EQ(recording.messages[0].payload, kStats);
  EXPECT_EQ(recording.messages[1].payload, error);
  EXPECT_EQ(recording.messages[1].kind, "error");
  EXPECT_EQ(recording.messages[2].payload, kStats);
  EXPECT_EQ(recording.messages[3].payload, *relayed);
  EXPECT_EQ(recording.messages[4].payload, kStats);
  EXPECT_EQ(recording.messages[5].payload, *relayed);
  EXPECT_EQ(recording.messages[6].payload, InCity("Москва", "late"));
  EXPECT_EQ(recording.messages[7].payload, *late);
}

}  // namespace
}  // namespace wsmock
