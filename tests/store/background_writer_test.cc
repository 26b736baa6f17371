#include "store/background_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/message_journal.h"
#include "support/temp_dir.h"

namespace wsmock::store {
namespace {

using testing::TempDir;

constexpr Micros kHour = 3600LL * kMicrosPerSecond;

std::unique_ptr<BackgroundWriter> StartOrDie(const std::string& path, Micros interval) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return nullptr;
  Result<std::unique_ptr<BackgroundWriter>> writer =
      BackgroundWriter::Start(std::move(db).value(), interval);
  EXPECT_TRUE(writer.ok()) << writer.status().message();
  return writer.ok() ? std::move(writer).value() : nullptr;
}

BackgroundWriter::Job NewSession(std::string mode) {
  return [mode](SessionStore& store) { return store.CreateSession(1, mode, "{}", "").status(); };
}

BackgroundWriter::Job NewConnection(int64_t id) {
  return [id](SessionStore& store) {
    return store.InsertConnection({1, id, id, {}, "127.0.0.1:1", "/ws", {}});
  };
}

// A writer as recording starts one: session 1 and its connection 1 queued.
std::unique_ptr<BackgroundWriter> StartRecordingOrDie(const std::string& path) {
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, kHour);
  if (writer == nullptr) return nullptr;
  writer->Submit(NewSession("record"));
  writer->Submit(NewConnection(1));
  return writer;
}

// What a separate reader sees, the way `wsmock sessions` would look.
struct Seen {
  std::vector<std::string> modes;
  size_t connections = 0;
};

Result<Seen> Look(const std::string& path) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  SessionStore store(db->get());
  Result<std::vector<SessionInfo>> sessions = store.ListSessions();
  if (!sessions.ok()) return sessions.status();
  Seen seen;
  for (const SessionInfo& s : *sessions) {
    seen.modes.push_back(s.mode);
    seen.connections += static_cast<size_t>(s.connection_count);
  }
  return seen;
}

TEST(BackgroundWriterTest, CommitsWithinAnIntervalWithoutFlush) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, 20'000);  // 20 ms
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("record"));
  // Poll as another reader would, with a generous deadline for slow machines.
  // The writer counts a job finished just after its commit, so a reader may
  // see the session a moment before pending() falls: wait for both.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  size_t sessions = 0;
  size_t pending = 1;
  for (int attempt = 0; attempt < 2000 && std::chrono::steady_clock::now() < deadline; ++attempt) {
    Result<Seen> seen = Look(path);
    ASSERT_TRUE(seen.ok()) << seen.status().message();
    sessions = seen->modes.size();
    pending = writer->pending();
    if (sessions == 1 && pending == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(sessions, 1u);
  EXPECT_EQ(pending, 0u);
  EXPECT_TRUE(writer->first_error().ok());
}

// A message of connection `connection` whose payload is its seq.
JournalMessage Numbered(int64_t connection, int64_t seq, const std::string& payload) {
  return {connection, seq, seq, "in", "request", {}, {}, payload, false};
}

// The integer `sql` selects, read with plain SQL as a sqlite3 user would.
int64_t QueryInt(const std::string& path, const std::string& sql) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return -1;
  Result<Statement> stmt = (*db)->Prepare(sql.c_str());
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return -1;
  Result<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return row.ok() && *row ? stmt->ColumnInt64(0) : -1;
}

int64_t CountRows(const std::string& path, const char* table) {
  return QueryInt(path, std::string("SELECT count(*) FROM ") + table);
}

Result<std::vector<MessageRow>> ReadMessages(const std::string& path) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  SessionStore store(db->get());
  return store.Messages(1);
}

