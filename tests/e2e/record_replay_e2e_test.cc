// End-to-end tests of `wsmock record` and `wsmock replay`: real binaries,
// real sockets, real session files.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/session_store.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock {
namespace {

using testing::ConnectOrFail;
using testing::OnLoopback;
using testing::RunWsmock;
using testing::ServerProcess;
using testing::StartOrFail;
using testing::TempDir;
using testing::WithoutRequestId;
using testing::WsClient;

std::string ById(const std::string& id, const std::string& request_id) {
  return R"({"type":"request","action":"getStationById","data":{"stationId":")" + id +
         R"("},"requestId":)" + request_id + "}";
}
const char kPage[] =
    R"({"type":"request","action":"getStations","data":{"fields":["id","status"],"pagination":{"page":2,"limit":5}},"requestId":"p1"})";
const char kPageReordered[] =
    R"({ "requestId":"p2", "data":{"pagination":{"limit":5,"page":2}, "fields":["id","status"]}, "action":"getStations", "type":"request"})";

// The session and connection lines of a proxy recording with one
// connection, as `wsmock import` reads them; its message lines follow.
const std::string kProxySessionHead =
    R"({"type":"session","format":1,"id":1,"startedAt":"1970-01-01T00:00:01.000Z","startedAtUs":1000000,"endedAtUs":9000000,"mode":"proxy","wsmockVersion":"0.1.0","options":{},"upstream":"ws://backend/ws"})"
    "\n"
    R"({"type":"connection","session":1,"id":1,"openedAtUs":1000000,"closedAtUs":9000000,"peer":"127.0.0.1","path":"/ws","closeCode":1000})"
    "\n";

// Sends each request on `client` and collects the replies (skipping updates).
std::vector<std::string> AskAll(WsClient* client, const std::vector<std::string>& requests) {
  std::vector<std::string> replies;
  for (const std::string& r : requests) {
    EXPECT_TRUE(client->SendText(r));
    if (std::optional<std::string> reply = testing::NextReply(client)) replies.push_back(*reply);
  }
  return replies;
}

// Records a session: the requests below on one connection, then SIGTERM.
std::vector<std::string> RecordSession(const std::string& db,
                                       const std::vector<std::string>& requests,
                                       std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"record", db, "--clock", "2024-01-20T10:30:00Z", "--tick", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto server = StartOrFail(OnLoopback(args));
  if (!server) return {};
  auto client = ConnectOrFail(*server);
  if (!client) return {};
  std::vector<std::string> replies = AskAll(client.get(), requests);
  client->Close();
  EXPECT_EQ(server->Stop(), 0) << server->Output();
  return replies;
}

TEST(RecordReplayE2eTest, ReplayGivesTheRecordedBytesButForRequestId) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  std::vector<std::string> recorded =
      RecordSession(db, {ById("station_001", "\"r1\""), ById("station_099", "2"), kPage,
                         ById("nope", "\"r3\""), "{not json"});
  ASSERT_EQ(recorded.size(), 5u);
  auto replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  std::vector<std::string> replayed =
      AskAll(client.get(), {ById("station_001", "7"), ById("station_099", "\"x\""), kPageReordered,
                            ById("nope", "\"r9\""), "{not json"});
  ASSERT_EQ(replayed.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(WithoutRequestId(replayed[i]), WithoutRequestId(recorded[i])) << i;
  }
  // requestId is the incoming one, with its JSON type.
  EXPECT_NE(replayed[0].find("\"requestId\":7}"), std::string::npos) << replayed[0];
  EXPECT_NE(replayed[1].find("\"requestId\":\"x\"}"), std::string::npos) << replayed[1];
  EXPECT_NE(replayed[2].find("\"requestId\":\"p2\"}"), std::string::npos) << replayed[2];
  EXPECT_NE(replayed[3].find("STATION_NOT_FOUND"), std::string::npos);
  EXPECT_NE(replayed[4].find("INVALID_JSON"), std::string::npos);
  EXPECT_EQ(replay->Stop(), 0);
}

