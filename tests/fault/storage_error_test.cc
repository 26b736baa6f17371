// A session file that stops taking rows while `wsmock record` serves (here
// a table dropped under it; in life a full disk or a damaged page): the
// server says so at once and stops with exit code 1, instead of serving on
// into a recording that silently misses the rest of the run.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "fault/live_server.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace wsmock {
namespace {

using testing::TempDir;

TEST(FaultStorageErrorTest, RecordStopsAtTheFirstRowItCannotStore) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto server = testing::StartOrFail(testing::OnLoopback({"record", path, "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  auto client = testing::ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(testing::RoundTrip(client.get(), testing::StationByIdRequest("station_001", "1")));

  testing::ExecSql(path, "DROP TABLE message_journal");
  // Still answered: the loop never waits on the disk. Its rows cannot go in.
  ASSERT_TRUE(testing::RoundTrip(client.get(), testing::StationByIdRequest("station_002", "2")));

  EXPECT_EQ(server->WaitForExit(15000), 1) << server->Output();
  const std::string log = server->Output();
  EXPECT_NE(log.find(" - ERROR - Stopping: the recording cannot be stored: "), std::string::npos)
      << log;
  EXPECT_NE(log.find("message_journal"), std::string::npos) << log;
  EXPECT_EQ(log.find("Recording saved to"), std::string::npos) << log;
}

// SQLite writes on into a deleted file through its open descriptor: the
// stop must not say "Recording saved" of a file no one can reach.
TEST(FaultStorageErrorTest, ASessionFileDeletedDuringTheRunFailsTheStop) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto server = testing::StartOrFail(testing::OnLoopback({"record", path, "--tick", "0"}));
  ASSERT_NE(server, nullptr);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  EXPECT_EQ(server->Stop(), 1) << server->Output();
  const std::string log = server->Output();
  EXPECT_NE(log.find(path + ": the file was deleted or replaced during the run"), std::string::npos)
      << log;
  EXPECT_EQ(log.find("Recording saved to"), std::string::npos) << log;
}

}  // namespace
}  // namespace wsmock
