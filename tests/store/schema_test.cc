#include "store/schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/database.h"
#include "support/temp_dir.h"

namespace wsmock::store {
namespace {

using testing::ReadFile;
using testing::TempDir;

std::string Classify(int64_t application_id, int64_t user_version, int64_t objects) {
  Result<FileState> state = ClassifyFile({application_id, user_version, objects});
  if (!state.ok()) return state.status().message();
  switch (*state) {
    case FileState::kEmpty:
      return "empty";
    case FileState::kCurrent:
      return "current";
    case FileState::kOlder:
      return "older";
  }
  return "?";
}

TEST(SchemaTest, BlankFileIsEmpty) { EXPECT_EQ(Classify(0, 0, 0), "empty"); }

TEST(SchemaTest, OwnFileOfThisVersionIsCurrent) {
  EXPECT_EQ(Classify(kApplicationId, kSchemaVersion, 5), "current");
}

TEST(SchemaTest, OwnFileOfAnOlderSupportedVersionIsOlder) {
  EXPECT_EQ(Classify(kApplicationId, 1, 5), "older");
}

TEST(SchemaTest, AnythingWithoutOurApplicationIdIsForeign) {
  EXPECT_EQ(Classify(0, 0, 1), "not a wsmock database");   // has a table
  EXPECT_EQ(Classify(0, 3, 0), "not a wsmock database");   // has a version
  EXPECT_EQ(Classify(42, 0, 0), "not a wsmock database");  // another program's id
}

TEST(SchemaTest, VersionsOutsideTheSupportedRangeAreRefused) {
  EXPECT_EQ(Classify(kApplicationId, 7, 5),
            "schema version 7 is newer than this wsmock supports (1 to 3)");
  EXPECT_EQ(Classify(kApplicationId, 0, 0),
            "schema version 0 is older than this wsmock supports (1 to 3)");
}

TEST(SchemaTest, ApplicationIdSpellsWsmk) {
  EXPECT_EQ(kApplicationId, ('w' << 24) | ('s' << 16) | ('m' << 8) | 'k');
}

// Reads a column of names from `sql`.
std::vector<std::string> Names(Database* db, const char* sql) {
  std::vector<std::string> names;
  Result<Statement> stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return names;
  for (Result<bool> row = stmt->Step(); row.ok() && *row; row = stmt->Step()) {
    names.emplace_back(stmt->ColumnText(0));
  }
  return names;
}

TEST(SchemaTest, EmbeddedSqlCreatesTheFormatThisBuildExpects) {
  TempDir dir;
  Result<std::unique_ptr<Database>> db = Database::Open(dir.File("s.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(Names(db->get(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
  EXPECT_EQ(Names(db->get(), "PRAGMA application_id"),
            std::vector<std::string>{std::to_string(kApplicationId)});
  EXPECT_EQ(Names(db->get(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
            (std::vector<std::string>{"connections", "message_journal", "messages", "sessions",
                                      "snapshot_stations", "snapshots"}));
}

TEST(SchemaTest, ReadmeDocumentsEveryColumn) {
  TempDir dir;
  Result<std::unique_ptr<Database>> db = Database::Open(dir.File("s.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  const std::string readme = ReadFile(std::string(WSMOCK_SOURCE_DIR) + "/schema/README.md");
  ASSERT_FALSE(readme.empty());
  std::vector<std::string> columns = Names(
      db->get(),
      "SELECT m.name || '.' || c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c "
      "WHERE m.type = 'table' ORDER BY 1");
  EXPECT_GT(columns.size(), 30u);
  for (const std::string& column : columns) {
    const std::string name = column.substr(column.find('.') + 1);
    EXPECT_NE(readme.find("`" + name + "`"), std::string::npos) << column;
  }
}

// Makes `path` a version 1 file, as wsmock 0.1 wrote it: today's schema
// without what version 2 added.
void MakeVersion1File(const std::string& path) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec("DROP TABLE message_journal; PRAGMA user_version = 1;").ok());
}

TEST(SchemaTest, AVersion1FileIsMigratedWhenOpenedForWriting) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  MakeVersion1File(path);
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ((*db)->schema_version(), kSchemaVersion);
  EXPECT_EQ(Names(db->get(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
  // The migrated table is the one a new file gets, to the byte.
  Result<std::unique_ptr<Database>> fresh = Database::Open(dir.File("new.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  const char* kSql = "SELECT sql FROM sqlite_master WHERE name = 'message_journal'";
  EXPECT_EQ(Names(db->get(), kSql), Names(fresh->get(), kSql));
  EXPECT_EQ(Names(db->get(), kSql).size(), 1u);
}

TEST(SchemaTest, AVersion1FileIsReadAsItIsWhenOpenedForReading) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  MakeVersion1File(path);
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ((*db)->schema_version(), 1);
  EXPECT_EQ(Names(db->get(), "PRAGMA user_version"), std::vector<std::string>{"1"});
}

// Two wsmocks creating one file at once both read it as blank; the second
// to take the write lock finds the schema there and leaves it, where it
// failed with "table sessions already exists".
TEST(SchemaTest, ASchemaAppliedMeanwhileIsLeftAsItIs) {
  TempDir dir;
  auto db = Database::Open(dir.File("s.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  Status again = ApplySchema(db->get());
  EXPECT_TRUE(again.ok()) << again.message();
  Status migrated = Migrate(db->get(), kOldestSupportedVersion);
  EXPECT_TRUE(migrated.ok()) << migrated.message();
  EXPECT_EQ(Names(db->get(), "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
}

}  // namespace
}  // namespace wsmock::store
