// The recorder with --redact: secrets are replaced before rows reach the
// file, the columns follow the redacted payload, and other frames are kept.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "recorder/message_redaction.h"
#include "recorder/recorder.h"
#include "store/background_writer.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/temp_dir.h"
#include "util/clock.h"

namespace wsmock::recorder {
namespace {

using wsmock::testing::ReadFile;
using wsmock::testing::TempDir;

std::shared_ptr<const json::Redactor> RedactorFor(const std::vector<std::string>& pointers) {
  Result<json::Redactor> r = json::Redactor::Create(pointers);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return nullptr;
  return std::make_shared<const json::Redactor>(std::move(*r));
}

store::MessageRow Row(std::string payload, std::optional<std::string> action,
                      std::optional<std::string> request_id, bool binary = false) {
  store::MessageRow row;
  row.direction = "in";
  row.kind = "request";
  row.action = std::move(action);
  row.request_id = std::move(request_id);
  row.payload = std::move(payload);
  row.binary = binary;
  return row;
}

TEST(RedactMessageTest, RedactsThePayloadAndKeepsItsColumns) {
  auto redactor = RedactorFor({"/data/token"});
  store::MessageRow row =
      Row(R"({"type":"request","action":"login","data":{"token":"abc"},"requestId":"r1"})", "login",
          R"("r1")");
  EXPECT_TRUE(RedactMessage(*redactor, &row));
  EXPECT_EQ(
      row.payload,
      R"({"type":"request","action":"login","data":{"token":"[REDACTED]"},"requestId":"r1"})");
  EXPECT_EQ(row.kind, "request");
  EXPECT_EQ(row.action, "login");
  EXPECT_EQ(row.request_id, R"("r1")");
}

TEST(RedactMessageTest, ARedactedRequestIdLeavesNoTraceInItsColumn) {
  auto redactor = RedactorFor({"/requestId", "/action"});
  store::MessageRow row =
      Row(R"({"type":"request","action":"secret","requestId":"tok_1"})", "secret", R"("tok_1")");
  EXPECT_TRUE(RedactMessage(*redactor, &row));
  EXPECT_EQ(row.action, "[REDACTED]");
  EXPECT_EQ(row.request_id, R"("[REDACTED]")");
}

TEST(RedactMessageTest, LeavesOtherFramesExactlyAsTheyWere) {
  auto redactor = RedactorFor({"/data/token"});
  store::MessageRow text = Row("token=abc", std::nullopt, std::nullopt);
  EXPECT_FALSE(RedactMessage(*redactor, &text));
  EXPECT_EQ(text.payload, "token=abc");
  store::MessageRow binary = Row(std::string("\0\x01\xff", 3), std::nullopt, std::nullopt, true);
  EXPECT_FALSE(RedactMessage(*redactor, &binary));
  EXPECT_EQ(binary.payload, std::string("\0\x01\xff", 3));
  store::MessageRow other = Row(R"({"data":{"x":1}})", std::nullopt, std::nullopt);
  EXPECT_FALSE(RedactMessage(*redactor, &other));
  EXPECT_EQ(other.payload, R"({"data":{"x":1}})");
}

TEST(RedactMessageTest, ABinaryFrameHoldingJsonIsRedactedToo) {
  auto redactor = RedactorFor({"/token"});
  store::MessageRow row = Row(R"({"token":"t"})", std::nullopt, std::nullopt, true);
  EXPECT_TRUE(RedactMessage(*redactor, &row));
  EXPECT_EQ(row.payload, R"({"token":"[REDACTED]"})");
  EXPECT_FALSE(row.action.has_value());
  EXPECT_FALSE(row.request_id.has_value());
}

class RedactRecorderTest : public ::testing::Test {
 protected:
  // Records through a real writer into a file, then reads the rows back.
  std::vector<store::MessageRow> Record(std::shared_ptr<const json::Redactor> redactor,
                                        const std::function<void(Recorder&)>& traffic) {
    Result<std::unique_ptr<store::Database>> db =
        store::Database::Open(path(), store::OpenMode::kReadWrite);
    EXPECT_TRUE(db.ok()) << db.status().message();
    if (!db.ok()) return {};
    Result<int64_t> session = store::SessionStore(db->get()).CreateSession(0, "record", "{}", "");
    EXPECT_TRUE(session.ok());
    Result<std::unique_ptr<store::BackgroundWriter>> writer =
        store::BackgroundWriter::Start(std::move(*db));
    EXPECT_TRUE(writer.ok());
    if (!writer.ok() || !session.ok()) return {};
    {
      Recorder recorder(writer->get(), *session, &clock_);
      recorder.RedactWith(std::move(redactor));
      traffic(recorder);
      recorder.End();
    }  // the recorder goes first: queued jobs hold the redactor themselves
    EXPECT_TRUE((*writer)->Flush().ok());
    writer->reset();
    Result<std::unique_ptr<store::Database>> reader =
        store::Database::Open(path(), store::OpenMode::kReadOnly);
    EXPECT_TRUE(reader.ok());
    if (!reader.ok()) return {};
    Result<std::vector<store::MessageRow>> rows = store::SessionStore(reader->get()).Messages(1);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<store::MessageRow>{};
  }