TEST(RecordReplayE2eTest, UnrecordedRequestGetsNoRecordingAndStrictFails) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1"), ById("station_002", "2")}).size(), 2u);
  const std::string report = dir.File("report.json");
  const std::string junit = dir.File("report.xml");
  auto replay =
      StartOrFail(OnLoopback({"replay", db, "--strict", "--report", report, "--junit", junit}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  auto replies = AskAll(client.get(), {ById("station_001", "1"), ById("station_003", "3")});
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_NE(replies[1].find("\"code\":\"NO_RECORDING\""), std::string::npos) << replies[1];
  EXPECT_NE(replies[1].find("\"requestId\":3"), std::string::npos) << replies[1];
  // The connection stays usable.
  EXPECT_EQ(AskAll(client.get(), {ById("station_001", "4")}).size(), 1u);
  EXPECT_EQ(replay->Stop(), 1);
  std::string log = replay->Output();
  EXPECT_NE(log.find("1 unmatched"), std::string::npos) << log;
  EXPECT_NE(log.find("strict replay"), std::string::npos) << log;
  std::string json_report = testing::ReadFile(report);
  auto parsed = json::Parse(json_report);
  ASSERT_TRUE(parsed.ok()) << json_report;
  EXPECT_NE(json_report.find("station_003"), std::string::npos);
  EXPECT_NE(json_report.find("station_002"), std::string::npos) << "unused request listed";
  std::string xml = testing::ReadFile(junit);
  EXPECT_NE(xml.find("<failure"), std::string::npos) << xml;
}

TEST(RecordReplayE2eTest, ExitAfterStopsTheReplayWithTheStrictVerdict) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  auto replay = StartOrFail(OnLoopback({"replay", db, "--strict", "--exit-after", "2"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  auto replies = AskAll(client.get(), {ById("station_001", "1"), ById("station_001", "2")});
  EXPECT_EQ(replies.size(), 2u);
  EXPECT_TRUE(client->WaitClosed(10000));
  EXPECT_EQ(replay->Stop(SIGTERM, 10000), 0) << replay->Output();
}

TEST(RecordReplayE2eTest, IdleTimeoutStopsTheReplayByItself) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  auto result = RunWsmock(OnLoopback({"replay", db, "--idle-timeout", "0.3", "--strict"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("Idle for 300 ms: stopping"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("1 recorded request never asked for"), std::string::npos) << result.err;
}

// Idle means no client: one that is connected but quiet for longer than the
// timeout (waiting for a push, say) keeps the replay running, and the clock
// starts once it leaves.
TEST(RecordReplayE2eTest, IdleTimeoutWaitsForTheLastClientToLeave) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  auto replay = StartOrFail(OnLoopback({"replay", db, "--idle-timeout", "0.3"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  // Three idle timeouts without a frame either way.
  EXPECT_FALSE(client->Receive(900).has_value());
  ASSERT_FALSE(client->closed()) << replay->Output();
  EXPECT_EQ(AskAll(client.get(), {ById("station_001", "2")}).size(), 1u) << replay->Output();
  EXPECT_EQ(replay->Output().find("Idle for"), std::string::npos) << replay->Output();
  client->Close();
  EXPECT_EQ(replay->WaitForExit(10000), 0) << replay->Output();
  EXPECT_NE(replay->Output().find("Idle for 300 ms: stopping"), std::string::npos)
      << replay->Output();
}

TEST(RecordReplayE2eTest, PushesReplayInRecordedOrder) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  std::vector<std::string> recorded_updates;
  {
    auto server = StartOrFail(
        OnLoopback({"record", db, "--clock", "2024-01-20T10:30:00Z", "--tick", "0.05"}));
    ASSERT_NE(server, nullptr);
    auto client = ConnectOrFail(*server);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(ById("station_001", "1")));
    for (int i = 0; i < 50 && recorded_updates.size() < 3; ++i) {
      auto m = client->Receive(5000);
      ASSERT_TRUE(m.has_value());
      if (m->find("\"type\":\"update\"") != std::string::npos) recorded_updates.push_back(*m);
    }
    client->Close();
    EXPECT_EQ(server->Stop(), 0);
  }
  ASSERT_EQ(recorded_updates.size(), 3u);
  for (const char* speed : {"0", "1", "4"}) {
    auto replay = StartOrFail(OnLoopback({"replay", db, "--speed", speed}));
    ASSERT_NE(replay, nullptr);
    auto client = ConnectOrFail(*replay);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(ById("station_001", "1")));
    std::vector<std::string> updates;
    for (int i = 0; i < 50 && updates.size() < 3; ++i) {
      auto m = client->Receive(5000);
      ASSERT_TRUE(m.has_value()) << "speed " << speed;
      if (m->find("\"type\":\"update\"") != std::string::npos) updates.push_back(*m);
    }
    EXPECT_EQ(updates, recorded_updates) << "speed " << speed;
  }
}

TEST(RecordReplayE2eTest, RecordAppendsSessionsAndOverwriteStartsFresh) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  ASSERT_EQ(RecordSession(db, {ById("station_002", "1")}).size(), 1u);
  {
    auto opened = store::Database::Open(db, store::OpenMode::kReadOnly);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store::SessionStore store(opened->get());
    auto sessions = store.ListSessions();
    ASSERT_TRUE(sessions.ok());
    ASSERT_EQ(sessions->size(), 2u);
    EXPECT_EQ((*sessions)[0].mode, "record");
    EXPECT_EQ((*sessions)[1].message_count, 2);
    EXPECT_NE((*sessions)[0].options_json.find("\"seed\":42"), std::string::npos);
  }
  ASSERT_EQ(RecordSession(db, {ById("station_003", "1")}, {"--overwrite"}).size(), 1u);
  auto opened = store::Database::Open(db, store::OpenMode::kReadOnly);
  ASSERT_TRUE(opened.ok());
  store::SessionStore store(opened->get());
  auto sessions = store.ListSessions();
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->size(), 1u);
}

// A recording, then a run that recorded nothing (aborted, or serve --db):
// replay takes the latest session, as documented, and says where the
// messages are.
TEST(RecordReplayE2eTest, AnEmptyLatestSessionPointsToTheEarlierOneWithMessages) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_042", "1")}).size(), 1u);
  ASSERT_EQ(RecordSession(db, {}).size(), 0u);
  auto replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  EXPECT_TRUE(
      replay->WaitForOutput("WARNING - Session 2, the latest of " + db +
                            ", recorded no message; session 1 has 2: replay it with --session 1"))
      << replay->Output();
  // Asked for by number, it is replayed without a word.
  auto asked = StartOrFail(OnLoopback({"replay", db, "--session", "2"}));
  ASSERT_NE(asked, nullptr);
  EXPECT_EQ(asked->Output().find("WARNING"), std::string::npos) << asked->Output();
}

TEST(RecordReplayE2eTest, ASecondRecorderOfOneFileIsRefusedAndTheFirstGoesOn) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto first = StartOrFail(OnLoopback({"record", db, "--tick", "0"}));
  ASSERT_NE(first, nullptr);
  testing::RunResult second = RunWsmock(OnLoopback({"record", db, "--tick", "0"}));
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find(db + ": in use: another wsmock is writing to it"), std::string::npos)
      << second.err;
  auto client = ConnectOrFail(*first);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(AskAll(client.get(), {ById("station_001", "1")}).size(), 1u);
  client->Close();
  EXPECT_EQ(first->Stop(), 0) << first->Output();
}

