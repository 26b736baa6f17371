// End-to-end tests of replaying a session recorded or imported with --redact:
// real record, import and replay processes on real session files. A request
// holding the secret matches its redacted recording, and the secret reaches
// none of the replay's outputs; --record-missing asks its source with the
// secret and appends the exchange redacted.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
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

constexpr char kSecret[] = "s3cret";

// getStationById with a token beside the station id, as the review's client
// sent it.
std::string WithToken(const std::string& station, const std::string& token,
                      const std::string& request_id) {
  return R"({"type":"request","action":"getStationById","data":{"stationId":")" + station +
         R"(","token":")" + token + R"("},"requestId":)" + request_id + "}";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// `wsmock record db --redact /data/token` (and `extra`) answering `requests`.
std::vector<std::string> RecordRedacted(const std::string& db,
                                        const std::vector<std::string>& requests,
                                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"record", db,  "--clock",  "2024-01-20T10:30:00Z",
                                   "--tick", "0", "--redact", "/data/token"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::unique_ptr<ServerProcess> server = StartOrFail(OnLoopback(args));
  if (!server) return {};
  std::vector<std::string> replies = AskAll(*server, requests);
  EXPECT_EQ(server->Stop(), 0) << server->Output();
  return replies;
}

// Every payload of the file's last session, one after another.
std::string AllPayloads(const std::string& db) {
  std::string all;
  for (const auto& m : testing::ReadRecording(db, testing::WhichSession::kLast).messages) {
    all += m.payload + "\n";
  }
  return all;
}

TEST(RedactReplayE2eTest, ARequestRecordedWithRedactMatchesItsRecordingUnderStrict) {
  TempDir dir;
  const std::string db = dir.File("r.db");
  const std::vector<std::string> recorded =
      RecordRedacted(db, {WithToken("station_001", kSecret, "1")});
  ASSERT_EQ(recorded.size(), 1u);
  ASSERT_TRUE(Contains(AllPayloads(db), "\"token\":\"[REDACTED]\"")) << AllPayloads(db);
  ASSERT_FALSE(Contains(AllPayloads(db), kSecret));

  std::unique_ptr<ServerProcess> replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  // The same frame, and the same request with another token: both were
  // recorded as "[REDACTED]".
  const std::vector<std::string> replies =
      AskAll(*replay,
             {WithToken("station_001", kSecret, "1"), WithToken("station_001", "other", "\"b\"")});
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0], recorded[0]);
  EXPECT_EQ(WithoutRequestId(replies[1]), WithoutRequestId(recorded[0]));
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
  EXPECT_FALSE(Contains(replay->Output(), kSecret)) << replay->Output();
  EXPECT_TRUE(Contains(replay->Output(), "2 matched")) << replay->Output();
}