TEST(BackgroundWriterTest, MessagesKeepTheirOrderAmongJobsAndPassTheFilter) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(path);
  ASSERT_NE(writer, nullptr);
  auto upper = std::make_shared<const BackgroundWriter::RowFilter>(
      [](MessageRow* row) { row->payload = "filtered"; });
  // A job and changes of filter in between split the packed rows.
  for (int64_t seq = 1; seq <= 75; ++seq) {
    if (seq == 40) writer->Submit(NewConnection(2));
    writer->SubmitMessage(1, FlaggedMessage::Of(Numbered(1, seq, std::to_string(seq))),
                          seq % 2 == 0 ? upper : nullptr);
  }
  EXPECT_EQ(writer->pending(), 78u);
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->pending(), 0u);
  Result<std::vector<MessageRow>> rows = ReadMessages(path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 75u);
  for (int64_t seq = 1; seq <= 75; ++seq) {
    const MessageRow& row = (*rows)[static_cast<size_t>(seq - 1)];
    EXPECT_EQ(row.seq, seq);
    EXPECT_EQ(row.payload, seq % 2 == 0 ? "filtered" : std::to_string(seq));
  }
}

TEST(BackgroundWriterTest, MessagesSubmittedTogetherAreStoredInOrderAndCountedEach) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(path);
  ASSERT_NE(writer, nullptr);
  // More than one check's worth, and payloads large enough to fill rows.
  const std::string big(100 * 1024, 'b');
  std::vector<std::string> payloads;
  for (int64_t seq = 1; seq <= 21; ++seq) payloads.push_back(std::to_string(seq) + big);
  std::vector<FlaggedMessage> messages;
  for (int64_t seq = 1; seq <= 21; ++seq) {
    messages.push_back(
        FlaggedMessage::Of(Numbered(1, seq, payloads[static_cast<size_t>(seq - 1)])));
  }
  writer->SubmitMessages(1, messages, nullptr);
  writer->SubmitMessages(1, {}, nullptr);
  EXPECT_EQ(writer->pending(), 23u);
  ASSERT_TRUE(writer->Flush().ok());
  Result<std::vector<MessageRow>> rows = ReadMessages(path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 21u);
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*rows)[i].payload, payloads[i]);
  }
}

TEST(BackgroundWriterTest, RepeatedRepliesAreStoredAsDeltasAndReadBackWhole) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(path);
  ASSERT_NE(writer, nullptr);
  // Requests and replies as a load test repeats them: only requestId varies.
  const std::string station(300, 's');
  std::vector<std::string> payloads;
  size_t plain_bytes = 0;
  for (int id = 1; id <= 2000; ++id) {
    const std::string rid = "\"req_" + std::to_string(id) + "\"";
    payloads.push_back(R"({"type":"request","action":"getStationById","requestId":)" + rid + "}");
    payloads.push_back(R"({"type":"response","requestId":)" + rid + R"(,"data":")" + station +
                       "\"}");
    plain_bytes += payloads[payloads.size() - 2].size() + payloads.back().size();
  }
  for (size_t i = 0; i < payloads.size(); i += 2) {
    const auto seq = static_cast<int64_t>(i + 1);
    const FlaggedMessage exchange[] = {
        FlaggedMessage::Of({1, seq, 0, "in", "request", "getStationById", {}, payloads[i], false}),
        FlaggedMessage::Of(
            {1, seq + 1, 0, "out", "response", "getStationById", {}, payloads[i + 1], false})};
    writer->SubmitMessages(1, exchange, nullptr);
  }
  ASSERT_TRUE(writer->Flush().ok());
  const int64_t stored = QueryInt(path, "SELECT sum(length(packed)) FROM message_journal");
  EXPECT_GT(stored, 0);
  EXPECT_LT(stored * 4, static_cast<int64_t>(plain_bytes));
  Result<std::vector<MessageRow>> rows = ReadMessages(path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), payloads.size());
  for (size_t i = 0; i < rows->size(); ++i) EXPECT_EQ((*rows)[i].payload, payloads[i]) << i;
}