// A recording made with --subprotocol (a GraphQL-over-WebSocket app asks for
// one) replays to the same clients without the flag again.
TEST(RecordReplayE2eTest, ReplayAcceptsTheSubprotocolsTheRecordingAccepted) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  testing::ClientOptions graphql;
  graphql.subprotocol = "graphql-ws";
  std::string recorded;
  {
    auto server = StartOrFail(OnLoopback({"record", db, "--tick", "0", "--clock",
                                          "2024-01-20T10:30:00Z", "--subprotocol", "graphql-ws"}));
    ASSERT_NE(server, nullptr);
    std::string error;
    auto client = WsClient::Connect(server->port(), graphql, &error);
    ASSERT_NE(client, nullptr) << error;
    std::vector<std::string> replies = AskAll(client.get(), {ById("station_007", "1")});
    ASSERT_EQ(replies.size(), 1u);
    recorded = replies[0];
    client->Close();
    EXPECT_EQ(server->Stop(), 0);
  }
  auto replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  std::string error;
  auto client = WsClient::Connect(replay->port(), graphql, &error);
  ASSERT_NE(client, nullptr) << error;
  EXPECT_EQ(AskAll(client.get(), {ById("station_007", "1")}), std::vector<std::string>{recorded});
}

TEST(RecordReplayE2eTest, SnapshotReplayAnswersNewQueriesFromRecordedData) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  std::vector<std::string> recorded = RecordSession(db, {ById("station_042", "1")});
  ASSERT_EQ(recorded.size(), 1u);
  auto replay = StartOrFail(OnLoopback({"replay", db, "--snapshots"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  // A query the recording never saw, and the recorded one.
  auto replies = AskAll(client.get(), {kPage, ById("station_042", "1")});
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_NE(replies[0].find("\"id\":\"station_006\""), std::string::npos) << replies[0];
  EXPECT_EQ(replies[1], recorded[0]);
}

TEST(RecordReplayE2eTest, ServeFromStartsAtARecordedSnapshot) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  std::vector<std::string> recorded =
      RecordSession(db, {ById("station_042", "1")}, {"--seed", "7"});
  ASSERT_EQ(recorded.size(), 1u);
  auto server =
      StartOrFail(OnLoopback({"serve", "--from", db, "--tick-index", "0", "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  auto client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  auto replies = AskAll(client.get(), {ById("station_042", "1")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], recorded[0]);
  auto missing = RunWsmock(OnLoopback({"serve", "--from", db, "--tick-index", "9"}));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no tick 9"), std::string::npos) << missing.err;
}

// What --from served are the recorded stations; the session's options name
// the file and keep no --stations count, which did not run.
TEST(RecordReplayE2eTest, ServeFromStoresTheFileAndNoStationCount) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_042", "1")}, {"--stations", "50"}).size(), 1u);
  auto server =
      StartOrFail(OnLoopback({"serve", "--from", db, "--db", dir.File("out.db"), "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->Stop(), 0) << server->Output();
  testing::Recording out = testing::ReadRecording(dir.File("out.db"), testing::WhichSession::kLast);
  ASSERT_EQ(out.sessions.size(), 1u);
  const std::string& options = out.sessions[0].options_json;
  EXPECT_NE(options.find("\"from\":\"" + db + "\""), std::string::npos) << options;
  EXPECT_EQ(options.find("\"stations\""), std::string::npos) << options;
}

TEST(RecordReplayE2eTest, AVirtualClockLeavesOffsetsInRealTimeSinceTheConnectionOpened) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  // --clock stops data time in 2024; the recording's offsets stay real.
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1"), ById("nope", "2"), "{not json"}).size(),
            3u);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  auto opened = store::Database::Open(db, store::OpenMode::kReadOnly);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store::SessionStore store(opened->get());
  auto messages = store.Messages(1);
  ASSERT_TRUE(messages.ok()) << messages.status().message();
  ASSERT_EQ(messages->size(), 6u);
  Micros previous = 0;
  for (const store::MessageRow& m : *messages) {
    EXPECT_GE(m.offset, previous) << m.seq;
    EXPECT_LE(m.offset, elapsed) << m.seq;
    previous = m.offset;
  }
}

TEST(RecordReplayE2eTest, TheAnswerToABinaryFrameIsRecordedAsAnErrorNotReplayedAsAPush) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  {
    auto record = StartOrFail(OnLoopback({"record", db, "--tick", "0"}));
    ASSERT_NE(record, nullptr);
    auto client = ConnectOrFail(*record);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendBinary(std::string("\x00\xff", 2)));
    auto error = client->Receive(5000);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("binary frames are not supported"), std::string::npos) << *error;
    EXPECT_EQ(AskAll(client.get(), {ById("station_001", "1")}).size(), 1u);
    client->Close();
    EXPECT_EQ(record->Stop(), 0) << record->Output();
  }
  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(recording.messages.size(), 4u);
  EXPECT_EQ(recording.messages[1].kind, "error");
  // At --speed 0 a push recorded before any request would go out at once.
  auto replay = StartOrFail(OnLoopback({"replay", db, "--speed", "0"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(ById("station_001", "2")));
  auto first = client->Receive(5000);
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find("\"type\":\"response\""), std::string::npos) << *first;
}

// A proxied backend may speak binary: replay keys a binary request by its
// bytes (apart from a text frame of the same bytes) and sends binary answers
// and pushes back as binary frames.
TEST(RecordReplayE2eTest, BinaryFramesReplayAsBinary) {
  TempDir dir;
  const std::string jsonl = dir.File("bin.jsonl");
  const std::string db = dir.File("bin.db");
  testing::WriteFile(
      jsonl,
      kProxySessionHead +
          R"({"type":"message","connection":1,"seq":1,"offsetUs":10,"direction":"in","kind":"other","action":null,"requestId":null,"base64":"YWI="})"
      "\n"
      R"({"type":"message","connection":1,"seq":2,"offsetUs":20,"direction":"out","kind":"other","action":null,"requestId":null,"base64":"AQID"})"
      "\n"
      R"({"type":"message","connection":1,"seq":3,"offsetUs":30,"direction":"out","kind":"other","action":null,"requestId":null,"base64":"BAU="})"
      "\n");
  testing::RunResult imported = testing::RunWsmock({"import", jsonl, db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.err, "Imported session 1 into " + db + " (1 connection, 3 messages)\n");
  EXPECT_EQ(imported.out, "");

  auto replay = StartOrFail(OnLoopback({"replay", db, "--speed", "0", "--strict"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendBinary("ab"));
  auto answer = client->Receive(5000);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(*answer, std::string("\x01\x02\x03", 3));
  EXPECT_TRUE(client->last_was_binary());
  auto push = client->Receive(5000);  // recorded after the answer: due once it went out
  ASSERT_TRUE(push.has_value());
  EXPECT_EQ(*push, std::string("\x04\x05", 2));
  EXPECT_TRUE(client->last_was_binary());
  // The same bytes in a text frame are another request, which nothing answers.
  ASSERT_TRUE(client->SendText("ab"));
  auto missing = client->Receive(5000);
  ASSERT_TRUE(missing.has_value());
  EXPECT_NE(missing->find("NO_RECORDING"), std::string::npos) << *missing;
  EXPECT_FALSE(client->last_was_binary());
  client->Close();
  EXPECT_EQ(replay->Stop(), 1) << replay->Output();  // --strict: the text frame had no answer
  EXPECT_NE(replay->Output().find("Replayed binary frame of 2 bytes: 6162"), std::string::npos)
      << replay->Output();
}

// A message the backend never answered (a subscribe, whose effect is the
// pushes after it) replays as it was recorded: with silence, not a
// NO_RECORDING error, and its pushes follow it; --strict counts it matched.
TEST(RecordReplayE2eTest, ARequestRecordedWithoutAnAnswerIsAnsweredWithSilence) {
  TempDir dir;
  const std::string jsonl = dir.File("subscribe.jsonl");
  const std::string db = dir.File("subscribe.db");
  const std::string push = R"({"type":"update","action":"stationsUpdate","data":{"n":1}})";
  testing::WriteFile(
      jsonl,
      kProxySessionHead +
          R"({"type":"message","connection":1,"seq":1,"offsetUs":10,"direction":"in","kind":"request","action":"subscribe","requestId":"\"s1\"","json":{"type":"request","action":"subscribe","data":{"topic":"status"},"requestId":"s1"}})"
      "\n"
      R"({"type":"message","connection":1,"seq":2,"offsetUs":20,"direction":"out","kind":"update","action":"stationsUpdate","requestId":null,"json":)" +
          push +
          "}\n"
          R"({"type":"message","connection":1,"seq":3,"offsetUs":30,"direction":"in","kind":"request","action":"getStats","requestId":"\"r2\"","json":{"type":"request","action":"getStats","data":{},"requestId":"r2"}})"
          "\n"
          R"({"type":"message","connection":1,"seq":4,"offsetUs":40,"direction":"out","kind":"response","action":"getStats","requestId":"\"r2\"","json":{"type":"response","action":"getStats","data":{"ok":true},"requestId":"r2"}})"
          "\n");
  testing::RunResult imported = testing::RunWsmock({"import", jsonl, db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  auto replay = StartOrFail(OnLoopback({"replay", db, "--speed", "0", "--strict"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(
      R"({"type":"request","action":"subscribe","data":{"topic":"status"},"requestId":"x9"})"));
  auto first = client->Receive(5000);  // the push, due once the subscribe was "answered"
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, push);
  ASSERT_TRUE(
      client->SendText(R"({"type":"request","action":"getStats","data":{},"requestId":"r7"})"));
  auto second = client->Receive(5000);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, R"({"type":"response","action":"getStats","data":{"ok":true},"requestId":"r7"})");
  client->Close();
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
  EXPECT_NE(replay->Output().find("Replayed subscribe {\"topic\":\"status\"} (ID: \"x9\"): no "
                                  "answer, as recorded"),
            std::string::npos)
      << replay->Output();
  EXPECT_NE(replay->Output().find("2 requests, 2 matched"), std::string::npos) << replay->Output();
}

// --per-connection: every connection hears a request's recorded answers
// from the first, so a second test run against the same replay (or tests
// in another order) gets the same bytes as the first.
TEST(RecordReplayE2eTest, PerConnectionStartsEveryConnectionAtTheFirstAnswer) {
  TempDir dir;
  const std::string jsonl = dir.File("two.jsonl");
  const std::string db = dir.File("two.db");
  const std::string request =
      R"("json":{"type":"request","action":"getStationById","data":{"stationId":"station_017"},"requestId":)";
  auto message = [](int seq, const std::string& direction, const std::string& kind,
                    const std::string& body) {
    return R"({"type":"message","connection":1,"seq":)" + std::to_string(seq) + R"(,"offsetUs":)" +
           std::to_string(seq * 10) + R"(,"direction":")" + direction + R"(","kind":")" + kind +
           R"(","action":"getStationById","requestId":")" + std::to_string((seq + 1) / 2) +
           R"(",)" + body + "}\n";
  };
  auto answer = [](const std::string& status, int id) {
    return R"("json":{"type":"response","action":"getStationById","data":{"status":")" + status +
           R"("},"requestId":")" + std::to_string(id) + R"("})";
  };
  testing::WriteFile(
      jsonl,
      std::string(
          R"({"type":"session","format":1,"id":1,"startedAt":"1970-01-01T00:00:01.000Z","startedAtUs":1000000,"endedAtUs":9000000,"mode":"record","wsmockVersion":"0.1.0","options":{},"upstream":null})"
          "\n"
          R"({"type":"connection","session":1,"id":1,"openedAtUs":1000000,"closedAtUs":9000000,"peer":"127.0.0.1","path":"/ws","closeCode":1000})"
          "\n") +
          message(1, "in", "request", request + R"("1"})") +
          message(2, "out", "response", answer("active", 1)) +
          message(3, "in", "request", request + R"("2"})") +
          message(4, "out", "response", answer("inactive", 2)));
  testing::RunResult imported = testing::RunWsmock({"import", jsonl, db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  auto replay = StartOrFail(OnLoopback({"replay", db, "--per-connection"}));
  ASSERT_NE(replay, nullptr);
  for (int run = 0; run < 2; ++run) {
    auto client = ConnectOrFail(*replay);
    ASSERT_NE(client, nullptr);
    std::vector<std::string> replies =
        AskAll(client.get(), {ById("station_017", "1"), ById("station_017", "2")});
    ASSERT_EQ(replies.size(), 2u) << "run " << run;
    EXPECT_NE(replies[0].find("\"active\""), std::string::npos) << run << ": " << replies[0];
    EXPECT_NE(replies[1].find("\"inactive\""), std::string::npos) << run << ": " << replies[1];
    client->Close();
  }
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

TEST(RecordReplayE2eTest, KillDuringRecordingLeavesAFileThatReplays) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto server = StartOrFail(OnLoopback({"record", db, "--tick", "0.05"}));
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(ConnectOrFail(*server));
    ASSERT_NE(clients.back(), nullptr);
  }
  for (int round = 0; round < 40; ++round) {
    for (auto& c : clients) {
      ASSERT_TRUE(c->SendText(ById("station_00" + std::to_string(1 + round % 9), "1")));
    }
    for (auto& c : clients) {
      for (int i = 0; i < 20; ++i) {
        auto m = c->Receive(5000);
        ASSERT_TRUE(m.has_value());
        if (m->find("\"type\":\"response\"") != std::string::npos) break;
      }
    }
  }
  // The promise is "at most the last second is lost": wait until every
  // answer above is more than a second old, then kill.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  auto opened = store::Database::Open(db, store::OpenMode::kReadOnly);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  store::SessionStore store(opened->get());
  auto session = store.LatestSessionId();
  ASSERT_TRUE(session.ok());
  auto messages = store.Messages(*session);
  ASSERT_TRUE(messages.ok());
  int requests = 0;
  for (const auto& m : *messages) requests += m.kind == "request";
  EXPECT_EQ(requests, 200);
  auto replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(AskAll(client.get(), {ById("station_001", "1")}).size(), 1u);
}

