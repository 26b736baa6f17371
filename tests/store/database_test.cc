#include "store/database.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/schema.h"
#include "store/session_store.h"
#include "store/unprivileged.h"
#include "support/temp_dir.h"

namespace wsmock::store {
namespace {

using testing::ReadFile;
using testing::RunUnprivileged;
using testing::TempDir;
using testing::WriteFile;

// Runs SQL on a file with plain SQLite, bypassing every wsmock check: the
// way to make files wsmock did not write.
void RawExec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

std::string OpenError(const std::string& path, OpenMode mode) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, mode);
  return db.ok() ? "opened" : db.status().message();
}

int64_t QueryInt(Database* db, const char* sql) {
  Result<Statement> stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return -1;
  Result<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return row.ok() && *row ? stmt->ColumnInt64(0) : -1;
}

// A wsmock file holding one session with `messages` messages of 1 KiB each.
void MakeRecording(const std::string& path, int messages) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  SessionStore store(db->get());
  ASSERT_TRUE((*db)->Begin().ok());
  Result<int64_t> session = store.CreateSession(1, "record", "{}", "");
  ASSERT_TRUE(session.ok()) << session.status().message();
  ASSERT_TRUE(
      store.InsertConnection({*session, 1, 2, std::nullopt, "127.0.0.1:1", "/ws", {}}).ok());
  for (int i = 1; i <= messages; ++i) {
    MessageRow row{*session,
                   1,
                   i,
                   i,
                   "in",
                   "request",
                   "getStations",
                   "\"r\"",
                   std::string(1024, static_cast<char>('a' + i % 26)),
                   false};
    ASSERT_TRUE(store.InsertMessage(row).ok());
  }
  ASSERT_TRUE((*db)->Commit().ok());
}

int64_t SessionCount(const std::string& path) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  if (!db.ok()) return -1;
  return QueryInt(db->get(), "SELECT count(*) FROM sessions");
}

TEST(DatabaseTest, CreatesAWsmockFileInWalMode) {
  TempDir dir;
  const std::string path = dir.File("new.db");
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(QueryInt(db->get(), "PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(QueryInt(db->get(), "PRAGMA user_version"), kSchemaVersion);
  Result<Statement> mode = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  EXPECT_EQ((*db)->path(), path);
}

TEST(DatabaseTest, ReopensItsOwnFileInBothModes) {
  TempDir dir;
  const std::string path = dir.File("rec.db");
  MakeRecording(path, 3);
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite), "opened");
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), "opened");
  EXPECT_EQ(SessionCount(path), 1);
}

TEST(DatabaseTest, AReadSnapshotSeesNoCommitOfAnotherConnectionUntilItEnds) {
  TempDir dir;
  const std::string path = dir.File("rec.db");
  MakeRecording(path, 3);
  Result<std::unique_ptr<Database>> writer = Database::Open(path, OpenMode::kReadWrite);
  Result<std::unique_ptr<Database>> reader = Database::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(writer.ok() && reader.ok());
  auto add_session = [&] {
    ASSERT_TRUE(SessionStore(writer->get()).CreateSession(2, "record", "{}", "").ok());
  };
  {
    ReadSnapshot snapshot(reader->get());
    ASSERT_TRUE(snapshot.status().ok()) << snapshot.status().message();
    EXPECT_EQ(QueryInt(reader->get(), "SELECT count(*) FROM sessions"), 1);
    add_session();
    EXPECT_EQ(QueryInt(reader->get(), "SELECT count(*) FROM sessions"), 1);
    {
      // Nested, as SessionStore::Messages nests one in its caller's.
      ReadSnapshot inner(reader->get());
      ASSERT_TRUE(inner.status().ok()) << inner.status().message();
      EXPECT_EQ(QueryInt(reader->get(), "SELECT count(*) FROM messages"), 3);
    }
    add_session();
    EXPECT_EQ(QueryInt(reader->get(), "SELECT count(*) FROM sessions"), 1);
  }
  EXPECT_FALSE((*reader)->InTransaction());
  EXPECT_EQ(QueryInt(reader->get(), "SELECT count(*) FROM sessions"), 3);
}

