// BackgroundWriter: a thread that owns a read-write Database and runs the
// jobs handed to it inside one transaction that it commits at least every
// commit_interval - so the event loop never waits on the disk and a kill -9
// loses at most about the last interval. Recorded messages are packed into
// buffers of about 256 KiB; the writer appends each buffer to the message
// journal (message_journal.h) as soon as it is full, inside the open
// transaction, so that a few buffers are in flight and are reused while
// still in cache. The journal is moved into `messages` when transactions are
// small, when submissions pause, and by SettleJournal(): under heavy load the
// writer only appends packed rows and leaves the CPU to the loop. Submit,
// SubmitMessage(s), Flush, SettleJournal, journal_backlog, pending and
// first_error may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/message_journal.h"
#include "store/session_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::store {

class BackgroundWriter {
 public:
  // Runs on the writer thread. A non-ok result rolls back its whole
  // transaction: every job and message since the last commit, and those
  // queued up to the next commit point are dropped unrun.
  using Job = std::function<Status(SessionStore&)>;
  // Runs on the writer thread on a message given to SubmitMessage just
  // before it is stored (the recorder's redaction).
  using RowFilter = std::function<void(MessageRow*)>;

  static constexpr Micros kDefaultCommitInterval = 200'000;

  // Takes over `db` and starts the thread.
  // REQUIRES: db was opened with OpenMode::kReadWrite; commit_interval > 0.
  static Result<std::unique_ptr<BackgroundWriter>> Start(
      std::unique_ptr<Database> db, Micros commit_interval = kDefaultCommitInterval);

  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;
  // Runs and commits every job submitted, moves the journal into
  // `messages`, then joins the thread.
  // REQUIRES: no Submit() races with or follows destruction.
  ~BackgroundWriter();

  // Queues `job` and returns at once; never touches the disk.
  void Submit(Job job);
  // Queues `message` of `session_id` for the journal, in order with the
  // jobs, after `filter` (if not null) has run on it. Costs the caller one
  // copy of the message's bytes into a packed buffer and one lock; buffers
  // are reused, so there is no allocation in the steady state. Counts as one
  // job.
  void SubmitMessage(int64_t session_id, const FlaggedMessage& message,
                     const std::shared_ptr<const RowFilter>& filter);
  // The same for `messages` in order, for one lock: a request and its reply.
  void SubmitMessages(int64_t session_id, std::span<const FlaggedMessage> messages,
                      const std::shared_ptr<const RowFilter>& filter);
  // Blocks until every job submitted before the call has been committed or
  // rolled back, then returns first_error().
  // REQUIRES: not called from a job.
  Status Flush();
  // Flush(), then blocks until every journaled message is in `messages`
  // (a clean end of a recording: readers merge the journal, sqlite3 users
  // see one table). Returns first_error().
  // REQUIRES: not called from a job.
  Status SettleJournal();
  // The same, calling `report` on the caller's thread with the messages
  // still to move each time `every` passes before it is done, so that a
  // long stop can say how far it is. The steady clock only paces reports.
  Status SettleJournal(std::chrono::milliseconds every,
                       const std::function<void(int64_t left)>& report);
  // Calls on_change(true) once the buffers of packed messages queued or
  // being written hold more than `high` bytes, and on_change(false) once
  // they are back under `low`. Without a limit a disk slower than the
  // traffic grows memory without end, and a kill -9 loses all that is held;
  // the caller slows what it submits meanwhile (record pauses reading from
  // clients). on_change runs with the writer's lock held, on the thread
  // that crossed the line: it must only pass the news on (WsServer::Post),
  // never call the writer. REQUIRES: low < high.
  void WatchBacklog(size_t high, size_t low, std::function<void(bool over)> on_change);
  // The bytes WatchBacklog measures.
  size_t buffered_bytes() const;
  // Messages in the journal not yet moved into `messages`.
  int64_t journal_backlog() const;
  // The first error of any job, BEGIN or COMMIT so far; ok if none. Later
  // transactions still run after an error (the disk may have room again).
  Status first_error() const;
  // Jobs submitted but not yet committed or rolled back.
  size_t pending() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  // Room for packed messages, left uninitialised: the loop writes every
  // byte it hands over, and zero-filling a fresh 256 KiB (each one while
  // the disk lags) cost it as much as the copies that fill it.
  struct Buffer {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  // One queue entry: a job, or (job empty) messages packed for the journal.
  struct Item {
    Job job;
    int64_t session_id = 0;
    int64_t message_count = 0;
    // The row's bytes are packed[0, packed_size): packed is sized ahead, so
    // packing a message writes in place without growing a string.
    Buffer packed;
    size_t packed_size = 0;
    std::shared_ptr<const RowFilter> filter;  // applied to each message; may be null
    TimePoint queued_at;                      // when its first job or message came
    size_t jobs() const { return job ? 1 : static_cast<size_t>(message_count); }
  };
  // What NextWork hands the writer.
  struct Work {
    std::deque<Item> items;  // to run in the open transaction, in order
    bool commit = false;     // then commit: the interval is up, or a flush or stop waits
    bool stopping = false;
    bool settle_all = false;      // stopping, or SettleJournal() waits
    uint64_t settle_request = 0;  // with settle_all: the request it answers
    bool idle = false;            // nothing queued, nothing open: a pause
  };
  // The open transaction; writer thread only.
  struct Transaction {
    bool open = false;      // BEGIN ran and neither COMMIT nor ROLLBACK since
    Status status;          // the first failure since the last commit point
    size_t jobs = 0;        // jobs and messages since the last commit point
    size_t messages = 0;    // messages among them
    size_t bytes = 0;       // their packed bytes
    TimePoint oldest;       // when the first of them was queued
  };

