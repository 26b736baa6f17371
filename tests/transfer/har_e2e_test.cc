// The real binary: a HAR saved by DevTools imports and replays byte-exactly,
// exports back as HAR, bad HAR files fail in one line, and `record --redact`
// keeps a secret out of the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"
#include "transfer/har_reader.h"

namespace wsmock::transfer {
namespace {

using wsmock::testing::OnLoopback;
using wsmock::testing::ReadFile;
using wsmock::testing::RunWsmock;
using wsmock::testing::ServerProcess;
using wsmock::testing::TempDir;
using wsmock::testing::WriteFile;
using wsmock::testing::WsClient;

const std::string kFixture = std::string(WSMOCK_SOURCE_DIR) + "/fixtures/devtools-session.har";

TEST(HarE2eTest, ADevToolsCaptureReplaysItsAnswersByteForByte) {
  Result<SessionRecord> fixture = ParseHar(ReadFile(kFixture), kFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status().message();
  const std::vector<store::MessageRow>& m = fixture->messages;
  ASSERT_EQ(m.size(), 7u);

  TempDir dir;
  const std::string db = dir.File("capture.db");
  auto imported = RunWsmock({"import", kFixture, db});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::string error;
  auto replay =
      ServerProcess::Start(OnLoopback({"replay", db, "--speed", "0", "--strict"}), &error);
  ASSERT_NE(replay, nullptr) << error;
  auto client = WsClient::Connect(replay->port(), "/ws", false, &error);
  ASSERT_NE(client, nullptr) << error;
  // The three requests with their recorded ids: each answer is the recorded
  // frame exactly; the push follows the first request (--speed 0).
  std::vector<std::string> answers, pushes;
  for (size_t i : {0u, 2u, 4u}) {
    ASSERT_TRUE(client->SendText(m[i].payload));
    for (int tries = 0; tries < 4; ++tries) {
      std::optional<std::string> frame = client->Receive(5000);
      ASSERT_TRUE(frame.has_value());
      bool push = frame->find("\"type\":\"update\"") != std::string::npos;
      (push ? pushes : answers).push_back(*frame);
      if (!push) break;
    }
  }
  EXPECT_EQ(answers, (std::vector<std::string>{m[1].payload, m[3].payload, m[5].payload}));
  if (pushes.empty()) {
    std::optional<std::string> frame = client->Receive(5000);
    ASSERT_TRUE(frame.has_value());
    pushes.push_back(*frame);
  }
  EXPECT_EQ(pushes, std::vector<std::string>{m[6].payload});
  client->Close();
  EXPECT_EQ(replay->Stop(), 0) << replay->Output();
}

TEST(HarE2eTest, ExportAsHarThenImportThenExportIsByteIdentical) {
  TempDir dir;
  const std::string db = dir.File("a.db");
  ASSERT_EQ(RunWsmock({"import", kFixture, db}).exit_code, 0);
  auto first = RunWsmock({"export", db, "--format", "har"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  WriteFile(dir.File("a.har"), first.out);
  ASSERT_EQ(RunWsmock({"import", dir.File("a.har"), dir.File("b.db")}).exit_code, 0);
  auto second = RunWsmock({"export", dir.File("b.db"), "--format", "har", "--session", "1"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  // JSON Lines stays the default.
  auto jsonl = RunWsmock({"export", db});
  EXPECT_EQ(jsonl.out.rfind("{\"type\":\"session\"", 0), 0u);
}

// What record writes when no client came, and when one came and said
// nothing, exports as HAR and imports back as the same (empty) session.
TEST(HarE2eTest, RecordingsWithoutMessagesExportAndImportAsHar) {
  TempDir dir;
  const std::string db = dir.File("quiet.db");
  for (bool with_client : {false, true}) {
    SCOPED_TRACE(with_client ? "a silent client" : "no client");
    std::string error;
    auto record = ServerProcess::Start(OnLoopback({"record", db, "--tick", "0"}), &error);
    ASSERT_NE(record, nullptr) << error;
    if (with_client) {
      auto client = WsClient::Connect(record->port(), "/ws", false, &error);
      ASSERT_NE(client, nullptr) << error;
      client->Close();
    }
    ASSERT_EQ(record->Stop(), 0) << record->Output();
    auto first = RunWsmock({"export", db, "--format", "har"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const std::string har = dir.File(with_client ? "client.har" : "none.har");
    const std::string copy = dir.File(with_client ? "client.db" : "none.db");
    WriteFile(har, first.out);
    auto imported = RunWsmock({"import", har, copy});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_EQ(RunWsmock({"export", copy, "--format", "har"}).out, first.out);
    auto listed = RunWsmock({"sessions", copy});
    EXPECT_NE(listed.out.find(with_client ? "  import            1         0\n"
                                          : "  import            0         0\n"),
              std::string::npos)
        << listed.out;
  }
}

TEST(HarE2eTest, ABadHarFailsInOneLineAndWritesNothing) {
  TempDir dir;
  WriteFile(dir.File("bad.har"),
            R"({"log":{"entries":[{"response":{"status":101},"request":{"url":"ws://h/ws"},)"
            R"("_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":7}]}]}})");
  auto result = RunWsmock({"import", dir.File("bad.har"), dir.File("out.db")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "wsmock: " + dir.File("bad.har") +
                            ": log.entries[0]._webSocketMessages[0].data: must be a string\n");
  EXPECT_FALSE(std::filesystem::exists(dir.File("out.db")));
  auto format = RunWsmock({"export", kFixture, "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
}

TEST(RedactE2eTest, RecordWithRedactKeepsTheSecretOutOfTheFile) {
  TempDir dir;
  const std::string db = dir.File("rec.db");
  std::string error;
  auto server =
      ServerProcess::Start(OnLoopback({"record", db, "--tick", "0", "--redact", "/data/stationId",
                                       "--redact", "/data/station/address"}),
                           &error);
  ASSERT_NE(server, nullptr) << error;
  auto client = WsClient::Connect(server->port(), "/ws", false, &error);
  ASSERT_NE(client, nullptr) << error;
  const std::string request =
      R"({"type":"request","action":"getStationById","data":{"stationId":"station_042"},"requestId":"r1"})";
  ASSERT_TRUE(client->SendText(request));
  std::optional<std::string> answer = client->Receive(5000);
  ASSERT_TRUE(answer.has_value());
  EXPECT_NE(answer->find("\"address\""), std::string::npos);  // the client saw it all
  client->Close();
  ASSERT_EQ(server->Stop(), 0) << server->Output();

  auto exported = RunWsmock({"export", db});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find(R"("json":{"type":"request","action":"getStationById",)"
                              R"("data":{"stationId":"[REDACTED]"},"requestId":"r1"})"),
            std::string::npos)
      << exported.out;
  EXPECT_NE(exported.out.find(R"("address":"[REDACTED]")"), std::string::npos);
  // Not in any page of the file either: the writer thread redacted the row
  // before it was written.
  EXPECT_EQ(ReadFile(db).find("\"stationId\":\"station_042\""), std::string::npos);
}

}  // namespace
}  // namespace wsmock::transfer