TEST(DatabaseTest, FileNamesWithUriCharactersNameExactlyThatFile) {
  TempDir dir;
  // wsmock opens files through file: URIs, where these bytes mean something.
  const std::string path = dir.File("запись 100%?mode=ro#1.db");
  MakeRecording(path, 1);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(SessionCount(path), 1);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().string().rfind(path, 0), 0u) << entry.path();  // x.db, x.db-wal, ...
  }
}

TEST(DatabaseTest, ReadOnlyOpenOfMissingFileSaysSoAndCreatesNothing) {
  TempDir dir;
  const std::string path = dir.File("session.db");
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), path + ": no such file");
  EXPECT_FALSE(std::filesystem::exists(path));
}

// Two writers of one file would wait on each other's transactions and
// interleave their sessions: the second is refused at once, readers are not.
TEST(DatabaseTest, OneWriterAtATimeWhileReadersComeAndGo) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    Result<std::unique_ptr<Database>> writer = Database::Open(path, OpenMode::kReadWrite);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    EXPECT_EQ(OpenError(path, OpenMode::kReadWrite),
              path +
                  ": in use: another wsmock is writing to it (record, serve --db, import or "
                  "replay --record-missing); wait for it to stop, or use another file");
    EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), "opened");
  }
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite), "opened");  // the lock went with it
}

// Opening a FIFO blocks until a writer comes, which no signal could end.
TEST(DatabaseTest, APipeIsRefusedUnopenedInBothModes) {
  TempDir dir;
  const std::string path = dir.File("pipe.db");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly),
            path + ": is not a regular file (a pipe or a device?)");
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite),
            path + ": is not a regular file (a pipe or a device?)");
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(DatabaseTest, TextFileIsNotASqliteDatabaseAndIsLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("x.db");
  const std::string text = "this is a text file, not a database\n";
  WriteFile(path, text);
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), path + ": not a SQLite database");
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite), path + ": not a SQLite database");
  EXPECT_EQ(ReadFile(path), text);
}

TEST(DatabaseTest, ForeignSqliteDatabaseIsNotAWsmockDatabaseAndIsLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("x.db");
  RawExec(path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');");
  const std::string before = ReadFile(path);
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), path + ": not a wsmock database");
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite), path + ": not a wsmock database");
  EXPECT_EQ(ReadFile(path), before);
}

TEST(DatabaseTest, DatabaseOfAnotherApplicationIdIsNotAWsmockDatabase) {
  TempDir dir;
  const std::string path = dir.File("x.db");
  RawExec(path, "PRAGMA application_id = 42;");
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite), path + ": not a wsmock database");
}

TEST(DatabaseTest, NewerSchemaVersionIsRefusedInBothModes) {
  TempDir dir;
  const std::string path = dir.File("x.db");
  MakeRecording(path, 1);
  RawExec(path, "PRAGMA user_version = 7;");
  const std::string expected = path + ": schema version 7 is newer than this wsmock supports (1 to 3)";
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), expected);
  EXPECT_EQ(OpenError(path, OpenMode::kReadWrite), expected);
}

TEST(DatabaseTest, ZeroLengthFileIsNewForWritingButNotARecordingForReading) {
  TempDir dir;
  const std::string path = dir.File("empty.db");
  WriteFile(path, "");
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), path + ": not a wsmock database");
  EXPECT_EQ(ReadFile(path), "");
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(QueryInt(db->get(), "PRAGMA application_id"), kApplicationId);
}

