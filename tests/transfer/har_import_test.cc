// `wsmock import` and `wsmock export --format har` through the library: HAR
// round trips, all-or-nothing errors, --redact on import, and the committed
// DevTools fixture replaying its recorded answers.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/transfer_commands.h"
#include "replayer/match_key.h"
#include "replayer/replay_index.h"
#include "sample_recording.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/temp_dir.h"
#include "transfer/har_reader.h"
#include "util/json.h"

namespace wsmock::transfer {
namespace {

using testing::CaptureOutput;
using testing::WriteSampleRecording;
using wsmock::testing::ReadFile;
using wsmock::testing::TempDir;
using wsmock::testing::WriteFile;

const std::string kFixture = std::string(WSMOCK_SOURCE_DIR) + "/fixtures/devtools-session.har";

struct Rows {
  std::vector<store::SessionInfo> sessions;
  std::vector<store::ConnectionRow> connections;  // of the last session
  std::vector<store::MessageRow> messages;        // of the last session
};

// The rows of `session`, or of the last session.
Rows RowsOf(const std::string& db_path, std::optional<int64_t> session = {}) {
  Rows rows;
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_path, store::OpenMode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return rows;
  store::SessionStore store(db->get());
  rows.sessions = *store.ListSessions();
  if (rows.sessions.empty()) return rows;
  const int64_t id = session.value_or(rows.sessions.back().id);
  rows.connections = *store.Connections(id);
  rows.messages = *store.Messages(id);
  return rows;
}

class HarImportTest : public ::testing::Test {
 protected:
  std::string ExportHar(const std::string& db_path, std::optional<int64_t> session = {}) {
    Status s;
    std::string out = CaptureOutput(
        dir_,
        [&](std::FILE* f) { return app::RunExport(db_path, session, f, app::ExportFormat::kHar); },
        &s);
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  // Writes `text` to `name` in the test's directory and imports it.
  Status ImportText(const std::string& text, const std::string& name, const std::string& db_path,
                    const std::vector<std::string>& redact = {}) {
    WriteFile(dir_.File(name), text);
    return app::RunImport(dir_.File(name), db_path, redact);
  }

  TempDir dir_;
};

TEST_F(HarImportTest, ExportImportExportGivesTheSameBytes) {
  const std::string source = dir_.File("source.db");
  ASSERT_NO_FATAL_FAILURE(WriteSampleRecording(source));
  for (int64_t session : {1, 2}) {
    SCOPED_TRACE("session " + std::to_string(session));
    const std::string first = ExportHar(source, session);
    ASSERT_FALSE(first.empty());
    const std::string copy = dir_.File("copy" + std::to_string(session) + ".db");
    Status s = ImportText(first, "s" + std::to_string(session) + ".har", copy);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(ExportHar(copy), first);
  }
}

// No client connected (session 1), or one connected and sent nothing
// (session 2): each is still a session that exports and imports back.
TEST_F(HarImportTest, SessionsWithoutMessagesSurviveExportAndImport) {
  const std::string source = dir_.File("quiet.db");
  const Micros start = testing::kStart + 123000;  // HAR keeps milliseconds
  {
    Result<std::unique_ptr<store::Database>> db =
        store::Database::Open(source, store::OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().message();
    store::SessionStore store(db->get());
    ASSERT_TRUE(store.CreateSession(start, "record", "{}", "").ok());
    ASSERT_TRUE(store.EndSession(1, start + 5).ok());
    ASSERT_TRUE(store.CreateSession(start, "record", "{}", "").ok());
    ASSERT_TRUE(store.InsertConnection({2, 1, start + 1000, {}, "::1", "/ws", {}}).ok());
  }
  for (int64_t session : {1, 2}) {
    SCOPED_TRACE("session " + std::to_string(session));
    const std::string first = ExportHar(source, session);
    const std::string copy = dir_.File("copy" + std::to_string(session) + ".db");
    Status s = ImportText(first, "s" + std::to_string(session) + ".har", copy);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(ExportHar(copy), first);
    Rows rows = RowsOf(copy);
    ASSERT_EQ(rows.sessions.size(), 1u);
    EXPECT_EQ(rows.sessions[0].started_at, session == 1 ? start : start + 1000);
    EXPECT_EQ(rows.connections.size(), session == 1 ? 0u : 1u);
    EXPECT_TRUE(rows.messages.empty());
  }
}

TEST_F(HarImportTest, EveryFrameSurvivesTheRoundTripByteForByte) {
  const std::string source = dir_.File("source.db");
  ASSERT_NO_FATAL_FAILURE(WriteSampleRecording(source));
  const std::string copy = dir_.File("copy.db");
  ASSERT_TRUE(ImportText(ExportHar(source, 1), "s.har", copy).ok());
  Rows before = RowsOf(source, 1);
  Rows after = RowsOf(copy);
  ASSERT_EQ(after.messages.size(), before.messages.size());
  for (size_t i = 0; i < before.messages.size(); ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    EXPECT_EQ(after.messages[i].payload, before.messages[i].payload);
    EXPECT_EQ(after.messages[i].binary, before.messages[i].binary);
    EXPECT_EQ(after.messages[i].direction, before.messages[i].direction);
    EXPECT_EQ(after.messages[i].seq, before.messages[i].seq);
  }
  ASSERT_EQ(after.sessions.size(), 1u);
  EXPECT_EQ(after.sessions[0].mode, "import");
}

TEST_F(HarImportTest, ExportWithoutASessionWritesTheLatest) {
  const std::string source = dir_.File("source.db");
  ASSERT_NO_FATAL_FAILURE(WriteSampleRecording(source));
  EXPECT_EQ(ExportHar(source), ExportHar(source, 2));
  Status s;
  CaptureOutput(
      dir_, [&](std::FILE* f) { return app::RunExport(source, 9, f, app::ExportFormat::kHar); },
      &s);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
}

TEST_F(HarImportTest, HarIsRecognisedByContentWhateverItsName) {
  const std::string db = dir_.File("t.db");
  Status s = ImportText(ReadFile(kFixture), "capture.json", db);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(RowsOf(db).messages.size(), 7u);
}

TEST_F(HarImportTest, ABadHarChangesNothingAndNamesTheField) {
  const std::string db = dir_.File("t.db");
  ASSERT_TRUE(app::RunImport(kFixture, db).ok());
  const std::string before = ReadFile(db);
  std::string bad = ReadFile(kFixture);
  bad.replace(bad.rfind("\"opcode\": 1"), 11, "\"opcode\": 9");
  Status s = ImportText(bad, "bad.har", db);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), dir_.File("bad.har") +
                             ": log.entries[1]._webSocketMessages[6].opcode: must be 1 (text) or "
                             "2 (binary)");
  EXPECT_EQ(RowsOf(db).sessions.size(), 1u);
  EXPECT_EQ(ReadFile(db), before);
}

TEST_F(HarImportTest, ABadHarCreatesNoTarget) {
  const std::string target = dir_.File("never.db");
  Status s = ImportText("{\"log\":{\"entries\":7}}", "x.har", target);
  EXPECT_EQ(s.message(), dir_.File("x.har") + ": log.entries: must be an array");
  EXPECT_FALSE(std::filesystem::exists(target));
  s = ImportText("not json", "y.har", target);
  EXPECT_EQ(s.message().rfind(dir_.File("y.har") + ": not JSON: ", 0), 0u) << s.message();
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(HarImportTest, TheDevToolsFixtureImportsAsOneConnection) {
  const std::string db = dir_.File("t.db");
  ASSERT_TRUE(app::RunImport(kFixture, db).ok());
  Rows rows = RowsOf(db);
  ASSERT_EQ(rows.sessions.size(), 1u);
  EXPECT_EQ(rows.sessions[0].mode, "import");
  EXPECT_EQ(rows.sessions[0].options_json, R"({"import":"har","creator":"WebInspector 537.36"})");
  ASSERT_EQ(rows.connections.size(), 1u);
  EXPECT_EQ(rows.connections[0].peer, "127.0.0.1");
  EXPECT_EQ(rows.connections[0].path, "/ws");
  std::vector<std::string> kinds;
  for (const store::MessageRow& m : rows.messages) kinds.push_back(m.direction + " " + m.kind);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"in request", "out response", "in request", "out response",
                                      "in request", "out error", "out update"}));
  EXPECT_EQ(rows.messages.back().offset, 29892561);
}

