// End-to-end tests of `wsmock replay --record-missing`: a real recording,
// a real replay that answers what the recording lacks from the generator or
// from a real `wsmock serve` upstream and appends it to the file, and a
// later plain replay that answers it from the file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/session_store.h"
#include "store/unprivileged.h"
#include "support/handshake_gate.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock {
namespace {

using testing::AskAll;
using testing::ConnectOrFail;
using testing::NextReply;
using testing::OnLoopback;
using testing::RunWsmock;
using testing::ServerProcess;
using testing::StartOrFail;
using testing::TempDir;
using testing::WithoutRequestId;
using testing::WsClient;

constexpr char kClock[] = "2024-01-20T10:30:00Z";

std::string ById(const std::string& id, const std::string& request_id) {
  return R"({"type":"request","action":"getStationById","data":{"stationId":")" + id +
         R"("},"requestId":)" + request_id + "}";
}

bool IsUpdate(const std::string& message) {
  return message.find("\"type\":\"update\"") != std::string::npos;
}

// Records `requests` on one connection with a fixed clock and no ticks.
std::vector<std::string> RecordSession(const std::string& db,
                                       const std::vector<std::string>& requests,
                                       std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"record", db, "--clock", kClock, "--tick", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto server = StartOrFail(OnLoopback(args));
  if (!server) return {};
  std::vector<std::string> replies = AskAll(*server, requests);
  EXPECT_EQ(server->Stop(), 0) << server->Output();
  return replies;
}

// `wsmock serve` with a fixed clock and no ticks: the same bytes for the same
// request on every run.
std::unique_ptr<ServerProcess> StartServe(const std::string& seed) {
  return StartOrFail(OnLoopback({"serve", "--seed", seed, "--clock", kClock, "--tick", "0"}));
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RecordMissingE2eTest, NewRequestsComeFromTheSessionsGeneratorAndReplayLater) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  const std::vector<std::string> recorded =
      RecordSession(db, {ById("station_001", "1"), ById("station_002", "2")}, {"--seed", "7"});
  ASSERT_EQ(recorded.size(), 2u);
  std::string expected_new;  // what `serve --seed 7` answers, as the session was made
  {
    auto serve = StartServe("7");
    ASSERT_NE(serve, nullptr);
    std::vector<std::string> direct = AskAll(*serve, {ById("station_003", "\"b\"")});
    ASSERT_EQ(direct.size(), 1u);
    expected_new = direct[0];
  }

  const std::string report = dir.File("report.json");
  {
    auto replay =
        StartOrFail(OnLoopback({"replay", db, "--record-missing", "--strict", "--report", report}));
    ASSERT_NE(replay, nullptr);
    std::vector<std::string> replies =
        AskAll(*replay, {ById("station_001", "\"a\""), ById("station_003", "\"b\"")});
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(WithoutRequestId(replies[0]), WithoutRequestId(recorded[0]));
    EXPECT_TRUE(Contains(replies[0], R"("requestId":"a")")) << replies[0];
    EXPECT_EQ(replies[1], expected_new);
    // --strict passes: the new request was recorded now, not missed.
    EXPECT_EQ(replay->Stop(), 0) << replay->Output();
    const std::string log = replay->Output();
    EXPECT_TRUE(Contains(log,
                         "Recording missing answers from the generator (seed 7, 100 "
                         "stations) into session 1"))
        << log;
    EXPECT_TRUE(Contains(log, R"(Replayed getStationById {"stationId":"station_001"})")) << log;
    EXPECT_TRUE(Contains(log, R"(Recorded getStationById {"stationId":"station_003"})")) << log;
    EXPECT_TRUE(Contains(log, "1 matched, 1 recorded now, 0 unmatched")) << log;
    EXPECT_TRUE(Contains(log, "Appended 1 new exchange to ")) << log;
  }
  std::string json_report = testing::ReadFile(report);
  EXPECT_TRUE(Contains(json_report, R"("requests":2,"matched":1,)")) << json_report;
  EXPECT_TRUE(Contains(json_report,
                       R"("recorded":[{"request":"getStationById {\"stationId\":\"station_003\"}",)"
                       R"("count":1}])"))
      << json_report;

  // Appended to the replayed session: one new connection, the exchange in it.
  testing::Recording file = testing::ReadRecording(db, testing::WhichSession::kFirst);
  ASSERT_EQ(file.sessions.size(), 1u);
  ASSERT_EQ(file.connections.size(), 2u);
  EXPECT_EQ(file.connections[1].id, 2);
  EXPECT_GT(file.connections[1].opened_at, *file.sessions[0].ended_at);
  ASSERT_EQ(file.messages.size(), 6u);
  EXPECT_EQ(file.messages[4].direction, "in");
  EXPECT_EQ(file.messages[4].payload, ById("station_003", "\"b\""));
  EXPECT_EQ(file.messages[5].direction, "out");
  EXPECT_EQ(file.messages[5].payload, expected_new);

  // A plain replay answers it from the file, byte for byte but the requestId.
  auto replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  std::vector<std::string> replies =
      AskAll(*replay, {ById("station_003", "42"), ById("station_002", "\"c\"")});
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(WithoutRequestId(replies[0]), WithoutRequestId(expected_new));
  EXPECT_TRUE(Contains(replies[0], R"("requestId":42})")) << replies[0];
  EXPECT_EQ(WithoutRequestId(replies[1]), WithoutRequestId(recorded[1]));
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

