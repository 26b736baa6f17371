// `wsmock record` killed with SIGKILL while 50 clients keep sending: the
// file passes SQLite's integrity_check, replays, and holds every exchange a
// client had its answer to more than a second before the kill (the promise:
// at most the last second is lost). tests/e2e has a 5-client version.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fault/live_server.h"
#include "support/live_wsmock.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace wsmock {
namespace {

using Clock = std::chrono::steady_clock;
using testing::ServerProcess;
using testing::WsClient;

constexpr int kClients = 50;
constexpr int kMinAcksPerClient = 10;
constexpr auto kMinLoad = std::chrono::milliseconds(2500);
constexpr auto kLossWindow = std::chrono::seconds(1);
constexpr int kMaxRequestsPerClient = 100'000;  // only bounds the loop

// Request n of a client: the three actions in turn, varied by n.
std::string NthRequest(int n, const std::string& request_id_json) {
  switch (n % 3) {
    case 0: {
      const std::string digits = std::to_string(1 + n % 100);
      return testing::StationByIdRequest("station_" + std::string(3 - digits.size(), '0') + digits,
                                         request_id_json);
    }
    case 1:
      return R"({"type":"request","action":"getStations","data":{"pagination":{"page":)" +
             std::to_string(1 + n % 5) + R"(,"limit":5}},"requestId":)" + request_id_json + "}";
    default:
      return R"({"type":"request","action":"getStationStats","data":{"days":)" +
             std::to_string(1 + n % 7) + R"(},"requestId":)" + request_id_json + "}";
  }
}

std::string RequestIdJson(int client, int n) {
  return "\"c" + std::to_string(client) + "-" + std::to_string(n) + "\"";
}

struct Ack {
  std::string request_id_json;
  Clock::time_point at;
};

// One client's loop on its own thread: request, answer, record the time.
// Ends when told to or when the server is gone.
class Hammer {
 public:
  Hammer(int index, std::unique_ptr<WsClient> client) : index_(index), client_(std::move(client)) {}

  void Run(const std::atomic<bool>* stop) {
    for (int n = 1; n <= kMaxRequestsPerClient && !stop->load(); ++n) {
      const std::string id = RequestIdJson(index_, n);
      std::optional<std::string> reply = testing::RoundTrip(client_.get(), NthRequest(n, id));
      if (!reply || reply->find("\"requestId\":" + id) == std::string::npos) return;
      acks_.push_back({id, Clock::now()});
      ack_count_.store(static_cast<int>(acks_.size()));
    }
  }

  int ack_count() const { return ack_count_.load(); }
  // REQUIRES: Run() has returned.
  const std::vector<Ack>& acks() const { return acks_; }

 private:
  const int index_;
  std::unique_ptr<WsClient> client_;
  std::vector<Ack> acks_;
  std::atomic<int> ack_count_{0};
};

using SqlitePtr = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

SqlitePtr OpenReadOnly(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  return SqlitePtr(db, &sqlite3_close);
}

// Every row's columns joined by '|', one string per row.
std::vector<std::string> Query(sqlite3* db, const char* sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return {std::string("error: ") + sqlite3_errmsg(db)};
  }
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt.get(), i);
      row += (i > 0 ? "|" : "") +
             std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(row);
  }
  if (rc != SQLITE_DONE) rows.push_back(std::string("error: ") + sqlite3_errmsg(db));
  return rows;
}

TEST(FaultKillUnderLoadTest, FiftyClientsLoseNothingAnsweredASecondBeforeSigkill) {
  testing::TempDir dir;
  const std::string db = dir.File("session.db");
  std::string error;
  auto server = ServerProcess::Start(testing::OnLoopback({"record", db, "--tick", "0.1"}), &error);
  ASSERT_NE(server, nullptr) << error;
  std::vector<std::unique_ptr<Hammer>> hammers;
  for (int i = 0; i < kClients; ++i) {
    auto client = WsClient::Connect(server->port(), "/ws", false, &error);
    ASSERT_NE(client, nullptr) << "client " << i << ": " << error;
    hammers.push_back(std::make_unique<Hammer>(i, std::move(client)));
  }
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto load_start = Clock::now();
  for (auto& hammer : hammers) threads.emplace_back([&stop, h = hammer.get()] { h->Run(&stop); });

  // Kill mid-stream, once every client has had answers and some of them
  // are older than the loss window.
  const auto deadline = load_start + std::chrono::seconds(60);
  auto loaded = [&] {
    return Clock::now() - load_start >= kMinLoad &&
           std::all_of(hammers.begin(), hammers.end(),
                       [](const auto& h) { return h->ack_count() >= kMinAcksPerClient; });
  };
  while (!loaded() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a condition
  }
  const bool was_loaded = loaded();
  const auto killed_at = Clock::now();
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  stop = true;
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(was_loaded) << "the clients were not all answered within 60 s";

  std::vector<Ack> durable;  // answered before the loss window
  int all_acks = 0;
  for (const auto& hammer : hammers) {
    all_acks += static_cast<int>(hammer->acks().size());
    for (const Ack& ack : hammer->acks()) {
      if (ack.at < killed_at - kLossWindow) durable.push_back(ack);
    }
  }
  ASSERT_GE(durable.size(), static_cast<size_t>(kClients)) << all_acks << " answers in all";
  RecordProperty("answered", all_acks);
  RecordProperty("answered_over_a_second_before_the_kill", static_cast<int>(durable.size()));

  {
    SqlitePtr file = OpenReadOnly(db);
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(Query(file.get(), "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // Read as wsmock reads: the last messages may still be in the journal.
    std::set<std::string> stored;
    for (const store::MessageRow& row :
         testing::ReadRecording(db, testing::WhichSession::kLast).messages) {
      if (row.request_id) stored.insert(row.direction + "|" + *row.request_id);
    }
    int missing = 0;
    auto oldest_lost = std::chrono::milliseconds(0);
    for (const Ack& ack : durable) {
      for (const char* direction : {"in|", "out|"}) {
        if (stored.count(direction + ack.request_id_json) != 0) continue;
        oldest_lost = std::max(
            oldest_lost, std::chrono::duration_cast<std::chrono::milliseconds>(killed_at - ack.at));
        if (++missing <= 5) ADD_FAILURE() << "lost: " << direction << ack.request_id_json;
      }
    }
    EXPECT_EQ(missing, 0) << "of " << durable.size() << " exchanges answered over "
                          << kLossWindow.count() << " s before the kill (" << all_acks
                          << " answered in all); the oldest lost one was answered "
                          << oldest_lost.count() << " ms before the kill";
  }

  auto replay = ServerProcess::Start(testing::OnLoopback({"replay", db}), &error);
  ASSERT_NE(replay, nullptr) << error;
  auto client = WsClient::Connect(replay->port(), "/ws", false, &error);
  ASSERT_NE(client, nullptr) << error;
  std::optional<std::string> reply = testing::RoundTrip(client.get(), NthRequest(1, "1"));
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->find("\"type\":\"response\""), std::string::npos) << *reply;
}

}  // namespace
}  // namespace wsmock
