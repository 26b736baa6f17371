// `wsmock record` whose disk falls behind (here the file's write lock is
// held by another process): once 32 MiB of recorded messages wait, the
// server stops reading from clients rather than hold the rest in memory,
// and reads again once the writer catches up; no request is lost and the
// recording is complete.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "fault/live_server.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using testing::TempDir;

// Holds the session file's write lock while it lives, as a slow disk would
// hold the writer up.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) return;
    sqlite3_busy_timeout(db_, 10000);
    held_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    if (!held_) error_ = sqlite3_errmsg(db_);
  }
  ~WriteLock() {
    if (held_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  bool held() const { return held_; }
  const std::string& error() const { return error_; }

 private:
  sqlite3* db_ = nullptr;
  bool held_ = false;
  std::string error_;
};

// Page `page` of 100 stations: about 40 KB, and unlike its neighbours, so
// the recorder cannot pack it as a small delta.
std::string PageRequest(int page, int n) {
  return R"({"type":"request","action":"getStations","data":{"pagination":{"page":)" +
         std::to_string(page) + R"(,"limit":100}},"requestId":)" + std::to_string(n) + "}";
}

// Requests 1..total with at most kWindow unanswered, so the client reads
// as it goes (a client that stops reading is closed with 1008, another
// test); checks that answers come in order.
class PagedClient {
 public:
  static constexpr int kWindow = 100;  // about 4 MB of replies in flight
  PagedClient(testing::WsClient* client, int total) : client_(client), total_(total) {}

  // Sends and receives until `done()` or the deadline; false on a failure.
  template <typename Done>
  bool RunUntil(Done done, int deadline_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      while (sent_ < total_ && sent_ - received_ < kWindow) {
        ++sent_;
        if (!client_->SendText(PageRequest(1 + sent_ % 10, sent_))) return false;
      }
      if (received_ == total_) break;
      std::optional<std::string> reply = client_->Receive(200);
      if (!reply) continue;  // paused, or slow: the deadline bounds the wait
      ++received_;
      if (reply->find(",\"requestId\":" + std::to_string(received_) + "}") == std::string::npos) {
        return false;
      }
    }
    return done();
  }
  int received() const { return received_; }

 private:
  testing::WsClient* client_;
  const int total_;
  int sent_ = 0;
  int received_ = 0;
};

TEST(FaultRecordBackpressureTest, ASlowDiskPausesReadingAndLosesNothing) {
  constexpr int kRequests = 1200;  // about 50 MB of replies: past the 32 MiB mark
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto server = testing::StartOrFail(
      testing::OnLoopback({"record", path, "--tick", "0", "--stations", "1000"}));
  ASSERT_NE(server, nullptr);
  auto client = testing::ConnectOrFail(*server);
  ASSERT_NE(client, nullptr);
  PagedClient paged(client.get(), kRequests);
  {
    WriteLock lock(path);
    ASSERT_TRUE(lock.held()) << lock.error();
    // The writer waits for the lock (up to 5 s) while replies pile up.
    EXPECT_TRUE(paged.RunUntil(
        [&] { return server->Output().find("reading from clients pauses") != std::string::npos; },
        4000))
        << paged.received() << " replies; " << server->Output();
  }
  EXPECT_TRUE(paged.RunUntil([&] { return paged.received() == kRequests; }, 60000))
      << paged.received() << " replies; " << server->Output();
  client->Close();
  EXPECT_EQ(server->Stop(), 0) << server->Output();
  testing::Recording recording = testing::ReadRecording(path, testing::WhichSession::kLast);
  EXPECT_EQ(recording.messages.size(), 2u * kRequests);
}

}  // namespace
}  // namespace wsmock