// The answers ReplayIndex gives for each request of the fixture are the
// recorded ones, byte for byte, and the push is scheduled where it was.
TEST_F(HarImportTest, TheDevToolsFixtureReplaysItsRecordedAnswers) {
  const std::string db = dir_.File("t.db");
  ASSERT_TRUE(app::RunImport(kFixture, db).ok());
  Rows rows = RowsOf(db);
  Result<replayer::KeyMaker> keys = replayer::KeyMaker::Create({});
  ASSERT_TRUE(keys.ok());
  Result<replayer::ReplayIndex> index =
      replayer::ReplayIndex::Build(rows.connections, rows.messages, *keys);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->recorded_requests(), 3u);
  for (size_t i = 0; i + 1 < rows.messages.size(); i += 2) {
    const store::MessageRow& request = rows.messages[i];
    ASSERT_EQ(request.direction, "in");
    std::optional<std::string> key = keys->KeyOfFrame(request.payload);
    ASSERT_TRUE(key.has_value());
    std::optional<std::string> answer = index->Answer(*key, *request.request_id);
    ASSERT_TRUE(answer.has_value()) << request.payload;
    EXPECT_EQ(*answer, rows.messages[i + 1].payload);
  }
  const std::vector<replayer::ReplayIndex::Push>& pushes = index->PushesFor(0);
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0].offset, 29892561);
  EXPECT_EQ(pushes[0].payload, rows.messages.back().payload);
}

