#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/transfer_commands.h"
#include "sample_recording.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/temp_dir.h"

namespace wsmock::transfer {
namespace {

using testing::CaptureOutput;
using testing::WriteSampleRecording;
using wsmock::testing::ReadFile;
using wsmock::testing::TempDir;
using wsmock::testing::WriteFile;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  for (size_t end; (end = text.find('\n', pos)) != std::string::npos; pos = end + 1) {
    lines.push_back(text.substr(pos, end - pos));
  }
  EXPECT_EQ(pos, text.size()) << "the last line has no '\\n'";
  return lines;
}

std::vector<store::MessageRow> MessagesOf(const std::string& db_path, int64_t session) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_path, store::OpenMode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return {};
  store::SessionStore store(db->get());
  Result<std::vector<store::MessageRow>> rows = store.Messages(session);
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() ? *rows : std::vector<store::MessageRow>{};
}

class ExportImportTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(WriteSampleRecording(source())); }

  std::string source() const { return dir_.File("source.db"); }

  std::string Export(const std::string& db_path, std::optional<int64_t> session = {}) {
    Status s;
    std::string out = CaptureOutput(
        dir_, [&](std::FILE* f) { return app::RunExport(db_path, session, f); }, &s);
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  Status Import(const std::string& text, const std::string& db_path) {
    const std::string jsonl = dir_.File("session.jsonl");
    WriteFile(jsonl, text);
    return app::RunImport(jsonl, db_path);
  }

  TempDir dir_;
};

TEST_F(ExportImportTest, ExportThenImportThenExportIsByteIdentical) {
  const std::string first = Export(source());
  ASSERT_FALSE(first.empty());
  const std::string copy = dir_.File("copy.db");
  Status s = Import(first, copy);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Export(copy), first);
}

TEST_F(ExportImportTest, ImportRestoresEveryFrameByteForByte) {
  const std::string copy = dir_.File("copy.db");
  ASSERT_TRUE(Import(Export(source()), copy).ok());
  const std::vector<store::MessageRow> before = MessagesOf(source(), 1);
  const std::vector<store::MessageRow> after = MessagesOf(copy, 1);
  ASSERT_EQ(after.size(), before.size());
  ASSERT_EQ(before.size(), 10u);
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    EXPECT_EQ(after[i].payload, before[i].payload);
    EXPECT_EQ(after[i].binary, before[i].binary);
    EXPECT_EQ(after[i].request_id, before[i].request_id);
    EXPECT_EQ(after[i].action, before[i].action);
    EXPECT_EQ(after[i].offset, before[i].offset);
  }
}

TEST_F(ExportImportTest, ExportWritesEachSessionInTheDocumentedLineOrder) {
  std::vector<std::string> kinds;
  for (const std::string& line : Lines(Export(source()))) {
    kinds.push_back(line.substr(0, line.find(',')));
  }
  const std::string session = R"({"type":"session")", connection = R"({"type":"connection")",
                    message = R"({"type":"message")", snapshot = R"({"type":"snapshot")";
  const std::vector<std::string> expected = {
      session, connection, message, message, message, message,  message,  connection,
      message, message,    message, message, message, snapshot, snapshot,  // session 1
      session, connection, message};                                       // session 2
  EXPECT_EQ(kinds, expected);
}

TEST_F(ExportImportTest, ExportKeepsPayloadsReadable) {
  const std::string text = Export(source());
  // JSON embedded as it was sent, Cyrillic as it is.
  EXPECT_NE(text.find(R"("requestId":"req_1","json":{"type":"request","action":"getStations",)"
                      R"("data":{"city":"Москва"},"requestId":"req_1"}})"),
            std::string::npos);
  EXPECT_NE(text.find(R"("requestId":17,"json":{)"), std::string::npos);
  EXPECT_NE(text.find(R"("kind":"error","action":null,"requestId":null,"json":{)"),
            std::string::npos);
  EXPECT_NE(text.find(R"("text":"not json\r\n\t\"at all\""})"), std::string::npos);
  EXPECT_NE(text.find(R"("text":"Привет, мир"})"), std::string::npos);
  EXPECT_NE(text.find(R"("text":" {\"a\":1}"})"), std::string::npos);
  EXPECT_NE(text.find(R"("base64":"AAH/AHRhaWw="})"), std::string::npos);
  EXPECT_NE(text.find(R"("textBase64":"//4="})"), std::string::npos);
}

TEST_F(ExportImportTest, ExportOfOneSessionWritesOnlyIt) {
  const std::vector<std::string> lines = Lines(Export(source(), 2));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind(R"({"type":"session","format":1,"id":2,)", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind(R"({"type":"connection","session":2,"id":1,)", 0), 0u) << lines[1];
}

TEST_F(ExportImportTest, ExportOfAnUnknownSessionIsNotFound) {
  Status s;
  std::string out = CaptureOutput(
      dir_, [&](std::FILE* f) { return app::RunExport(source(), 7, f); }, &s);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), source() + ": no session 7");
  EXPECT_EQ(out, "");
}

TEST_F(ExportImportTest, ExportOfAMissingFileIsNotFoundAndCreatesNothing) {
  const std::string missing = dir_.File("missing.db");
  Status s;
  CaptureOutput(
      dir_, [&](std::FILE* f) { return app::RunExport(missing, {}, f); }, &s);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), missing + ": no such file");
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(ExportImportTest, ExportLeavesTheFileUnchanged) {
  const std::string before = ReadFile(source());
  Export(source());
  EXPECT_EQ(ReadFile(source()), before);
}