TEST(BackgroundWriterTest, AFailedJobRollsBackTheMessagesOfItsTransaction) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(path);
  ASSERT_NE(writer, nullptr);
  // 700 KiB fill packed buffers that the writer may append before the
  // failing job comes: they are in the same transaction all the same.
  const std::string kib(1024, 'x');
  for (int64_t seq = 1; seq <= 700; ++seq)
    writer->SubmitMessage(1, FlaggedMessage::Of(Numbered(1, seq, kib)), nullptr);
  writer->Submit(NewConnection(1));  // a second connection 1 breaks the primary key
  Status s = writer->Flush();
  EXPECT_NE(s.message().find("UNIQUE constraint failed"), std::string::npos) << s.message();
  EXPECT_EQ(writer->journal_backlog(), 0);
  EXPECT_EQ(CountRows(path, "message_journal"), 0);
  Result<Seen> seen = Look(path);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_TRUE(seen->modes.empty());
}

TEST(BackgroundWriterTest, SettleJournalMovesEveryMessageIntoTheMessagesTable) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(path);
  ASSERT_NE(writer, nullptr);
  // 3000 messages of 1 KiB fill several packed rows (each unlike the one
  // before, so that none is written as a delta).
  for (int64_t seq = 1; seq <= 3000; ++seq) {
    const std::string kilobyte(1024, static_cast<char>('a' + seq % 26));
    writer->SubmitMessage(1, FlaggedMessage::Of(Numbered(1, seq, kilobyte)), nullptr);
  }
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_GT(CountRows(path, "message_journal"), 1);
  ASSERT_TRUE(writer->SettleJournal().ok());
  EXPECT_EQ(writer->journal_backlog(), 0);
  EXPECT_EQ(CountRows(path, "message_journal"), 0);
  EXPECT_EQ(CountRows(path, "messages"), 3000);
  Result<std::vector<MessageRow>> rows = ReadMessages(path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3000u);
  EXPECT_EQ(rows->back().seq, 3000);
}

TEST(BackgroundWriterTest, LightTrafficReachesTheMessagesTableUnasked) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, 20'000);  // 20 ms
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("record"));
  writer->Submit(NewConnection(1));
  for (int64_t seq = 1; seq <= 10; ++seq)
    writer->SubmitMessage(1, FlaggedMessage::Of(Numbered(1, seq, "m")), nullptr);
  // Poll as another reader would, with a generous deadline for slow machines.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int64_t moved = 0;
  for (int attempt = 0; attempt < 2000 && std::chrono::steady_clock::now() < deadline; ++attempt) {
    moved = CountRows(path, "messages");
    if (moved == 10) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(moved, 10);
  EXPECT_EQ(CountRows(path, "message_journal"), 0);
}

// What a kill -9 leaves: session 1 with connection 1, and a committed
// journal row of `count` messages packed as `packed` that nobody moved.
void LeaveJournalRow(const std::string& path, int64_t count, const std::string& packed) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status().message();
  SessionStore store(db->get());
  ASSERT_TRUE(store.CreateSession(1, "record", "{}", "").ok());
  ASSERT_TRUE(store.InsertConnection({1, 1, 1, {}, "127.0.0.1:1", "/ws", {}}).ok());
  ASSERT_TRUE(store.AppendJournal(1, count, packed).ok());
}

// A writer started on `path` after a killed one left 5 messages in its journal.
std::unique_ptr<BackgroundWriter> StartAfterAKilledWriter(const std::string& path) {
  std::string packed;
  for (int64_t seq = 1; seq <= 5; ++seq) AppendToJournal(Numbered(1, seq, "left"), &packed);
  LeaveJournalRow(path, 5, packed);
  return StartOrDie(path, kHour);
}

TEST(BackgroundWriterTest, AJournalLeftByAKilledWriterIsMovedByTheNext) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartAfterAKilledWriter(path);
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->journal_backlog(), 5);
  ASSERT_TRUE(writer->SettleJournal().ok());
  EXPECT_EQ(CountRows(path, "messages"), 5);
  EXPECT_EQ(CountRows(path, "message_journal"), 0);
}

