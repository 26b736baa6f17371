// A session file that stops taking rows while `wsmock record` serves (here
// a table dropped under it; in life a full disk or a damaged page): the
// server says so at once and stops with exit code 1, instead of serving on
// into a recording that silently misses the rest of the run.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "fault/live_server.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace wsmock {
namespace {

using testing::TempDir;

// Runs `sql` on `path` beside the recorder, waiting out its transactions.
void ExecBeside(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(FaultStorageErrorTest, RecordStopsAtTheFirstRowItCannotStore) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto server = testing::StartOrFail(testing::OnLoopback({"record", path, "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  auto client = testing::ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(testing::RoundTrip(client.get(), testing::StationByIdRequest("station_001", "1")));

  ExecBeside(path, "DROP TABLE message_journal");
  // Still answered: the loop never waits on the disk. Its rows cannot go in.
  ASSERT_TRUE(testing::RoundTrip(client.get(), testing::StationByIdRequest("station_002", "2")));

  EXPECT_EQ(server->WaitForExit(15000), 1) << server->Output();
  const std::string log = server->Output();
  EXPECT_NE(log.find(" - ERROR - Stopping: the recording cannot be stored: "), std::string::npos)
      << log;
  EXPECT_NE(log.find("message_journal"), std::string::npos) << log;
  EXPECT_EQ(log.find("Recording saved to"), std::string::npos) << log;
}

}  // namespace
}  // namespace wsmock