TEST_F(HarImportTest, TheFixtureExportsAsHarThatReadsBackTheSame) {
  const std::string db = dir_.File("t.db");
  ASSERT_TRUE(app::RunImport(kFixture, db).ok());
  const std::string har = ExportHar(db);
  const std::string again = dir_.File("again.db");
  ASSERT_TRUE(ImportText(har, "again.har", again).ok());
  EXPECT_EQ(ExportHar(again), har);
  Rows a = RowsOf(db), b = RowsOf(again);
  ASSERT_EQ(a.messages.size(), b.messages.size());
  for (size_t i = 0; i < a.messages.size(); ++i) {
    EXPECT_EQ(a.messages[i].payload, b.messages[i].payload);
    EXPECT_EQ(a.messages[i].offset, b.messages[i].offset);
  }
  EXPECT_EQ(a.connections[0].opened_at, b.connections[0].opened_at);
}

TEST(RedactImportTest, SecretsInAHarNeverReachTheFile) {
  TempDir dir;
  const std::string har = R"({"log":{"entries":[{"request":{"url":"wss://api.example/ws"},)"
                          R"("response":{"status":101},"_webSocketMessages":[)"
                          R"({"type":"send","time":10,"opcode":1,"data":"{\"type\":\"request\",)"
                          R"(\"action\":\"login\",\"data\":{\"token\":\"tok-SECRET\"},)"
                          R"(\"requestId\":\"r1\"}"},)"
                          R"({"type":"receive","time":10.5,"opcode":1,"data":"{\"type\":)"
                          R"(\"response\",\"action\":\"login\",\"data\":{\"session\":)"
                          R"(\"sess-SECRET\"},\"requestId\":\"r1\"}"}]}]}})";
  WriteFile(dir.File("s.har"), har);
  const std::string db = dir.File("t.db");
  Status s = app::RunImport(dir.File("s.har"), db, {"/data/token", "/data/session"});
  ASSERT_TRUE(s.ok()) << s.message();
  Rows rows = RowsOf(db);
  ASSERT_EQ(rows.messages.size(), 2u);
  EXPECT_EQ(
      rows.messages[0].payload,
      R"({"type":"request","action":"login","data":{"token":"[REDACTED]"},"requestId":"r1"})");
  EXPECT_EQ(
      rows.messages[1].payload,
      R"({"type":"response","action":"login","data":{"session":"[REDACTED]"},"requestId":"r1"})");
  EXPECT_EQ(rows.messages[0].request_id, R"("r1")");
  EXPECT_EQ(ReadFile(db).find("SECRET"), std::string::npos);
}

TEST(RedactImportTest, JsonLinesImportsAreRedactedToo) {
  TempDir dir;
  const std::string source = dir.File("source.db");
  ASSERT_NO_FATAL_FAILURE(WriteSampleRecording(source));
  Status s;
  const std::string jsonl = CaptureOutput(
      dir, [&](std::FILE* f) { return app::RunExport(source, 1, f); }, &s);
  ASSERT_TRUE(s.ok());
  WriteFile(dir.File("s.jsonl"), jsonl);
  const std::string db = dir.File("t.db");
  s = app::RunImport(dir.File("s.jsonl"), db, {"/data/city", "/requestId"});
  ASSERT_TRUE(s.ok()) << s.message();
  Rows rows = RowsOf(db);
  ASSERT_EQ(rows.messages.size(), 10u);
  EXPECT_EQ(
      rows.messages[0].payload,
      R"({"type":"request","action":"getStations","data":{"city":"[REDACTED]"},"requestId":"[REDACTED]"})");
  EXPECT_EQ(rows.messages[0].request_id, R"("[REDACTED]")");
  EXPECT_EQ(rows.messages[0].kind, "request");
  // A frame that is not JSON, or has no such field, is imported unchanged.
  EXPECT_EQ(rows.messages[3].payload, "not json\r\n\t\"at all\"");
  EXPECT_EQ(rows.messages[2].payload,
            R"({"type":"update","action":"stationsUpdated","data":{"stations":[]}})");
}

TEST(RedactImportTest, ABadPointerStopsTheImportBeforeAnythingIsRead) {
  TempDir dir;
  const std::string db = dir.File("t.db");
  Status s = app::RunImport(kFixture, db, {"token"});
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("--redact: ", 0), 0u) << s.message();
  EXPECT_FALSE(std::filesystem::exists(db));
}

}  // namespace
}  // namespace wsmock::transfer
