#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/transfer_commands.h"
#include "sample_recording.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "transfer/session_table.h"

namespace wsmock::transfer {
namespace {

using testing::CaptureOutput;
using wsmock::testing::ReadFile;
using wsmock::testing::TempDir;

class SessionsCommandTest : public ::testing::Test {
 protected:
  std::string Run(const std::string& db_path, Status* s) {
    return CaptureOutput(
        dir_, [&](std::FILE* f) { return app::RunSessions(db_path, f); }, s);
  }

  TempDir dir_;
};

TEST_F(SessionsCommandTest, ListsEverySessionInFixedWidthColumns) {
  const std::string db = dir_.File("rec.db");
  ASSERT_NO_FATAL_FAILURE(testing::WriteSampleRecording(db));
  Status s;
  EXPECT_EQ(Run(db, &s),
            "    ID  START                     MODE    CONNECTIONS  MESSAGES\n"
            "     1  2024-01-20T10:30:00.000Z  record            2        10\n"
            "     2  2024-01-20T11:30:00.000Z  proxy             1         1\n");
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST_F(SessionsCommandTest, AnEmptyFileListsOnlyTheHeader) {
  const std::string db = dir_.File("empty.db");
  ASSERT_TRUE(store::Database::Open(db, store::OpenMode::kReadWrite).ok());
  Status s;
  EXPECT_EQ(Run(db, &s), "    ID  START                     MODE    CONNECTIONS  MESSAGES\n");
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST_F(SessionsCommandTest, AMissingFileIsNotFound) {
  const std::string db = dir_.File("missing.db");
  Status s;
  EXPECT_EQ(Run(db, &s), "");
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), db + ": no such file");
}

TEST_F(SessionsCommandTest, ListingLeavesTheFileUnchanged) {
  const std::string db = dir_.File("rec.db");
  ASSERT_NO_FATAL_FAILURE(testing::WriteSampleRecording(db));
  const std::string before = ReadFile(db);
  Status s;
  Run(db, &s);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(ReadFile(db), before);
}

TEST_F(SessionsCommandTest, AWideValuePushesItsLineOutInsteadOfBeingCut) {
  store::SessionInfo info;
  info.id = 12345678;
  info.mode = "record";
  info.message_count = 123456789;
  EXPECT_EQ(FormatSessionTable({info}).substr(64),
            "12345678  1970-01-01T00:00:00.000Z  record            0  123456789\n");
}

}  // namespace
}  // namespace wsmock::transfer