TEST(BackgroundWriterTest, ALongSettleReportsWhatIsLeftOnTheCallersThread) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartAfterAKilledWriter(path);
  ASSERT_NE(writer, nullptr);
  // The writer is held in a job until the first report, so the settle
  // cannot end before one; the deadline only turns a missing report into a
  // failure instead of a hang.
  std::promise<void> reported;
  std::shared_future<void> first_report = reported.get_future().share();
  writer->Submit([first_report](SessionStore&) {
    return first_report.wait_for(std::chrono::seconds(30)) == std::future_status::ready
               ? Status::Ok()
               : Status::Internal("no report came");
  });
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<int64_t> lefts;
  bool on_caller = true;
  Status s = writer->SettleJournal(std::chrono::milliseconds(1), [&](int64_t left) {
    on_caller = on_caller && std::this_thread::get_id() == caller;
    if (lefts.empty()) reported.set_value();
    lefts.push_back(left);
  });
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_FALSE(lefts.empty());
  EXPECT_TRUE(on_caller);
  // What is left only falls; the writer may have moved some before the job.
  EXPECT_LE(lefts.front(), 5);
  EXPECT_TRUE(std::is_sorted(lefts.rbegin(), lefts.rend())) << lefts.size();
  EXPECT_EQ(writer->journal_backlog(), 0);
  EXPECT_EQ(CountRows(path, "messages"), 5);
}

// A writer held up (a slow disk) says when its buffers pass the high mark,
// on the submitting thread, and when they are back under the low one.
TEST(BackgroundWriterTest, WatchBacklogSaysWhenTheBuffersPassTheMarksAndFallBack) {
  TempDir dir;
  std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(dir.File("s.db"));
  ASSERT_NE(writer, nullptr);
  std::mutex mu;
  std::vector<bool> changes;  // guarded by mu
  writer->WatchBacklog(1u << 20, 300u << 10, [&](bool over) {
    std::lock_guard<std::mutex> lock(mu);
    changes.push_back(over);
  });
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  writer->Submit([released](SessionStore&) {
    return released.wait_for(std::chrono::seconds(30)) == std::future_status::ready
               ? Status::Ok()
               : Status::Internal("not released");
  });
  // Payloads that share no prefix or suffix, so none packs as a delta.
  int64_t seq = 0;
  while (writer->buffered_bytes() <= (1u << 20) && seq < 1000) {
    ++seq;
    const std::string payload =
        std::to_string(seq) + std::string(10'000, 'x') + std::to_string(seq * 7919);
    JournalMessage message;
    message.connection_id = 1;
    message.seq = seq;
    message.direction = "out";
    message.kind = "other";
    message.payload = payload;
    writer->SubmitMessage(1, FlaggedMessage::Of(message), nullptr);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(changes, std::vector<bool>{true});
  }
  release.set_value();
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->buffered_bytes(), 0u);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(changes, (std::vector<bool>{true, false}));
}

TEST(BackgroundWriterTest, AMalformedJournalRowStaysAndIsReported) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  LeaveJournalRow(path, 1, "\x01\x01");  // cut short
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, kHour);
  ASSERT_NE(writer, nullptr);
  Status s = writer->SettleJournal();
  EXPECT_EQ(s.message(), path + ": message journal row 1: malformed message at byte 0 of 2");
  EXPECT_EQ(CountRows(path, "message_journal"), 1);
  writer->Submit(NewConnection(2));  // the writer still works
  EXPECT_EQ(writer->Flush().message(), s.message());
  EXPECT_EQ(CountRows(path, "connections"), 2);
}

TEST(BackgroundWriterTest, DestructorMovesTheJournal) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    std::unique_ptr<BackgroundWriter> writer = StartRecordingOrDie(path);
    ASSERT_NE(writer, nullptr);
    for (int64_t seq = 1; seq <= 20; ++seq)
      writer->SubmitMessage(1, FlaggedMessage::Of(Numbered(1, seq, "d")), nullptr);
  }
  EXPECT_EQ(CountRows(path, "messages"), 20);
  EXPECT_EQ(CountRows(path, "message_journal"), 0);
}

