// BackgroundWriter: a thread that owns a read-write Database and runs the
// jobs handed to it in batches, one transaction per batch, committing at
// least every commit_interval - so the event loop never waits on the disk and
// a kill -9 loses at most about the last interval. Submit, Flush, pending and
// first_error may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/session_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace wsmock::store {

class BackgroundWriter {
 public:
  // Runs on the writer thread. A non-ok result rolls back its whole batch.
  using Job = std::function<Status(SessionStore&)>;
  // Runs on the writer thread on a row given to SubmitMessage just before it
  // is inserted (the recorder's redaction).
  using RowFilter = std::function<void(MessageRow*)>;

  static constexpr Micros kDefaultCommitInterval = 200'000;

  // Takes over `db` and starts the thread.
  // REQUIRES: db was opened with OpenMode::kReadWrite; commit_interval > 0.
  static Result<std::unique_ptr<BackgroundWriter>> Start(
      std::unique_ptr<Database> db, Micros commit_interval = kDefaultCommitInterval);

  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;
  // Runs and commits every job submitted, then joins the thread.
  // REQUIRES: no Submit() races with or follows destruction.
  ~BackgroundWriter();

  // Queues `job` and returns at once; never touches the disk.
  void Submit(Job job);
  // Queues SessionStore::InsertMessage(row), in order with the jobs, after
  // `filter` (if not null) has run on the row. Rows submitted back to back
  // with the same filter share one queue entry: no allocation of their own
  // beyond the row, and one lock per row. Counts as one job.
  void SubmitMessage(MessageRow row, const std::shared_ptr<const RowFilter>& filter);
  // Blocks until every job submitted before the call has been committed or
  // rolled back, then returns first_error().
  // REQUIRES: not called from a job.
  Status Flush();
  // The first error of any job, BEGIN or COMMIT so far; ok if none. Later
  // batches still run after an error (the disk may have room again).
  Status first_error() const;
  // Jobs submitted but not yet committed or rolled back.
  size_t pending() const;

 private:
  // One queue entry: a job, or (job empty) a run of message rows.
  struct Item {
    Job job;
    std::vector<MessageRow> rows;
    std::shared_ptr<const RowFilter> filter;  // applied to `rows`; may be null
  };

  BackgroundWriter(std::unique_ptr<Database> db, Micros commit_interval);
  void Loop();
  // Waits for work; returns the next batch, empty once stopping with none
  // left, and sets `*jobs` to the jobs (rows count one each) it holds.
  std::deque<Item> NextBatch(size_t* jobs);
  // Starts the batch clock and wakes the writer when the queue is empty.
  // REQUIRES: mu_ held.
  void NoteFirst();
  Status RunBatch(std::deque<Item>& batch);
  Status RunItem(Item& item);
  void Finish(size_t jobs, const Status& status);

  const std::unique_ptr<Database> db_;
  SessionStore store_;  // used only on the writer thread
  const Micros commit_interval_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;               // writer waits: jobs, flush or stop
  std::condition_variable done_cv_;               // Flush waits: jobs finished
  std::deque<Item> queue_;                        // guarded by mu_
  size_t queued_jobs_ = 0;                        // jobs and rows in queue_; guarded by mu_
  std::chrono::steady_clock::time_point oldest_;  // when queue_'s first job came; guarded by mu_
  uint64_t submitted_ = 0;                        // guarded by mu_
  uint64_t finished_ = 0;                         // guarded by mu_
  int flush_waiters_ = 0;                         // guarded by mu_
  bool stop_ = false;                             // guarded by mu_
  Status first_error_;                            // guarded by mu_

  std::thread thread_;  // runs Loop(); joined by the destructor
};

}  // namespace wsmock::store
