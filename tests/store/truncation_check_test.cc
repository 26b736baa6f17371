#include "store/truncation_check.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "store/database.h"
#include "support/temp_dir.h"

namespace wsmock::store {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// A wsmock file of a few 64 KiB pages, closed (so its -wal is gone).
std::string MakeFile(const TempDir& dir) {
  const std::string path = dir.File("whole.db");
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return path;
  EXPECT_TRUE((*db)
                  ->Exec("CREATE TABLE filler(x BLOB); "
                         "INSERT INTO filler VALUES (zeroblob(200000));")
                  .ok());
  return path;
}

TEST(TruncationCheckTest, AWholeFilePasses) {
  TempDir dir;
  const std::string path = MakeFile(dir);
  EXPECT_TRUE(CheckNotTruncated(path).ok()) << CheckNotTruncated(path).message();
}

// What a reviewer did: 2000 bytes off the end cut into the last page, which
// SQLite then read as zeros, and the last snapshot read as no stations.
TEST(TruncationCheckTest, AFileCutShortOfItsHeaderIsCorruptionInBothOpenModes) {
  TempDir dir;
  const std::string bytes = ReadFile(MakeFile(dir));
  ASSERT_EQ(bytes.size() % 65536, 0u);
  const std::string cut = dir.File("cut.db");
  WriteFile(cut, bytes.substr(0, bytes.size() - 2000));
  const std::string expected = cut + ": truncated: " + std::to_string(bytes.size() - 2000) +
                               " bytes of the " + std::to_string(bytes.size()) +
                               " its header promises";
  for (OpenMode mode : {OpenMode::kReadOnly, OpenMode::kReadWrite}) {
    Result<std::unique_ptr<Database>> db = Database::Open(cut, mode);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), Status::Code::kCorruption);
    EXPECT_EQ(db.status().message(), expected);
  }
  EXPECT_EQ(ReadFile(cut).size(), bytes.size() - 2000) << "the refused file is left as it was";
}

// A writer killed mid-checkpoint has written page 1 (with the new size)
// before the later pages; they are still in its -wal, and SQLite reads them
// from there.
TEST(TruncationCheckTest, AShortFileWithANonEmptyWalOrJournalBesideItPasses) {
  TempDir dir;
  const std::string bytes = ReadFile(MakeFile(dir));
  const std::string cut = dir.File("cut.db");
  WriteFile(cut, bytes.substr(0, bytes.size() - 2000));
  for (const char* companion : {"-wal", "-journal"}) {
    WriteFile(cut + companion, "x");
    EXPECT_TRUE(CheckNotTruncated(cut).ok()) << companion;
    std::remove((cut + companion).c_str());
  }
  WriteFile(cut + "-wal", "");
  EXPECT_FALSE(CheckNotTruncated(cut).ok()) << "an empty -wal holds no pages";
}

TEST(TruncationCheckTest, FilesWithoutASizeToCheckAreLeftToSqlite) {
  TempDir dir;
  EXPECT_TRUE(CheckNotTruncated(dir.File("missing.db")).ok());
  WriteFile(dir.File("empty.db"), "");
  EXPECT_TRUE(CheckNotTruncated(dir.File("empty.db")).ok());
  WriteFile(dir.File("text.db"), std::string(200, 't'));
  EXPECT_TRUE(CheckNotTruncated(dir.File("text.db")).ok());
  // A header whose change counter (offset 24) and version-valid-for (92)
  // differ holds a stale size: SQLite ignores it, and so does the check.
  std::string bytes = ReadFile(MakeFile(dir));
  bytes[27] = static_cast<char>(bytes[27] + 1);
  WriteFile(dir.File("stale.db"), bytes.substr(0, bytes.size() - 2000));
  EXPECT_TRUE(CheckNotTruncated(dir.File("stale.db")).ok());
}

// A recording in progress: page 1 in the main file is as of the last
// checkpoint, and the rest is in the -wal.
TEST(TruncationCheckTest, AFileBeingWrittenOpensForReading) {
  TempDir dir;
  const std::string path = MakeFile(dir);
  Result<std::unique_ptr<Database>> writer = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE((*writer)->Exec("INSERT INTO filler VALUES (zeroblob(100000))").ok());
    Result<std::unique_ptr<Database>> reader = Database::Open(path, OpenMode::kReadOnly);
    ASSERT_TRUE(reader.ok()) << reader.status().message();
  }
}

}  // namespace
}  // namespace wsmock::store