TEST(DatabaseTest, TruncatedCopyIsRefusedAtOpen) {
  TempDir dir;
  const std::string path = dir.File("whole.db");
  MakeRecording(path, 200);
  const std::string bytes = ReadFile(path);
  ASSERT_GT(bytes.size(), 100'000u);
  const std::string cut = dir.File("cut.db");
  WriteFile(cut, bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(OpenError(cut, OpenMode::kReadOnly),
            cut + ": truncated: " + std::to_string(bytes.size() / 2) + " bytes of the " +
                std::to_string(bytes.size()) + " its header promises");
}

// The page number of one leaf page of `table`, from SQLite's dbstat table.
int64_t LeafPageOf(const std::string& path, const char* table) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return -1;
  Result<Statement> stmt = (*db)->Prepare(
      "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' ORDER BY pageno LIMIT 1");
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return -1;
  stmt->BindText(1, table);
  Result<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return row.ok() && *row ? stmt->ColumnInt64(0) : -1;
}

// Makes a 200-message recording at `path` and overwrites the first
// `bytes` bytes of a leaf page of its messages with 0x5a; false after a
// test failure.
bool GarbleAMessagesPage(const std::string& path, size_t bytes) {
  MakeRecording(path, 200);
  const int64_t page = LeafPageOf(path, "messages");
  std::string file = ReadFile(path);
  const size_t page_size = 65536;  // what wsmock creates files with
  EXPECT_GT(page, 1);
  EXPECT_GE(file.size(), static_cast<size_t>(page) * page_size);
  if (page <= 1 || file.size() < static_cast<size_t>(page) * page_size) return false;
  file.replace((page - 1) * page_size, bytes, std::string(bytes, '\x5a'));
  WriteFile(path, file);
  return true;
}

// A read-only open checks only the header (the whole-file quick_check cost
// replay a third of its start); a garbled page is refused by the read that
// reaches it, with one line naming the file.
TEST(DatabaseTest, AGarbledPageIsCorruptionWhenAReadReachesIt) {
  TempDir dir;
  const std::string path = dir.File("garbled.db");
  ASSERT_TRUE(GarbleAMessagesPage(path, 65536));
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok()) << db.status().message();
  SessionStore store(db->get());
  EXPECT_TRUE(store.ListSessions().ok());  // its pages are intact
  Result<std::vector<MessageRow>> messages = store.Messages(1);
  ASSERT_FALSE(messages.ok());
  const std::string error = messages.status().message();
  EXPECT_EQ(error.rfind(path + ": database is corrupt: ", 0), 0u) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

// A writer adds pages through the free-page list and the b-trees, so an
// open for writing checks the whole file first and names the damage.
TEST(DatabaseTest, AGarbledPageIsCorruptionAtAnOpenForWriting) {
  TempDir dir;
  const std::string path = dir.File("garbled.db");
  ASSERT_TRUE(GarbleAMessagesPage(path, 64));
  const std::string bytes = ReadFile(path);
  const std::string error = OpenError(path, OpenMode::kReadWrite);
  EXPECT_EQ(error.rfind(path + ": database is corrupt: ", 0), 0u) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_TRUE(ReadFile(path) == bytes) << "the open changed the file";
}

TEST(DatabaseTest, ReadOnlyOpenLeavesTheFileUnchanged) {
  TempDir dir;
  const std::string path = dir.File("rec.db");
  MakeRecording(path, 5);
  const std::string before = ReadFile(path);
  {
    Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok()) << db.status().message();
    SessionStore store(db->get());
    Result<std::vector<MessageRow>> messages = store.Messages(1);
    ASSERT_TRUE(messages.ok());
    EXPECT_EQ(messages->size(), 5u);
  }
  EXPECT_EQ(ReadFile(path), before);
}

TEST(DatabaseTest, ReadOnlyDatabaseRefusesWrites) {
  TempDir dir;
  const std::string path = dir.File("rec.db");
  MakeRecording(path, 1);
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok()) << db.status().message();
  Status s = (*db)->Exec("DELETE FROM messages");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(SessionStore(db->get()).CreateSession(1, "serve", "{}", "").ok(), false);
  EXPECT_EQ(QueryInt(db->get(), "SELECT count(*) FROM messages"), 1);
}