TEST(BackgroundWriterTest, FlushWaitsForEverythingSubmitted) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, kHour);
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("serve"));
  for (int64_t id = 1; id <= 50; ++id) writer->Submit(NewConnection(id));
  EXPECT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->pending(), 0u);
  Result<Seen> seen = Look(path);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->modes, std::vector<std::string>{"serve"});
  EXPECT_EQ(seen->connections, 50u);
  EXPECT_TRUE(writer->Flush().ok());  // nothing pending: returns at once
}

TEST(BackgroundWriterTest, SubmitCountsPendingJobsUntilTheyAreCommitted) {
  TempDir dir;
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(dir.File("w.db"), kHour);
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("serve"));
  writer->Submit(NewConnection(1));
  EXPECT_EQ(writer->pending(), 2u);  // the hour-long window holds them
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->pending(), 0u);
}

TEST(BackgroundWriterTest, FlushReturnsTheFirstErrorAndTheBatchIsRolledBack) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, kHour);
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("record"));  // lost with its batch
  writer->Submit(NewSession("dance"));   // breaks the CHECK on mode
  writer->Submit([](SessionStore&) { return Status::Internal("never runs"); });
  Status first = writer->Flush();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.message().rfind(path + ": CHECK constraint failed", 0), 0u) << first.message();

  writer->Submit([](SessionStore&) { return Status::Internal("second error"); });
  writer->Submit(NewSession("serve"));
  EXPECT_EQ(writer->Flush().message(), first.message());  // the first error stays
  writer->Submit(NewSession("proxy"));
  EXPECT_EQ(writer->Flush().message(), first.message());
  EXPECT_EQ(writer->first_error().message(), first.message());

  Result<Seen> seen = Look(path);  // also runs quick_check: the file is intact
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->modes, std::vector<std::string>{"proxy"});
}

TEST(BackgroundWriterTest, FailedCommitIsReportedAndRolledBack) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, kHour);
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("record"));
  // Foreign keys are checked at COMMIT: a connection of a missing session
  // passes its INSERT and fails the commit.
  writer->Submit([](SessionStore& store) {
    return store.InsertConnection({99, 1, 0, {}, "127.0.0.1:1", "/ws", {}});
  });
  Status s = writer->Flush();
  EXPECT_NE(s.message().find("FOREIGN KEY constraint failed"), std::string::npos) << s.message();
  writer->Submit(NewSession("serve"));
  writer->Flush();
  Result<Seen> seen = Look(path);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->modes, std::vector<std::string>{"serve"});
}

TEST(BackgroundWriterTest, DestructorCommitsEverythingStillQueued) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, kHour);
    ASSERT_NE(writer, nullptr);
    writer->Submit(NewSession("record"));
    for (int64_t id = 1; id <= 100; ++id) writer->Submit(NewConnection(id));
  }
  Result<Seen> seen = Look(path);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->modes, std::vector<std::string>{"record"});
  EXPECT_EQ(seen->connections, 100u);
}

TEST(BackgroundWriterTest, AcceptsJobsFromManyThreads) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  std::unique_ptr<BackgroundWriter> writer = StartOrDie(path, 1'000);
  ASSERT_NE(writer, nullptr);
  writer->Submit(NewSession("serve"));
  ASSERT_TRUE(writer->Flush().ok());
  std::vector<std::thread> threads;
  for (int64_t t = 0; t < 4; ++t) {
    threads.emplace_back([&writer, t] {
      for (int64_t i = 1; i <= 50; ++i) writer->Submit(NewConnection(t * 50 + i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(writer->Flush().ok());
  Result<Seen> seen = Look(path);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->connections, 200u);
}

TEST(BackgroundWriterTest, RefusesADatabaseOpenForReadingOnly) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  ASSERT_TRUE(Database::Open(path, OpenMode::kReadWrite).ok());
  Result<std::unique_ptr<Database>> db = Database::Open(path, OpenMode::kReadOnly);
  ASSERT_TRUE(db.ok()) << db.status().message();
  Result<std::unique_ptr<BackgroundWriter>> writer = BackgroundWriter::Start(std::move(db).value());
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace wsmock::store
