// The request journal and reset through a real socket: GET
// /__wsmock/requests lists the frames real clients sent, DELETE forgets
// them, and POST /__wsmock/reset puts a server back as it started (serve:
// its stations; replay: its answers), so one server can serve a whole test
// suite with every test starting alike.
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
#include "util/json.h"

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

const std::string kById042 =
    R"({"type":"request","action":"getStationById","data":{"stationId":"station_042"},)"
    R"("requestId":"a"})";

// One journal entry as GET /__wsmock/requests writes it, for a text frame
// kept whole.
std::string Entry(int seq, int client, const std::string& frame) {
  std::string entry = R"({"seq":)" + std::to_string(seq) + R"(,"client":)" +
                      std::to_string(client) + R"(,"frame":)";
  json::AppendString(&entry, frame);
  return entry + R"(,"size":)" + std::to_string(frame.size()) + "}";
}

// Sends `frame` and waits for its reply, so that the server has it.
void Ask(WsClient* client, const std::string& frame) {
  ASSERT_TRUE(client->SendText(frame));
  ASSERT_TRUE(NextReply(client).has_value()) << "no reply to " << frame;
}

std::unique_ptr<ServerProcess> ServeQuietly(std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"serve", "--tick", "0", "--clock", "2024-01-20T10:30:00Z"};
  args.insert(args.end(), more.begin(), more.end());
  return StartOrFail(OnLoopback(args));
}

TEST(JournalE2eTest, RequestsListsWhatEachClientSentInTheOrderItCame) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> first = ConnectOrFail(*server);
  std::unique_ptr<WsClient> second = ConnectOrFail(*server);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/requests").body, R"({"requests":[]})");

  Ask(first.get(), testing::kSeedRequests[0]);
  Ask(second.get(), kById042);
  ASSERT_TRUE(second->SendBinary(std::string("\x00\x01\x02", 3)));
  ASSERT_TRUE(NextReply(second.get()).has_value());  // an error frame: binary is refused
  Ask(first.get(), "not json");

  HttpReply journal = Http(server->port(), "GET", "/__wsmock/requests");
  EXPECT_EQ(journal.status, 200);
  EXPECT_EQ(journal.body, R"({"requests":[)" + Entry(1, 1, testing::kSeedRequests[0]) + "," +
                              Entry(2, 2, kById042) + "," +
                              R"({"seq":3,"client":2,"frame":"AAEC","size":3,"binary":true},)" +
                              Entry(4, 1, "not json") + "]}");
}

TEST(JournalE2eTest, DeleteForgetsTheFramesAndTheCountGoesOn) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  Ask(client.get(), kById042);
  Ask(client.get(), kById042);

  HttpReply cleared = Http(server->port(), "DELETE", "/__wsmock/requests");
  EXPECT_EQ(cleared.status, 200);
  EXPECT_EQ(cleared.body, R"({"cleared":2})");
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/requests").body, R"({"requests":[]})");
  Ask(client.get(), kById042);
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/requests").body,
            R"({"requests":[)" + Entry(3, 1, kById042) + "]}");
}

TEST(JournalE2eTest, TheJournalKeepsTheNewestFramesAndCutsALongOneAtACharacter) {
  std::unique_ptr<ServerProcess> server = ServeQuietly({"--request-journal", "2"});
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  Ask(client.get(), "one");
  Ask(client.get(), "two");
  // 4095 bytes of 'a', then a two-byte character across the 4096-byte cut.
  const std::string long_frame = std::string(4095, 'a') + "\xC3\xA9" + std::string(1000, 'b');
  Ask(client.get(), long_frame);

  std::string cut_entry = R"({"seq":3,"client":1,"frame":")" + std::string(4095, 'a') +
                          R"(","size":)" + std::to_string(long_frame.size()) + R"(,"cut":true})";
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/requests").body,
            R"({"requests":[)" + Entry(2, 1, "two") + "," + cut_entry + "]}");
}

TEST(JournalE2eTest, ARequestJournalOfNoneKeepsNothing) {
  std::unique_ptr<ServerProcess> server = ServeQuietly({"--request-journal", "0"});
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  Ask(client.get(), kById042);
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/requests").body, R"({"requests":[]})");
  EXPECT_EQ(Http(server->port(), "DELETE", "/__wsmock/requests").body, R"({"cleared":0})");
}