TEST(RecordMissingE2eTest, NewRequestsGoToTheUpstreamAndReplayLater) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  // Recorded with seed 7, so that the upstream's seed 42 answers differ.
  const std::vector<std::string> recorded =
      RecordSession(db, {ById("station_001", "1")}, {"--seed", "7"});
  ASSERT_EQ(recorded.size(), 1u);
  auto upstream = StartServe("42");
  ASSERT_NE(upstream, nullptr);
  const std::vector<std::string> news = {ById("station_003", "\"n1\""),
                                         ById("station_004", "\"n2\""), ById("station_005", "5")};
  const std::vector<std::string> direct = AskAll(*upstream, news);
  ASSERT_EQ(direct.size(), 3u);
  const std::string url = "ws://127.0.0.1:" + std::to_string(upstream->port()) + "/ws";

  std::vector<std::string> relayed;
  {
    auto replay = StartOrFail(OnLoopback({"replay", db, "--record-missing", "--upstream", url}));
    ASSERT_NE(replay, nullptr);
    auto client = ConnectOrFail(*replay);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(ById("station_001", "\"r\"")));
    std::optional<std::string> replayed = NextReply(client.get());
    ASSERT_TRUE(replayed.has_value());
    EXPECT_EQ(WithoutRequestId(*replayed), WithoutRequestId(recorded[0])) << "from the file";
    // All three in flight at once: each answer is paired by its requestId.
    for (const std::string& request : news) ASSERT_TRUE(client->SendText(request));
    for (size_t i = 0; i < news.size(); ++i) {
      std::optional<std::string> reply = NextReply(client.get());
      ASSERT_TRUE(reply.has_value()) << i;
      relayed.push_back(*reply);
    }
    client->Close();
    EXPECT_EQ(relayed, direct);
    EXPECT_EQ(replay->Stop(), 0) << replay->Output();
    EXPECT_TRUE(Contains(replay->Output(), "Recording missing answers from upstream " + url))
        << replay->Output();
  }
  EXPECT_EQ(upstream->Stop(), 0);

  testing::Recording file = testing::ReadRecording(db, testing::WhichSession::kFirst);
  ASSERT_EQ(file.connections.size(), 2u);
  EXPECT_EQ(file.messages.size(), 2u + 6u);
  auto replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  std::vector<std::string> replies = AskAll(*replay, news);
  ASSERT_EQ(replies.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(replies[i], direct[i]) << i;
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

// A session keeps its fixture's absolute path: --record-missing reads the
// fixture again, and may well run from another directory than record did.
TEST(RecordMissingE2eTest, ARelativeFixtureIsFoundFromAnotherDirectory) {
  TempDir dir;
  testing::WriteFile(dir.File("st.json"),
                     testing::ReadFile(WSMOCK_SOURCE_DIR "/fixtures/stations_small.json"));
  std::string error;
  {
    auto record = testing::ServerProcess::Start(
        OnLoopback({"record", "s.db", "--fixture", "st.json", "--tick", "0"}), &error, dir.path());
    ASSERT_NE(record, nullptr) << error;
    EXPECT_EQ(record->Stop(), 0) << record->Output();
  }
  testing::Recording file = testing::ReadRecording(dir.File("s.db"), testing::WhichSession::kLast);
  ASSERT_EQ(file.sessions.size(), 1u);
  // The working directory as the process saw it: symlinks resolved.
  const std::string fixture = (std::filesystem::canonical(dir.path()) / "st.json").string();
  EXPECT_TRUE(Contains(file.sessions[0].options_json, "\"fixture\":\"" + fixture + "\""))
      << file.sessions[0].options_json;
  // The fixture's stations ran, not --stations' default of 100.
  EXPECT_FALSE(Contains(file.sessions[0].options_json, "\"stations\""))
      << file.sessions[0].options_json;
  auto replay = testing::ServerProcess::Start(
      OnLoopback({"replay", dir.File("s.db"), "--record-missing"}), &error, "/");
  ASSERT_NE(replay, nullptr) << error;
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

// A recording served --from a file keeps the session and tick it took:
// --record-missing starts from the same stations after the file gained a
// session, not from that newer one.
TEST(RecordMissingE2eTest, FromStartsFromTheSessionAndTickTheRecordingTook) {
  TempDir dir;
  const std::string from = dir.File("from.db");
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(from, {ById("station_050", "1")}, {"--stations", "50"}).size(), 1u);
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}, {"--from", from}).size(), 1u);
  testing::Recording file = testing::ReadRecording(db, testing::WhichSession::kLast);
  ASSERT_EQ(file.sessions.size(), 1u);
  EXPECT_TRUE(Contains(file.sessions[0].options_json, "\"fromSession\":1,\"tickIndex\":0"))
      << file.sessions[0].options_json;
  // The file's latest session now has 10 stations: station_050 is not one.
  ASSERT_EQ(RecordSession(from, {ById("station_001", "1")}, {"--stations", "10"}).size(), 1u);
  auto replay = StartOrFail(OnLoopback({"replay", db, "--record-missing"}));
  ASSERT_NE(replay, nullptr);
  std::vector<std::string> replies = AskAll(*replay, {ById("station_050", "2")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(Contains(replies[0], "\"id\":\"station_050\"")) << replies[0];
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

TEST(RecordMissingE2eTest, WithoutRecordMissingTheFileIsNotModified) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  struct stat before {};
  ASSERT_EQ(stat(db.c_str(), &before), 0);
  const std::string bytes = testing::ReadFile(db);

  auto replay = StartOrFail(OnLoopback({"replay", db}));
  ASSERT_NE(replay, nullptr);
  std::vector<std::string> replies =
      AskAll(*replay, {ById("station_001", "1"), ById("station_009", "2")});
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_TRUE(Contains(replies[1], "\"code\":\"NO_RECORDING\"")) << replies[1];
  EXPECT_EQ(replay->Stop(), 0);

  struct stat after {};
  ASSERT_EQ(stat(db.c_str(), &after), 0);
  EXPECT_EQ(testing::ReadFile(db), bytes);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_EQ(testing::ReadRecording(db, testing::WhichSession::kFirst).messages.size(), 2u);
}

TEST(RecordMissingE2eTest, UnreachableUpstreamAnswersNoRecordingAndTheReplayGoesOn) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  const std::vector<std::string> recorded = RecordSession(db, {ById("station_001", "1")});
  ASSERT_EQ(recorded.size(), 1u);
  int closed_port = 0;
  {
    auto gone = StartServe("42");
    ASSERT_NE(gone, nullptr);
    closed_port = gone->port();
  }
  const std::string url = "ws://127.0.0.1:" + std::to_string(closed_port) + "/ws";
  auto replay =
      StartOrFail(OnLoopback({"replay", db, "--record-missing", "--upstream", url, "--strict"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  for (const char* id : {"\"x1\"", "\"x2\""}) {  // the second miss dials again
    ASSERT_TRUE(client->SendText(ById("station_007", id)));
    std::optional<std::string> reply = NextReply(client.get());
    ASSERT_TRUE(reply.has_value()) << id;
    EXPECT_TRUE(Contains(*reply, "\"code\":\"NO_RECORDING\"")) << *reply;
    EXPECT_TRUE(Contains(*reply, "cannot reach upstream " + url)) << *reply;
    EXPECT_TRUE(Contains(*reply, std::string("\"requestId\":") + id)) << *reply;
  }
  // The connection and the server stay up; recorded requests still replay.
  ASSERT_TRUE(client->SendText(ById("station_001", "3")));
  std::optional<std::string> replayed = NextReply(client.get());
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(WithoutRequestId(*replayed), WithoutRequestId(recorded[0]));
  client->Close();
  EXPECT_TRUE(replay->WaitForOutput("Cannot reach upstream " + url)) << replay->Output();
  EXPECT_EQ(replay->Stop(), 1) << "--strict: two requests got no answer";
  EXPECT_TRUE(Contains(replay->Output(), "0 recorded now, 2 unmatched")) << replay->Output();
  testing::Recording file = testing::ReadRecording(db, testing::WhichSession::kFirst);
  EXPECT_EQ(file.connections.size(), 1u) << "nothing appended";
  EXPECT_EQ(file.messages.size(), 2u);
}

// As through record --upstream, the upstream sees who asks: the client's
// query, Cookie and Authorization reach a backend that refuses handshakes
// without them, and are neither logged nor stored.
TEST(RecordMissingE2eTest, TheClientsQueryAndCredentialsReachTheUpstream) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  auto upstream = StartServe("42");
  ASSERT_NE(upstream, nullptr);
  testing::HandshakeGate gate(upstream->port(), {"GET /ws?token=t0k3n-abc HTTP/1.1",
                                                 "Cookie: sid=c00kie-v4lue",
                                                 "Authorization: Bearer 4uth-v4lue"});
  ASSERT_TRUE(gate.ok());
  auto replay = StartOrFail(OnLoopback(
      {"replay", db, "--record-missing", "--upstream", gate.url(), "--log-level", "debug"}));
  ASSERT_NE(replay, nullptr);

  testing::ClientOptions browser;
  browser.path = "/ws?token=t0k3n-abc";
  browser.headers = {"Cookie: sid=c00kie-v4lue", "Authorization: Bearer 4uth-v4lue"};
  std::string error;
  auto client = WsClient::Connect(replay->port(), browser, &error);
  ASSERT_NE(client, nullptr) << error;
  ASSERT_TRUE(client->SendText(ById("station_003", "\"n1\"")));
  std::optional<std::string> reply = NextReply(client.get());
  ASSERT_TRUE(reply.has_value());
  EXPECT_TRUE(Contains(*reply, "\"type\":\"response\"")) << *reply;
  EXPECT_EQ(gate.refused(), 0);
  // A client without them is refused by the gate: its miss gets NO_RECORDING.
  auto anonymous = ConnectOrFail(*replay);
  ASSERT_NE(anonymous, nullptr);
  ASSERT_TRUE(anonymous->SendText(ById("station_004", "\"n2\"")));
  reply = NextReply(anonymous.get());
  ASSERT_TRUE(reply.has_value());
  EXPECT_TRUE(Contains(*reply, "\"code\":\"NO_RECORDING\"")) << *reply;
  EXPECT_EQ(gate.refused(), 1);
  client->Close();
  anonymous->Close();
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
  std::string stored = testing::ReadFile(db);
  if (std::filesystem::exists(db + "-wal")) stored += testing::ReadFile(db + "-wal");
  for (const char* secret : {"t0k3n", "c00kie-v4lue", "4uth-v4lue"}) {
    EXPECT_FALSE(Contains(replay->Output(), secret)) << secret << " logged";
    EXPECT_FALSE(Contains(stored, secret)) << secret << " stored";
  }
}

TEST(RecordMissingE2eTest, AppendedConnectionsLeaveEveryClientItsRecordedPushes) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  const std::string request = ById("station_001", "1");
  std::vector<std::string> updates;
  {
    auto server = StartOrFail(OnLoopback({"record", db, "--clock", kClock, "--tick", "0.05"}));
    ASSERT_NE(server, nullptr);
    auto client = ConnectOrFail(*server);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(request));
    for (int i = 0; i < 50 && updates.size() < 2; ++i) {
      std::optional<std::string> m = client->Receive(5000);
      ASSERT_TRUE(m.has_value());
      if (IsUpdate(*m)) updates.push_back(*m);
    }
    client->Close();
    EXPECT_EQ(server->Stop(), 0);
  }
  ASSERT_EQ(updates.size(), 2u);
  {
    auto replay = StartOrFail(OnLoopback({"replay", db, "--record-missing", "--speed", "0"}));
    ASSERT_NE(replay, nullptr);
    for (const char* station : {"station_005", "station_006"}) {  // two appended connections
      EXPECT_EQ(AskAll(*replay, {ById(station, "1")}).size(), 1u);
    }
    EXPECT_EQ(replay->Stop(), 0) << replay->Output();
  }
  ASSERT_EQ(testing::ReadRecording(db, testing::WhichSession::kFirst).connections.size(), 3u);

  // Every client still gets the recorded connection's pushes, the ones
  // beyond the recorded count included.
  auto replay = StartOrFail(OnLoopback({"replay", db, "--speed", "0"}));
  ASSERT_NE(replay, nullptr);
  for (int c = 0; c < 3; ++c) {
    auto client = ConnectOrFail(*replay);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(request));
    std::vector<std::string> got;
    for (int i = 0; i < 10 && got.size() < 2; ++i) {
      std::optional<std::string> m = client->Receive(5000);
      ASSERT_TRUE(m.has_value()) << "client " << c;
      if (IsUpdate(*m)) got.push_back(*m);
    }
    EXPECT_EQ(got, updates) << "client " << c;
    client->Close();
  }
}