TEST(RecordReplayE2eTest, MissingSessionFileIsAUsageErrorAndIsNotCreated) {
  TempDir dir;
  auto result = RunWsmock(OnLoopback({"replay", dir.File("missing.db")}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("missing.db"), std::string::npos) << result.err;
  struct stat st;
  EXPECT_NE(stat(dir.File("missing.db").c_str(), &st), 0);
}

TEST(RecordReplayE2eTest, BadSessionFilesGiveOneLineAndExitOne) {
  TempDir dir;
  testing::WriteFile(dir.File("text.db"), "this is not a database at all, just some text\n");
  const std::string good = dir.File("good.db");
  ASSERT_EQ(RecordSession(good, {ById("station_001", "1")}).size(), 1u);
  std::string bytes = testing::ReadFile(good);
  testing::WriteFile(dir.File("truncated.db"), bytes.substr(0, bytes.size() / 2));
  // Only into the last page: SQLite read the missing bytes as zeros, and the
  // last snapshot as no stations, with exit 0.
  testing::WriteFile(dir.File("short.db"), bytes.substr(0, bytes.size() - 2000));
  for (const char* name : {"text.db", "truncated.db", "short.db"}) {
    for (std::vector<std::string> args : {OnLoopback({"replay", dir.File(name)}),
                                          OnLoopback({"replay", dir.File(name), "--snapshots"}),
                                          OnLoopback({"serve", "--from", dir.File(name)}),
                                          {"export", dir.File(name)}}) {
      // Bounded: a file that is not refused is served until killed.
      auto result = RunWsmock(args, "", 10000);
      EXPECT_EQ(result.exit_code, 1) << name << " " << args[0] << ": " << result.err;
      EXPECT_NE(result.err.find(name), std::string::npos) << result.err;
      EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
    }
  }
  auto result = RunWsmock({"sessions", dir.File("short.db")});
  EXPECT_NE(
      result.err.find("short.db: truncated: " + std::to_string(bytes.size() - 2000) +
                      " bytes of the " + std::to_string(bytes.size()) + " its header promises"),
      std::string::npos)
      << result.err;
}

TEST(RecordReplayE2eTest, ARecordThatCannotListenLeavesTheFileAsItWasEvenWithOverwrite) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  auto busy = StartOrFail(OnLoopback({"serve", "--tick", "0"}));
  ASSERT_NE(busy, nullptr);
  const std::vector<std::vector<std::string>> failing = {
      {"record", db, "--overwrite", "--host", "127.0.0.1", "--port", std::to_string(busy->port()),
       "--no-ssl"},
      {"record", db, "--overwrite", "--upstream", "ws://127.0.0.1:1/ws", "--host", "127.0.0.1",
       "--port", std::to_string(busy->port()), "--no-ssl"},
      OnLoopback({"record", db, "--overwrite", "--tls-cert", dir.File("none.pem"), "--tls-key",
                  dir.File("none.key")},
                 /*tls=*/true)};
  for (const std::vector<std::string>& args : failing) {
    auto result = RunWsmock(args);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    testing::Recording kept = testing::ReadRecording(db, testing::WhichSession::kLast);
    ASSERT_EQ(kept.sessions.size(), 1u) << result.err;
    EXPECT_EQ(kept.messages.size(), 2u);
  }
}