TEST_F(ExportImportTest, ImportAppendsAsNewSessions) {
  const std::string text = Export(source(), 1);
  const std::string target = dir_.File("target.db");
  ASSERT_TRUE(Import(text, target).ok());
  ASSERT_TRUE(Import(text, target).ok());
  const std::vector<std::string> second = Lines(Export(target, 2));
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second[0].rfind(R"({"type":"session","format":1,"id":2,)", 0), 0u) << second[0];
  EXPECT_EQ(second[1].rfind(R"({"type":"connection","session":2,)", 0), 0u) << second[1];
  EXPECT_EQ(Export(target, 1), text);
}

TEST_F(ExportImportTest, ImportAcceptsCrlfLineEnds) {
  const std::string text = Export(source());
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  const std::string copy = dir_.File("copy.db");
  Status s = Import(crlf, copy);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Export(copy), text);
}

TEST_F(ExportImportTest, ImportOfABadFileLeavesTheTargetUnchanged) {
  const std::string target = dir_.File("target.db");
  const std::string good = Export(source(), 2);
  ASSERT_TRUE(Import(good, target).ok());
  const std::string before = Export(target);

  // A good session first, then a bad line: the good one must not land either.
  std::string bad = Export(source(), 1);
  const size_t third_line = bad.find('\n', bad.find('\n') + 1) + 1;
  bad.insert(third_line, R"({"type":"message","connection":1,"seq":"x"})"
                         "\n");
  Status s = Import(bad, target);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            dir_.File("session.jsonl") + ":3: message: field 'seq' must be an integer");
  EXPECT_EQ(Export(target), before);
}

TEST_F(ExportImportTest, ImportOfABadFileCreatesNoTarget) {
  const std::string target = dir_.File("never.db");
  Status s = Import("{\"type\":\"session\"\n", target);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message().rfind(dir_.File("session.jsonl") + ":1: not JSON: ", 0), 0u) << s.message();
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(ExportImportTest, ARequestWithAByteOrderMarkSurvivesExportAndImport) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(dir_.File("bom.db"), store::OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  store::SessionStore store(db->get());
  ASSERT_TRUE(store.CreateSession(1, "record", "{}", "").ok());
  ASSERT_TRUE(store.InsertConnection({1, 1, 1, {}, "127.0.0.1", "/ws", {}}).ok());
  const std::string bom_request = "\xEF\xBB\xBF{\"type\":\"request\"}";
  ASSERT_TRUE(store
                  .InsertMessages({{1, 1, 1, 5, "in", "request", std::nullopt, std::nullopt,
                                    bom_request, false}})
                  .ok());
  db->reset();
  const std::string exported = Export(dir_.File("bom.db"));
  EXPECT_EQ(exported.find("\"json\":\xEF"), std::string::npos) << exported;
  const std::string target = dir_.File("back.db");
  Status s = Import(exported, target);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Export(target), exported);
}

// Sessions wsmock writes when no client connected, or one connected and
// sent nothing: a session line alone, a connection line without messages.
TEST_F(ExportImportTest, SessionsWithoutMessagesSurviveExportAndImport) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(dir_.File("quiet.db"), store::OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  store::SessionStore store(db->get());
  ASSERT_TRUE(store.CreateSession(testing::kStart, "record", "{}", "").ok());
  ASSERT_TRUE(store.EndSession(1, testing::kStart + 5).ok());
  ASSERT_TRUE(store.CreateSession(testing::kStart + 10, "serve", "{}", "").ok());
  ASSERT_TRUE(store.InsertConnection({2, 1, testing::kStart + 11, {}, "::1", "/ws", {}}).ok());
  db->reset();
  const std::string exported = Export(dir_.File("quiet.db"));
  ASSERT_EQ(Lines(exported).size(), 3u) << exported;
  const std::string target = dir_.File("back.db");
  Status s = Import(exported, target);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Export(target), exported);
}

TEST_F(ExportImportTest, ImportOfAnEmptyFileIsAnErrorAndCreatesNoTarget) {
  const std::string target = dir_.File("never.db");
  Status s = Import("", target);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), dir_.File("session.jsonl") + ": no session in it (empty input)");
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(ExportImportTest, ImportOfAMissingFileIsNotFound) {
  const std::string missing = dir_.File("missing.jsonl");
  Status s = app::RunImport(missing, dir_.File("target.db"));
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), missing + ": no such file");
}

}  // namespace
}  // namespace wsmock::transfer