TEST(DatabaseTest, StatementBindsAndReadsBackEveryType) {
  TempDir dir;
  Result<std::unique_ptr<Database>> db = Database::Open(dir.File("t.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec("CREATE TEMP TABLE t (i, d, s, b, n)").ok());
  const std::string blob("\0\x01\xff\0", 4);
  Result<Statement> insert = (*db)->Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
  ASSERT_TRUE(insert.ok());
  insert->BindInt64(1, INT64_MIN).BindDouble(2, 22.5).BindText(3, "Нижний Новгород");
  insert->BindBlob(4, blob).BindNull(5);
  ASSERT_TRUE(insert->Run().ok());
  EXPECT_EQ((*db)->Changes(), 1);

  Result<Statement> select = (*db)->Prepare("SELECT i, d, s, b, n FROM t");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), INT64_MIN);
  EXPECT_EQ(select->ColumnDouble(1), 22.5);
  EXPECT_EQ(select->ColumnText(2), "Нижний Новгород");
  EXPECT_EQ(select->ColumnBlob(3), blob);
  EXPECT_TRUE(select->ColumnIsNull(4));
  EXPECT_FALSE(select->ColumnIsNull(0));
  EXPECT_FALSE(*select->Step());
}

TEST(DatabaseTest, EmptyBlobIsStoredAsABlobNotNull) {
  TempDir dir;
  Result<std::unique_ptr<Database>> db = Database::Open(dir.File("t.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  Result<Statement> stmt = (*db)->Prepare("SELECT typeof(?1)");
  ASSERT_TRUE(stmt.ok());
  stmt->BindBlob(1, "");
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnText(0), "blob");
}

TEST(DatabaseTest, BadBindIsReportedByStep) {
  TempDir dir;
  Result<std::unique_ptr<Database>> db = Database::Open(dir.File("t.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  Result<Statement> stmt = (*db)->Prepare("SELECT ?1");
  ASSERT_TRUE(stmt.ok());
  stmt->BindInt64(9, 1);
  EXPECT_FALSE(stmt->Step().ok());
  stmt->Reset();
  stmt->BindInt64(1, 5);
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnInt64(0), 5);
}

TEST(DatabaseTest, PrepareReportsSqlErrors) {
  TempDir dir;
  Result<std::unique_ptr<Database>> db = Database::Open(dir.File("t.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  Result<Statement> stmt = (*db)->Prepare("SELECT x FROM nowhere");
  ASSERT_FALSE(stmt.ok());
  EXPECT_NE(stmt.status().message().find("no such table: nowhere"), std::string::npos)
      << stmt.status().message();
}

TEST(DatabaseTest, RollbackUndoesAndIsHarmlessOutsideATransaction) {
  TempDir dir;
  const std::string path = dir.File("t.db");
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE((*db)->Rollback().ok());
  ASSERT_TRUE((*db)->Begin().ok());
  EXPECT_TRUE((*db)->InTransaction());
  ASSERT_TRUE(SessionStore(db->get()).CreateSession(1, "serve", "{}", "").ok());
  ASSERT_TRUE((*db)->Rollback().ok());
  EXPECT_FALSE((*db)->InTransaction());
  EXPECT_EQ(QueryInt(db->get(), "SELECT count(*) FROM sessions"), 0);
}

// --- Permissions. As root they are checked in a child running as nobody.

// Lets user nobody reach files under `dir` (mkdtemp makes it 0700).
void OpenUp(const TempDir& dir) { ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0); }

TEST(DatabaseTest, ReadOnlyFileCannotBeOpenedForWriting) {
  TempDir dir;
  OpenUp(dir);
  const std::string sub = dir.File("shared");
  ASSERT_TRUE(std::filesystem::create_directory(sub));
  const std::string path = sub + "/x.db";
  MakeRecording(path, 1);
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  ASSERT_EQ(::chmod(sub.c_str(), 0777), 0);  // only the file is read-only
  Result<std::string> error =
      RunUnprivileged(sub, [&] { return OpenError(path, OpenMode::kReadWrite); });
  if (error.status().code() == Status::Code::kUnsupported) GTEST_SKIP() << error.status().message();
  ASSERT_TRUE(error.ok()) << error.status().message();
  EXPECT_EQ(*error, path + ": cannot write: attempt to write a readonly database");
}

TEST(DatabaseTest, FileInReadOnlyDirectoryCannotBeOpenedForWriting) {
  TempDir dir;
  OpenUp(dir);
  const std::string sub = dir.File("ro");
  ASSERT_TRUE(std::filesystem::create_directory(sub));
  const std::string path = sub + "/x.db";
  MakeRecording(path, 1);
  ASSERT_EQ(::chmod(sub.c_str(), 0555), 0);
  Result<std::string> error = RunUnprivileged(sub, [&] {
    return OpenError(path, OpenMode::kReadWrite) + "|" +
           OpenError(sub + "/new.db", OpenMode::kReadWrite);
  });
  if (error.status().code() == Status::Code::kUnsupported) GTEST_SKIP() << error.status().message();
  ASSERT_TRUE(error.ok()) << error.status().message();
  EXPECT_EQ(*error, path + ": cannot write: directory " + sub + ": Permission denied|" + sub +
                        "/new.db: cannot write: directory " + sub + ": Permission denied");
}

TEST(DatabaseTest, WalFileOpensReadOnlyInAReadOnlyDirectory) {
  TempDir dir;
  OpenUp(dir);
  const std::string sub = dir.File("ro");
  ASSERT_TRUE(std::filesystem::create_directory(sub));
  const std::string path = sub + "/x.db";
  MakeRecording(path, 4);
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));  // a clean close removes it
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  ASSERT_EQ(::chmod(sub.c_str(), 0555), 0);
  Result<std::string> seen = RunUnprivileged(sub, [&] {
    Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
    if (!db.ok()) return db.status().message();
    Result<std::vector<MessageRow>> messages = SessionStore(db->get()).Messages(1);
    if (!messages.ok()) return messages.status().message();
    return std::to_string(messages->size()) + " messages";
  });
  if (seen.status().code() == Status::Code::kUnsupported) GTEST_SKIP() << seen.status().message();
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(*seen, "4 messages");
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
}

// Runs Database::Open(path, kReadWrite) in a forked child whose files may not
// grow past `max_bytes` (RLIMIT_FSIZE: writes past it fail with EFBIG, as on
// a full disk, with no mount needed). Returns the child's open error, "" if
// it opened, or why it could not run.
std::string OpenWithFileSizeLimit(const std::string& path, rlim_t max_bytes) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  pid_t child = ::fork();
  if (child < 0) return "fork failed";
  if (child == 0) {
    ::close(pipe_fds[0]);
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {
      max_bytes, max_bytes
    };
    ::setrlimit(RLIMIT_FSIZE, &limit);
    Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
    const std::string error = db.ok() ? "" : db.status().message();
    db = Status::Internal("closed");
    ssize_t ignored = ::write(pipe_fds[1], error.data(), error.size());
    static_cast<void>(ignored);
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string error;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0) error.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return error;
}