TEST(JournalE2eTest, ResetPutsAChangedStationBackPushesItAndEmptiesTheJournal) {
  std::unique_ptr<ServerProcess> server = ServeQuietly();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(kById042));
  const std::optional<std::string> before = NextReply(client.get());
  ASSERT_TRUE(before.has_value());

  ASSERT_EQ(Http(server->port(), "POST", "/__wsmock/stations/station_042", R"({"status":"error"})")
                .status,
            200);
  std::optional<std::string> changed = client->Receive();
  ASSERT_TRUE(changed.has_value());
  EXPECT_NE(changed->find(R"("status":"error")"), std::string::npos) << *changed;

  HttpReply reset = Http(server->port(), "POST", "/__wsmock/reset");
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.body, R"({"status":"ok","mode":"serve","clients":1,"tickIndex":2})");
  // The station is pushed back as it was, as a tick pushes it.
  std::optional<std::string> restored = client->Receive();
  ASSERT_TRUE(restored.has_value());
  EXPECT_NE(restored->find(R"("action":"stationsUpdated")"), std::string::npos) << *restored;
  EXPECT_NE(restored->find(R"("id":"station_042")"), std::string::npos) << *restored;
  EXPECT_EQ(restored->find(R"("status":"error")"), std::string::npos) << *restored;
  EXPECT_EQ(Http(server->port(), "GET", "/__wsmock/requests").body, R"({"requests":[]})");

  ASSERT_TRUE(client->SendText(kById042));
  EXPECT_EQ(NextReply(client.get()), before);

  // Nothing differs from the start now: no tick and no push. The reply to
  // the next request would come after a push, so it is the next message.
  EXPECT_EQ(Http(server->port(), "POST", "/__wsmock/reset").body,
            R"({"status":"ok","mode":"serve","clients":1,"tickIndex":2})");
  ASSERT_TRUE(client->SendText(kById042));
  EXPECT_EQ(client->Receive(), before);
}

// After a reset the ticks are those after start again: with --clock and
// --tick 0 (time standing still) the same bytes, so a test's pushes do not
// depend on the tests before it.
// --tick 1000 never fires in a test, but each tick asked for moves --clock
// on by 1000 s: the reset winds it back, and the energy a tick accrues and
// its timestamps are those after start again.
TEST(JournalE2eTest, TheTicksAfterAResetAreTheTicksAfterStart) {
  std::unique_ptr<ServerProcess> server =
      StartOrFail(OnLoopback({"serve", "--tick", "1000", "--clock", "2024-01-20T10:30:00Z"}));
  ASSERT_NE(server, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  auto tick = [&]() -> std::optional<std::string> {
    if (Http(server->port(), "POST", "/__wsmock/tick").status != 200) return std::nullopt;
    return client->Receive();
  };
  const std::optional<std::string> first = tick();
  const std::optional<std::string> second = tick();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(first, second);

  HttpReply reset = Http(server->port(), "POST", "/__wsmock/reset");
  EXPECT_EQ(reset.body, R"({"status":"ok","mode":"serve","clients":1,"tickIndex":3})");
  std::optional<std::string> restored = client->Receive();
  ASSERT_TRUE(restored.has_value());
  EXPECT_NE(restored->find(R"("action":"stationsUpdated")"), std::string::npos) << *restored;
  EXPECT_EQ(tick(), first);
  EXPECT_EQ(tick(), second);
}

TEST(JournalE2eTest, ResetRewindsAReplayToTheFirstRecordedAnswers) {
  TempDir dir;
  const std::string db = dir.File("session.db");
  std::string first_answer, second_answer;
  {
    std::unique_ptr<ServerProcess> record =
        StartOrFail(OnLoopback({"record", db, "--tick", "0", "--clock", "2024-01-20T10:30:00Z"}));
    ASSERT_NE(record, nullptr);
    std::unique_ptr<WsClient> client = ConnectOrFail(*record);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(kById042));
    first_answer = NextReply(client.get()).value_or("");
    ASSERT_EQ(
        Http(record->port(), "POST", "/__wsmock/stations/station_042", R"({"status":"error"})")
            .status,
        200);
    ASSERT_TRUE(client->SendText(kById042));
    second_answer = NextReply(client.get()).value_or("");
    ASSERT_NE(first_answer, second_answer);
    client->Close();
    ASSERT_EQ(record->Stop(), 0) << record->Output();
  }
  std::unique_ptr<ServerProcess> replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  auto ask = [&] {
    EXPECT_TRUE(client->SendText(kById042));
    return NextReply(client.get()).value_or("");
  };
  EXPECT_EQ(ask(), first_answer);
  EXPECT_EQ(ask(), second_answer);
  EXPECT_EQ(ask(), second_answer);  // the last recorded answer repeats

  HttpReply reset = Http(replay->port(), "POST", "/__wsmock/reset");
  EXPECT_EQ(reset.status, 200);
  EXPECT_EQ(reset.body, R"({"status":"ok","mode":"replay","clients":1})");
  EXPECT_EQ(Http(replay->port(), "GET", "/__wsmock/requests").body, R"({"requests":[]})");
  EXPECT_EQ(ask(), first_answer);
  EXPECT_EQ(ask(), second_answer);
}

