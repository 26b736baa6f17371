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
  return *state == FileState::kEmpty ? "empty" : "current";
}

TEST(SchemaTest, BlankFileIsEmpty) { EXPECT_EQ(Classify(0, 0, 0), "empty"); }

TEST(SchemaTest, OwnFileOfThisVersionIsCurrent) {
  EXPECT_EQ(Classify(kApplicationId, kSchemaVersion, 5), "current");
}

TEST(SchemaTest, AnythingWithoutOurApplicationIdIsForeign) {
  EXPECT_EQ(Classify(0, 0, 1), "not a wsmock database");   // has a table
  EXPECT_EQ(Classify(0, 3, 0), "not a wsmock database");   // has a version
  EXPECT_EQ(Classify(42, 0, 0), "not a wsmock database");  // another program's id
}

TEST(SchemaTest, VersionsOutsideTheSupportedRangeAreRefused) {
  EXPECT_EQ(Classify(kApplicationId, 7, 5),
            "schema version 7 is newer than this wsmock supports (1)");
  EXPECT_EQ(Classify(kApplicationId, 0, 0),
            "schema version 0 is older than this wsmock supports (1)");
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
  EXPECT_EQ(Names(db->get(), "PRAGMA user_version"), std::vector<std::string>{"1"});
  EXPECT_EQ(Names(db->get(), "PRAGMA application_id"),
            std::vector<std::string>{std::to_string(kApplicationId)});
  EXPECT_EQ(Names(db->get(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
            (std::vector<std::string>{"connections", "messages", "sessions", "snapshot_stations",
                                      "snapshots"}));
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

}  // namespace
}  // namespace wsmock::store