TEST(RecordReplayE2eTest, RecordingOntoAForeignFileFailsWithoutTouchingIt) {
  TempDir dir;
  const std::string path = dir.File("notes.txt");
  testing::WriteFile(path, "precious notes\n");
  auto result = RunWsmock(OnLoopback({"record", path}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("notes.txt"), std::string::npos) << result.err;
  EXPECT_EQ(testing::ReadFile(path), "precious notes\n");
}

// wsmock's own close code is the one logged and recorded, also when lws
// sends it by itself (invalid UTF-8 in a text frame: 1007), not 1006.
TEST(RecordReplayE2eTest, CloseForInvalidUtf8IsLoggedAndRecordedAs1007) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  auto server = StartOrFail(OnLoopback({"record", db, "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  auto client = ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText("\xff\xfe"));
  int code = 0;
  ASSERT_TRUE(client->WaitClosed(5000, &code));
  EXPECT_EQ(code, 1007);
  EXPECT_TRUE(server->WaitForOutput("Client disconnected (code 1007)")) << server->Output();
  EXPECT_EQ(server->Stop(), 0) << server->Output();
  testing::Recording recording = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(recording.connections.size(), 1u);
  EXPECT_EQ(recording.connections[0].close_code, 1007);
}

}  // namespace
}  // namespace wsmock