TEST(RecordMissingE2eTest, AnsweredExchangesSurviveKillNine) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  auto replay = StartOrFail(OnLoopback({"replay", db, "--record-missing"}));
  ASSERT_NE(replay, nullptr);
  auto client = ConnectOrFail(*replay);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendText(ById("station_008", "8")));
  std::optional<std::string> answer = NextReply(client.get());
  ASSERT_TRUE(answer.has_value());
  // The writer commits at least every 200 ms: the rows show up while the
  // replay runs and the client stays connected.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  size_t stored = 0;
  while (stored < 4 && std::chrono::steady_clock::now() < deadline) {
    stored = testing::ReadRecording(db, testing::WhichSession::kFirst).messages.size();
    if (stored < 4) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(stored, 4u);
  EXPECT_EQ(replay->Stop(SIGKILL), 128 + SIGKILL);
  client.reset();

  auto again = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(again, nullptr);
  std::vector<std::string> replies = AskAll(*again, {ById("station_008", "9")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(WithoutRequestId(replies[0]), WithoutRequestId(*answer));
  EXPECT_EQ(again->Stop(), 0) << again->Output();
}

TEST(RecordMissingE2eTest, FlagsThatCannotGoTogetherAreUsageErrors) {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  const std::string bytes = testing::ReadFile(db);
  const std::vector<std::vector<std::string>> cases = {
      {"replay", db, "--record-missing", "--snapshots"},
      {"replay", db, "--upstream", "ws://127.0.0.1:1/ws"},
      {"replay", db, "--seed", "3"},
      {"replay", db, "--record-missing", "--upstream", "http://x/ws"},
      {"replay", db, "--record-missing", "--upstream", "ws://127.0.0.1:1/ws", "--seed", "3"},
  };
  for (const auto& args : cases) {
    testing::RunResult result = RunWsmock(OnLoopback(args));
    EXPECT_EQ(result.exit_code, 2) << args[2] << " " << args[3] << ": " << result.err;
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
  }
  testing::RunResult snapshots =
      RunWsmock(OnLoopback({"replay", db, "--record-missing", "--snapshots"}));
  EXPECT_TRUE(Contains(snapshots.err, "--record-missing cannot be used with --snapshots"))
      << snapshots.err;
  EXPECT_EQ(testing::ReadFile(db), bytes);
}

// Root ignores file permissions, so as root the replay runs as user nobody.
TEST(RecordMissingE2eTest, AReadOnlyFileIsRefusedBeforeListeningAndKept) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);  // mkdtemp made it 0700
  const std::string sub = dir.File("shared");
  ASSERT_EQ(mkdir(sub.c_str(), 0777), 0);
  ASSERT_EQ(chmod(sub.c_str(), 0777), 0);  // only the file is read-only
  const std::string db = sub + "/s.db";
  ASSERT_EQ(RecordSession(db, {ById("station_001", "1")}).size(), 1u);
  ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  const std::string bytes = testing::ReadFile(db);
  Result<std::string> err = testing::RunUnprivileged({sub, WSMOCK_BINARY}, [&] {
    testing::RunResult result =
        RunWsmock(OnLoopback({"replay", db, "--record-missing"}), "", 10000);
    return std::to_string(result.exit_code) + "\n" + result.err;
  });
  if (err.status().code() == Status::Code::kUnsupported) GTEST_SKIP() << err.status().message();
  ASSERT_TRUE(err.ok()) << err.status().message();
  EXPECT_EQ(err->substr(0, 2), "1\n") << *err;
  EXPECT_TRUE(Contains(*err, db + ": cannot write")) << *err;
  EXPECT_FALSE(Contains(*err, "Server started")) << *err;
  EXPECT_EQ(testing::ReadFile(db), bytes);
}

}  // namespace
}  // namespace wsmock