  BackgroundWriter(std::unique_ptr<Database> db, Micros commit_interval);
  void Loop();
  // Waits until there is work: a full buffer or a job to run, a commit due,
  // a flush, settle or stop; or a pause (no longer than kPause while the
  // journal has a backlog).
  Work NextWork();
  // Whether anything waits to be committed, queued or run.
  // REQUIRES: mu_ held, on the writer thread.
  bool Uncommitted() const;
  // When the oldest job not yet committed must be committed.
  // REQUIRES: Uncommitted().
  TimePoint CommitDeadline() const;
  // Wakes the writer when the queue was empty. REQUIRES: mu_ held.
  void NoteFirst();
  // The item SubmitMessage appends to, with room for `bytes` after its
  // packed_size. REQUIRES: mu_ held.
  Item& JournalItem(int64_t session_id, const std::shared_ptr<const RowFilter>& filter,
                    size_t bytes);
  // Runs `items` in the open transaction (beginning one if needed); after
  // a failure, only counts them.
  void Run(std::deque<Item>& items);
  Status RunItem(Item& item);
  // Commits (or, after a failure, has rolled back) the open transaction and
  // reports its jobs as finished.
  void CommitPoint();
  void Finish(size_t jobs, const Status& status, int64_t journaled);
  // Keeps a few packed buffers, at their full size, for reuse by SubmitMessage.
  void Recycle(std::deque<Item>& items);
  // Moves one journal row into `messages` in its own transaction; false
  // when there is nothing (more) to move or it failed.
  bool SettleStep();
  // Whether jobs, a stop or a SettleJournal() wait for the writer.
  bool WorkWaiting() const;
  // SettleStep() until the journal is empty, then wakes the SettleJournal()
  // calls up to `request`.
  void SettleAll(uint64_t request);

  const std::unique_ptr<Database> db_;
  SessionStore store_;  // used only on the writer thread
  const Micros commit_interval_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;               // writer waits: jobs, flush or stop
  std::condition_variable done_cv_;               // Flush waits: jobs finished
  std::deque<Item> queue_;                        // guarded by mu_
  std::vector<Buffer> spare_buffers_;  // packed buffers kept at full size; guarded by mu_
  JournalPacker packer_;               // packs into queue_'s last item; guarded by mu_
  uint64_t submitted_ = 0;                        // guarded by mu_
  uint64_t finished_ = 0;                         // guarded by mu_
  int flush_waiters_ = 0;                         // guarded by mu_
  uint64_t settle_requested_ = 0;  // SettleJournal() calls so far; guarded by mu_
  uint64_t settled_request_ = 0;   // the last of them answered; guarded by mu_
  int64_t journal_backlog_ = 0;   // guarded by mu_
  bool settle_failed_ = false;    // stop moving rows after an error; guarded by mu_
  bool stop_ = false;                             // guarded by mu_
  size_t buffered_bytes_ = 0;  // packed buffers queued or being written; guarded by mu_
  size_t backlog_high_ = SIZE_MAX, backlog_low_ = 0;  // WatchBacklog(); guarded by mu_
  bool backlog_over_ = false;                         // guarded by mu_
  std::function<void(bool over)> on_backlog_;         // guarded by mu_
  Status first_error_;                            // guarded by mu_

  Transaction txn_;     // writer thread only
  std::thread thread_;  // runs Loop(); joined by the destructor
};

}  // namespace wsmock::store
