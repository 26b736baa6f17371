#include "app/snapshot_source.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "generator/station_generator.h"
#include "model/station_json.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/temp_dir.h"

namespace wsmock::app {
namespace {

constexpr Micros kNow = 1705746600LL * kMicrosPerSecond;  // 2024-01-20T10:30:00Z

// A session file whose one snapshot holds three stations, the second named
// `name_json` (the JSON text of the name, quotes included).
std::string FileWithName(const testing::TempDir& dir, const std::string& name_json) {
  const std::string path = dir.File("s.db");
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadWrite);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return path;
  store::SessionStore sessions(db->get());
  Result<int64_t> session = sessions.CreateSession(kNow, "record", "{}", "");
  EXPECT_TRUE(session.ok()) << session.status().message();
  std::vector<store::StationRow> rows;
  for (model::Station& station : generator::GenerateStations(3, 3, kNow)) {
    if (rows.size() == 1) station.name = "NAME_HERE";
    std::string json = model::StationJson(station).full();
    if (const size_t at = json.find("\"NAME_HERE\""); at != std::string::npos) {
      json.replace(at, 11, name_json);
    }
    rows.push_back({station.id, json});
  }
  EXPECT_TRUE(sessions.InsertSnapshot(*session, 0, kNow, rows).ok());
  return path;
}

TEST(SnapshotSourceTest, StationsReadBackAsStored) {
  testing::TempDir dir;
  const std::string path = FileWithName(dir, "\"Nord\"");
  Result<RecordedSnapshots> one = LoadRecordedSnapshot(path, std::nullopt, std::nullopt);
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_EQ(one->snapshots[0]->size(), 3u);
  EXPECT_EQ(one->snapshots[0]->station(1).name, "Nord");
}

// cJSON ends its strings at a NUL: "a\u0000b" was served as "a".
TEST(SnapshotSourceTest, ANulEscapeInAStoredStationIsRefusedNotCutShort) {
  testing::TempDir dir;
  const std::string path = FileWithName(dir, "\"a\\u0000b\"");
  Result<RecordedSnapshots> one = LoadRecordedSnapshot(path, std::nullopt, std::nullopt);
  ASSERT_FALSE(one.ok());
  const std::string& error = one.status().message();
  EXPECT_EQ(error.rfind(path + ": tick 0: station ", 0), 0u) << error;
  EXPECT_NE(error.find(": \\u0000 inside a string is not supported (byte offset "),
            std::string::npos)
      << error;
  Result<RecordedSnapshots> all = LoadRecordedSnapshots(path, std::nullopt);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().message(), error);
}

}  // namespace
}  // namespace wsmock::app