// A proxy keeps what its clients sent, not what its upstream connections
// hear back, and its reset empties the journal.
TEST(JournalE2eTest, AProxyKeepsItsClientsFramesAndResetForgetsThem) {
  TempDir dir;
  std::unique_ptr<ServerProcess> upstream = ServeQuietly();
  ASSERT_NE(upstream, nullptr);
  std::unique_ptr<ServerProcess> proxy =
      StartOrFail(OnLoopback({"record", dir.File("proxy.db"), "--upstream",
                              "ws://127.0.0.1:" + std::to_string(upstream->port()) + "/ws"}));
  ASSERT_NE(proxy, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*proxy);
  ASSERT_NE(client, nullptr);
  Ask(client.get(), kById042);
  EXPECT_EQ(Http(proxy->port(), "GET", "/__wsmock/requests").body,
            R"({"requests":[)" + Entry(1, 1, kById042) + "]}");
  EXPECT_EQ(Http(proxy->port(), "POST", "/__wsmock/reset").body,
            R"({"status":"ok","mode":"proxy","clients":1})");
  EXPECT_EQ(Http(proxy->port(), "GET", "/__wsmock/requests").body, R"({"requests":[]})");
  // The upstream saw the frame as its own client's.
  EXPECT_EQ(Http(upstream->port(), "GET", "/__wsmock/requests").body,
            R"({"requests":[)" + Entry(1, 1, kById042) + "]}");
}

// A reset winds --clock back, so its snapshot is stored with the start's
// time: replayed on timers, it still comes after the ticks before it.
TEST(JournalE2eTest, ASnapshotReplayKeepsTheTicksBeforeAResetInOrder) {
  TempDir dir;
  const std::string db = dir.File("session.db");
  std::vector<std::string> pushes;
  {
    std::unique_ptr<ServerProcess> record = StartOrFail(
        OnLoopback({"record", db, "--tick", "1000", "--clock", "2024-01-20T10:30:00Z"}));
    ASSERT_NE(record, nullptr);
    std::unique_ptr<WsClient> client = ConnectOrFail(*record);
    ASSERT_NE(client, nullptr);
    for (const char* route : {"/__wsmock/tick", "/__wsmock/tick", "/__wsmock/reset"}) {
      ASSERT_EQ(Http(record->port(), "POST", route).status, 200);
      std::optional<std::string> push = client->Receive();
      ASSERT_TRUE(push.has_value());
      pushes.push_back(*push);
    }
    client->Close();
    ASSERT_EQ(record->Stop(), 0) << record->Output();
  }
  // 1000 s of data time is half a second at this speed.
  std::unique_ptr<ServerProcess> replay =
      StartOrFail(OnLoopback({"replay", db, "--snapshots", "--speed", "2000"}));
  ASSERT_NE(replay, nullptr);
  std::unique_ptr<WsClient> client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  for (const std::string& recorded : pushes) EXPECT_EQ(client->Receive(), recorded);
}

TEST(JournalE2eTest, ASnapshotReplayRefusesToResetButForgetsItsJournal) {
  TempDir dir;
  const std::string db = dir.File("session.db");
  {
    std::unique_ptr<ServerProcess> record = StartOrFail(OnLoopback({"record", db, "--tick", "0"}));
    ASSERT_NE(record, nullptr);
    ASSERT_EQ(record->Stop(), 0) << record->Output();
  }
  std::unique_ptr<ServerProcess> replay =
      StartOrFail(OnLoopback({"replay", db, "--snapshots", "--speed", "0"}));
  ASSERT_NE(replay, nullptr);
  HttpReply reset = Http(replay->port(), "POST", "/__wsmock/reset");
  EXPECT_EQ(reset.status, 409);
  EXPECT_NE(reset.body.find("DELETE /__wsmock/requests"), std::string::npos) << reset.body;
  EXPECT_EQ(Http(replay->port(), "DELETE", "/__wsmock/requests").status, 200);
}

}  // namespace
}  // namespace wsmock