  std::string path() const { return dir_.File("rec.db"); }

  TempDir dir_;
  ManualClock clock_{1'000'000};
};

constexpr const char* kLogin =
    R"({"type":"request","action":"login","data":{"user":"ann","token":"tok-123"},"requestId":"r1"})";

TEST_F(RedactRecorderTest, NoSecretReachesTheFile) {
  std::vector<store::MessageRow> rows = Record(RedactorFor({"/data/token"}), [&](Recorder& r) {
    r.OnOpen(7, "127.0.0.1:1", "/ws");
    clock_.Advance(10);
    r.OnMessage(7, Direction::kIn, kLogin, false,
                {protocol::MessageKind::kRequest, "login", R"("r1")"});
    r.OnMessage(7, Direction::kIn, "plain token tok-123", false, {});
  });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(
      rows[0].payload,
      R"({"type":"request","action":"login","data":{"user":"ann","token":"[REDACTED]"},"requestId":"r1"})");
  EXPECT_EQ(rows[0].request_id, R"("r1")");
  EXPECT_EQ(rows[0].offset, 10);
  EXPECT_EQ(rows[1].payload, "plain token tok-123");  // not JSON: stored unchanged
  // Nowhere in the file, not even in a page SQLite has not reused yet.
  EXPECT_EQ(ReadFile(path()).find("tok-123\""), std::string::npos);
}

TEST_F(RedactRecorderTest, WithoutARedactorPayloadsAreStoredAsSent) {
  std::vector<store::MessageRow> rows = Record(nullptr, [&](Recorder& r) {
    r.OnOpen(7, "127.0.0.1:1", "/ws");
    r.OnMessage(7, Direction::kIn, kLogin, false,
                {protocol::MessageKind::kRequest, "login", R"("r1")"});
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].payload, kLogin);
}

TEST_F(RedactRecorderTest, ABroadcastIsRedactedForEveryConnection) {
  const std::string push =
      R"({"type":"update","action":"stationsUpdated","data":{"token":"t","n":1}})";
  std::vector<store::MessageRow> rows = Record(RedactorFor({"/data/token"}), [&](Recorder& r) {
    r.OnOpen(9, "127.0.0.1:2", "/ws");
    clock_.Advance(5);
    r.OnOpen(3, "127.0.0.1:1", "/ws");
    clock_.Advance(20);
    r.OnBroadcast(push, {protocol::MessageKind::kUpdate, "stationsUpdated", {}});
  });
  ASSERT_EQ(rows.size(), 2u);
  for (const store::MessageRow& row : rows) {
    EXPECT_EQ(
        row.payload,
        R"({"type":"update","action":"stationsUpdated","data":{"token":"[REDACTED]","n":1}})");
    EXPECT_EQ(row.kind, "update");
    EXPECT_EQ(row.seq, 1);
  }
  // Connection 1 (opened first) waited 25 us, connection 2 waited 20.
  EXPECT_EQ(rows[0].connection_id, 1);
  EXPECT_EQ(rows[0].offset, 25);
  EXPECT_EQ(rows[1].connection_id, 2);
  EXPECT_EQ(rows[1].offset, 20);
}

}  // namespace
}  // namespace wsmock::recorder
