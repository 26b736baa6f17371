// `wsmock replay` of session files it cannot trust: each is refused with
// one line on stderr and exit code 1, and the file is left as it was.
// (A text file and a truncated file are covered in tests/e2e.)
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "fault/live_server.h"
#include "store/schema.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace wsmock {
namespace {

using testing::ReadFile;
using testing::RunWsmock;
using testing::TempDir;
using testing::WriteFile;

constexpr size_t kPageSize = 65536;  // what wsmock creates files with

// The page holding the messages table's rows: its root, as the fixture's
// few messages fit in one page. Replay reads it, so damage there must show.
size_t MessagesPage(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int64_t page = 0;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE name = 'messages'", -1,
                         &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    page = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return static_cast<size_t>(page);
}

// A real recording: the committed fixture, imported.
std::string MakeRecording(const TempDir& dir) {
  const std::string path = dir.File("good.db");
  testing::RunResult imported =
      RunWsmock({"import", WSMOCK_SOURCE_DIR "/fixtures/seed42-session.jsonl", path});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  return path;
}

// Replays `path` and checks the refusal: exit 1, one line naming the file.
// Returns that line.
std::string ExpectRefused(const std::string& path, const std::string& name) {
  const std::string before = ReadFile(path);
  testing::RunResult result = RunWsmock(testing::OnLoopback({"replay", path}), "", 10000);
  EXPECT_EQ(result.exit_code, 1) << name << ": " << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "not one line: " << result.err;
  EXPECT_NE(result.err.find(name), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("Server started"), std::string::npos) << result.err;
  EXPECT_EQ(ReadFile(path), before) << name << " was changed";
  return result.err;
}

// The bytes of a real recording with its messages page overwritten, or ""
// after a test failure.
std::string WithMessagesPageOverwritten(const TempDir& dir) {
  const std::string good = MakeRecording(dir);
  const size_t page = MessagesPage(good);
  std::string bytes = ReadFile(good);
  EXPECT_GT(page, 1u);
  EXPECT_GE(bytes.size(), page * kPageSize);
  if (page <= 1 || bytes.size() < page * kPageSize) return "";
  bytes.replace((page - 1) * kPageSize, kPageSize, std::string(kPageSize, '\xa5'));
  return bytes;
}

TEST(FaultBadSessionFileTest, AnOverwrittenMessagesPageIsRefused) {
  TempDir dir;
  const std::string bytes = WithMessagesPageOverwritten(dir);
  ASSERT_FALSE(bytes.empty());
  WriteFile(dir.File("page.db"), bytes);
  const std::string line = ExpectRefused(dir.File("page.db"), "page.db");
  EXPECT_NE(line.find("corrupt"), std::string::npos) << line;
}

TEST(FaultBadSessionFileTest, TheMiddleThirdOverwrittenIsRefused) {
  TempDir dir;
  std::string bytes = ReadFile(MakeRecording(dir));
  const size_t third = bytes.size() / 3;
  for (size_t i = 0; i < third; ++i) bytes[third + i] = static_cast<char>((i * 37) & 0xff);
  WriteFile(dir.File("third.db"), bytes);
  const std::string line = ExpectRefused(dir.File("third.db"), "third.db");
  EXPECT_NE(line.find("corrupt"), std::string::npos) << line;
}

TEST(FaultBadSessionFileTest, ASqliteDatabaseOfAnotherApplicationIsRefused) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  testing::ExecSql(path,
                   "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
                   "INSERT INTO notes (text) VALUES ('keep me');");
  const std::string line = ExpectRefused(path, "other.db");
  EXPECT_NE(line.find("not a wsmock"), std::string::npos) << line;
}

TEST(FaultBadSessionFileTest, ARecordingOfANewerSchemaVersionIsRefused) {
  TempDir dir;
  const std::string path = MakeRecording(dir);
  testing::ExecSql(path, "PRAGMA user_version = " + std::to_string(store::kSchemaVersion + 1));
  const std::string line = ExpectRefused(path, "good.db");
  EXPECT_NE(line.find("newer"), std::string::npos) << line;
}

// Every command that adds to a file checks it whole first: appending to a
// file with damage anywhere (SQLite finds free pages for new rows through
// it) could take the new recording down too. Each refuses with one line,
// exit 1, and leaves the file as it was.
TEST(FaultBadSessionFileTest, CommandsThatWriteRefuseAFileWithADamagedPage) {
  TempDir dir;
  const std::string bytes = WithMessagesPageOverwritten(dir);
  ASSERT_FALSE(bytes.empty());
  const std::string path = dir.File("damaged.db");
  const std::vector<std::vector<std::string>> commands = {
      testing::OnLoopback({"record", path, "--log-level", "warn"}),
      // --overwrite skips the check (the file is emptied first), but emptying
      // a table whose root page is damaged fails the same way.
      testing::OnLoopback({"record", path, "--overwrite", "--log-level", "warn"}),
      testing::OnLoopback({"serve", "--db", path, "--log-level", "warn"}),
      testing::OnLoopback({"replay", path, "--record-missing", "--log-level", "warn"}),
      {"import", WSMOCK_SOURCE_DIR "/fixtures/seed42-session.jsonl", path},
  };
  for (const std::vector<std::string>& command : commands) {
    WriteFile(path, bytes);
    testing::RunResult result = RunWsmock(command, "", 10000);
    EXPECT_EQ(result.exit_code, 1) << command[0] << ": " << result.err;
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "not one line: " << result.err;
    EXPECT_NE(result.err.find("damaged.db: database is corrupt: "), std::string::npos)
        << result.err;
    EXPECT_EQ(result.err.find("Server started"), std::string::npos) << result.err;
    EXPECT_TRUE(ReadFile(path) == bytes) << command[0] << " changed the file";
  }
}

}  // namespace
}  // namespace wsmock
