// The recorder written through a real BackgroundWriter and read back: rows
// appended to a session that already has connections, with times given by
// the caller (replay --record-missing).
#include "recorder/recorder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/background_writer.h"
#include "store/database.h"
#include "store/session_store.h"
#include "support/temp_dir.h"
#include "util/clock.h"

namespace wsmock::recorder {
namespace {

using wsmock::testing::TempDir;

TEST(RecorderTest, AppendedConnectionsContinueTheIdsAndKeepTheGivenTimes) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  int64_t session = 0;
  {
    auto db = store::Database::Open(path, store::OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().message();
    store::SessionStore store(db->get());
    session = *store.CreateSession(1000, "record", "{}", "");
    store::ConnectionRow existing{session, 1, 1000, 1500, "127.0.0.1", "/ws", 1000};
    ASSERT_TRUE(store.InsertConnection(existing).ok());
    existing.id = 2;
    ASSERT_TRUE(store.InsertConnection(existing).ok());
    auto writer = store::BackgroundWriter::Start(std::move(*db));
    ASSERT_TRUE(writer.ok());
    ManualClock clock(9000);
    Recorder recorder(writer->get(), session, &clock, /*first_connection_id=*/3);
    recorder.OnOpenAt(77, "10.0.0.1", "/ws", 5000);
    recorder.OnMessageAt(77, Direction::kIn, "ask", false, {}, 5100);
    recorder.OnMessage(77, Direction::kOut, "answer", false,
                       {protocol::MessageKind::kResponse, "a", "1"});
    recorder.CloseAll(1001);
    ASSERT_TRUE((*writer)->Flush().ok());
  }
  auto db = store::Database::Open(path, store::OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok());
  store::SessionStore store(db->get());
  auto connections = store.Connections(session);
  ASSERT_TRUE(connections.ok());
  ASSERT_EQ(connections->size(), 3u);
  const store::ConnectionRow& appended = (*connections)[2];
  EXPECT_EQ(appended.id, 3);
  EXPECT_EQ(appended.opened_at, 5000);
  EXPECT_EQ(appended.closed_at, 9000);
  EXPECT_EQ(appended.close_code, 1001);
  EXPECT_EQ(appended.peer, "10.0.0.1");
  auto messages = store.Messages(session);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].seq, 1);
  EXPECT_EQ((*messages)[0].offset, 100);
  EXPECT_EQ((*messages)[0].payload, "ask");
  EXPECT_EQ((*messages)[1].seq, 2);
  EXPECT_EQ((*messages)[1].offset, 4000);
  EXPECT_EQ((*messages)[1].kind, "response");
  auto sessions = store.ListSessions();
  ASSERT_TRUE(sessions.ok());
  EXPECT_FALSE((*sessions)[0].ended_at.has_value()) << "CloseAll does not end the session";
}

TEST(RecorderTest, AnExchangeIsTheRequestThenTheReplyNumberedAfterEarlierMessages) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  int64_t session = 0;
  {
    auto db = store::Database::Open(path, store::OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status().message();
    session = *store::SessionStore(db->get()).CreateSession(1000, "record", "{}", "");
    auto writer = store::BackgroundWriter::Start(std::move(*db));
    ASSERT_TRUE(writer.ok());
    ManualClock clock(2000);
    Recorder recorder(writer->get(), session, &clock);
    recorder.OnOpen(5, "127.0.0.1", "/ws");
    recorder.OnMessage(5, Direction::kOut, "hello", false, {});
    recorder.OnExchangeAt(5, {"ask", false, {protocol::MessageKind::kRequest, "a", "\"r1\""}},
                          {"answer", false, {protocol::MessageKind::kResponse, "a", "\"r1\""}},
                          2500);
    recorder.OnExchangeAt(6, {"stranger", false, {}}, {"ignored", false, {}}, 2600);
    recorder.OnExchangeAt(5, {"\x01", true, {}}, {"no binary", false, {}}, 2700);
    recorder.End();
    ASSERT_TRUE((*writer)->Flush().ok());
  }
  auto db = store::Database::Open(path, store::OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok());
  auto messages = store::SessionStore(db->get()).Messages(session);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 5u) << "connection 6 never opened, so it is not recorded";
  const std::vector<store::MessageRow>& m = *messages;
  EXPECT_EQ(m[1].seq, 2);
  EXPECT_EQ(m[1].direction, "in");
  EXPECT_EQ(m[1].kind, "request");
  EXPECT_EQ(m[1].payload, "ask");
  EXPECT_EQ(m[1].offset, 500);
  EXPECT_EQ(m[2].seq, 3);
  EXPECT_EQ(m[2].direction, "out");
  EXPECT_EQ(m[2].kind, "response");
  EXPECT_EQ(m[2].action, "a");
  EXPECT_EQ(m[2].request_id, "\"r1\"");
  EXPECT_EQ(m[2].offset, 500);
  EXPECT_TRUE(m[3].binary);
  EXPECT_EQ(m[3].kind, "other");
  EXPECT_EQ(m[4].payload, "no binary");
  EXPECT_EQ(m[4].seq, 5);
}

}  // namespace
}  // namespace wsmock::recorder