TEST(RedactReplayE2eTest, AnUnmatchedRequestsSecretReachesNoErrorFrameLogReportOrJunit) {
  TempDir dir;
  const std::string db = dir.File("r.db");
  ASSERT_EQ(RecordRedacted(db, {WithToken("station_001", "recorded-secret", "1")}).size(), 1u);
  const std::string report = dir.File("report.json");
  const std::string junit = dir.File("junit.xml");
  std::unique_ptr<ServerProcess> replay =
      StartOrFail(OnLoopback({"replay", db, "--strict", "--report", report, "--junit", junit}));
  ASSERT_NE(replay, nullptr);
  const std::vector<std::string> replies =
      AskAll(*replay, {WithToken("station_002", kSecret, "7")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(Contains(replies[0], "\"code\":\"NO_RECORDING\"")) << replies[0];
  EXPECT_TRUE(Contains(replies[0], "\"requestId\":7")) << replies[0];
  EXPECT_FALSE(Contains(replies[0], kSecret)) << replies[0];
  EXPECT_EQ(replay->Stop(), 1) << replay->Output();
  const std::string log = replay->Output();
  EXPECT_TRUE(Contains(log, "NO_RECORDING")) << log;
  EXPECT_TRUE(Contains(log, "[REDACTED]")) << log;
  EXPECT_FALSE(Contains(log, kSecret)) << log;
  const std::string json_report = testing::ReadFile(report);
  EXPECT_TRUE(Contains(json_report, "station_002")) << json_report;
  EXPECT_FALSE(Contains(json_report, kSecret)) << json_report;
  const std::string xml = testing::ReadFile(junit);
  EXPECT_TRUE(Contains(xml, "<failure")) << xml;
  EXPECT_FALSE(Contains(xml, kSecret)) << xml;
}

// The upstream is a `wsmock record` of its own, unredacted, so its file
// shows what it was asked.
TEST(RedactReplayE2eTest, RecordMissingAsksWithTheSecretAndAppendsItRedacted) {
  TempDir dir;
  const std::string db = dir.File("r.db");
  const std::string upstream_db = dir.File("upstream.db");
  ASSERT_EQ(RecordRedacted(db, {WithToken("station_001", kSecret, "1")}).size(), 1u);
  std::unique_ptr<ServerProcess> upstream = StartOrFail(
      OnLoopback({"record", upstream_db, "--clock", "2024-01-20T10:30:00Z", "--tick", "0"}));
  ASSERT_NE(upstream, nullptr);
  const std::string url = "ws://127.0.0.1:" + std::to_string(upstream->port()) + "/ws";
  std::string answered;
  {
    std::unique_ptr<ServerProcess> replay =
        StartOrFail(OnLoopback({"replay", db, "--record-missing", "--upstream", url}));
    ASSERT_NE(replay, nullptr);
    const std::vector<std::string> replies =
        AskAll(*replay, {WithToken("station_003", kSecret, "2")});
    ASSERT_EQ(replies.size(), 1u);
    answered = replies[0];
    EXPECT_TRUE(Contains(answered, "station_003")) << answered;
    EXPECT_EQ(replay->Stop(), 0) << replay->Output();
    EXPECT_FALSE(Contains(replay->Output(), kSecret)) << replay->Output();
  }
  EXPECT_EQ(upstream->Stop(), 0) << upstream->Output();
  EXPECT_TRUE(Contains(AllPayloads(upstream_db), WithToken("station_003", kSecret, "2")))
      << "the source is asked with the real value: " << AllPayloads(upstream_db);
  EXPECT_FALSE(Contains(AllPayloads(db), kSecret)) << AllPayloads(db);
  EXPECT_TRUE(Contains(AllPayloads(db), WithToken("station_003", "[REDACTED]", "2")))
      << AllPayloads(db);

  // What was appended answers the same request from then on.
  std::unique_ptr<ServerProcess> replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  const std::vector<std::string> replies =
      AskAll(*replay, {WithToken("station_003", kSecret, "2")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0], answered);
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

TEST(RedactReplayE2eTest, ASessionImportedWithRedactMatchesTheSecretToo) {
  TempDir dir;
  const std::string plain = dir.File("plain.db");
  {
    std::unique_ptr<ServerProcess> record = StartOrFail(
        OnLoopback({"record", plain, "--clock", "2024-01-20T10:30:00Z", "--tick", "0"}));
    ASSERT_NE(record, nullptr);
    ASSERT_EQ(AskAll(*record, {WithToken("station_001", kSecret, "1")}).size(), 1u);
    ASSERT_EQ(record->Stop(), 0) << record->Output();
  }
  const std::string jsonl = dir.File("s.jsonl");
  testing::RunResult exported = RunWsmock({"export", plain});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  testing::WriteFile(jsonl, exported.out);
  const std::string db = dir.File("imported.db");
  testing::RunResult imported = RunWsmock({"import", jsonl, db, "--redact", "/data/token"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  ASSERT_FALSE(Contains(AllPayloads(db), kSecret));

  std::unique_ptr<ServerProcess> replay = StartOrFail(OnLoopback({"replay", db, "--strict"}));
  ASSERT_NE(replay, nullptr);
  const std::vector<std::string> replies =
      AskAll(*replay, {WithToken("station_001", kSecret, "1")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_FALSE(Contains(replies[0], "NO_RECORDING")) << replies[0];
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

}  // namespace
}  // namespace wsmock
