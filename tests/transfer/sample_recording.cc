#include "sample_recording.h"

#include <gtest/gtest.h>

#include <memory>

#include "store/database.h"
#include "store/session_store.h"

namespace wsmock::transfer::testing {
namespace {

void Check(const Status& s) { ASSERT_TRUE(s.ok()) << s.message(); }

std::string Station(const std::string& id, const std::string& city, int power) {
  return R"({"id":")" + id + R"(","city":")" + city + R"(","status":"available","currentPower":)" +
         std::to_string(power) + "}";
}

void WriteFirstSession(store::SessionStore* store) {
  Result<int64_t> id =
      store->CreateSession(kStart, "record", R"({"seed":42,"stations":3,"tick":"1s"})", "");
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_EQ(*id, 1);
  Check(store->InsertConnection({1, 1, kStart + 1000, {}, "127.0.0.1:50001", "/ws", {}}));
  Check(store->InsertConnection({1, 2, kStart + 2000, {}, "127.0.0.1:50002", "/ws?v=1", {}}));
  Check(store->InsertMessage(
      {1, 1, 1, 10, "in", "request", "getStations", R"("req_1")",
       R"({"type":"request","action":"getStations","data":{"city":"Москва"},"requestId":"req_1"})",
       false}));
  Check(store->InsertMessage(
      {1, 1, 2, 250, "out", "response", "getStations", R"("req_1")",
       R"({"type":"response","action":"getStations","data":{"stations":[]},"requestId":"req_1"})",
       false}));
  Check(store->InsertMessage(
      {1,
       1,
       3,
       1000000,
       "out",
       "update",
       "stationsUpdated",
       {},
       R"({"type":"update","action":"stationsUpdated","data":{"stations":[]}})",
       false}));
  Check(store->InsertMessage(
      {1, 1, 4, 1000100, "in", "other", {}, {}, "not json\r\n\t\"at all\"", false}));
  Check(store->InsertMessage(
      {1,
       1,
       5,
       1000200,
       "out",
       "error",
       {},
       {},
       R"({"type":"error","action":null,"requestId":null,"error":{"code":"INVALID_MESSAGE","message":"Invalid JSON"}})",
       false}));
  Check(store->InsertMessage(
      {1, 2, 1, 5, "in", "request", "getStationById", "17",
       R"({"type":"request","action":"getStationById","data":{"id":"station_001"},"requestId":17})",
       false}));
  Check(store->InsertMessage(
      {1, 2, 2, 6, "in", "other", {}, {}, std::string("\0\x01\xff\0tail", 8), true}));
  Check(store->InsertMessage({1, 2, 3, 7, "out", "other", {}, {}, "Привет, мир", false}));
  Check(store->InsertMessage({1, 2, 4, 8, "in", "other", {}, {}, R"( {"a":1})", false}));
  Check(store->InsertMessage({1, 2, 5, 9, "in", "other", {}, {}, "\xff\xfe", false}));
  Check(store->CloseConnection(1, 1, kStart + 9000, 1000));
  Check(store->InsertSnapshot(1, 0, kStart,
                              {{"station_001", Station("station_001", "Москва", 0)},
                               {"station_002", Station("station_002", "Казань", 50)},
                               {"station_003", Station("station_003", "Сочи", 120)}}));
  Check(store->InsertSnapshot(1, 1, kStart + kMicrosPerSecond,
                              {{"station_002", Station("station_002", "Казань", 75)}}));
  Check(store->EndSession(1, kStart + 10 * kMicrosPerSecond));
}

void WriteSecondSession(store::SessionStore* store) {
  const Micros start = kStart + 3600 * kMicrosPerSecond;
  Result<int64_t> id = store->CreateSession(start, "proxy", "{}", "wss://upstream.example/ws");
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_EQ(*id, 2);
  Check(store->InsertConnection({2, 1, start + 10, {}, "127.0.0.1:50003", "/", {}}));
  Check(store->InsertMessage({2, 1, 1, 0, "in", "request", "getStationStats", R"("s")",
                              R"({"type":"request","action":"getStationStats","requestId":"s"})",
                              false}));
}

}  // namespace

void WriteSampleRecording(const std::string& db_path) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_path, store::OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  store::SessionStore store(db->get());
  WriteFirstSession(&store);
  if (::testing::Test::HasFatalFailure()) return;
  WriteSecondSession(&store);
}

std::string CaptureOutput(const wsmock::testing::TempDir& dir,
                          const std::function<Status(std::FILE*)>& run, Status* status) {
  const std::string path = dir.File("captured.out");
  std::FILE* out = std::fopen(path.c_str(), "wb");
  EXPECT_NE(out, nullptr);
  if (out == nullptr) return {};
  *status = run(out);
  std::fclose(out);
  return wsmock::testing::ReadFile(path);
}

}  // namespace wsmock::transfer::testing