// A full disk at a new file's creation left it as zero bytes, which later
// read as "not a wsmock database" instead of "no such file".
TEST(DatabaseTest, AFailedOpenRemovesTheFileItCreatedWithItsCompanions) {
  TempDir dir;
  const std::string path = dir.File("new.db");
  for (rlim_t max_bytes : {rlim_t{0}, rlim_t{1000}, rlim_t{100'000}}) {
    const std::string error = OpenWithFileSizeLimit(path, max_bytes);
    EXPECT_EQ(error.rfind(path + ": cannot write: ", 0), 0u) << max_bytes << ": " << error;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      struct stat st;
      EXPECT_NE(::stat((path + suffix).c_str(), &st), 0) << max_bytes << ": " << suffix;
    }
  }
  EXPECT_EQ(OpenError(path, OpenMode::kReadOnly), path + ": no such file");
}

// A file that was there before the open is the user's, even when empty.
TEST(DatabaseTest, AFailedOpenLeavesAFileItDidNotCreate) {
  TempDir dir;
  const std::string path = dir.File("empty.db");
  WriteFile(path, "");
  EXPECT_NE(OpenWithFileSizeLimit(path, 0), "");
  EXPECT_EQ(ReadFile(path), "");
}

}  // namespace
}  // namespace wsmock::store
