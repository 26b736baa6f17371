#include "store/background_writer.h"

#include <string>
#include <system_error>
#include <utility>

namespace wsmock::store {

Result<std::unique_ptr<BackgroundWriter>> BackgroundWriter::Start(std::unique_ptr<Database> db,
                                                                  Micros commit_interval) {
  if (db == nullptr || db->mode() != OpenMode::kReadWrite) {
    return Status::InvalidArgument("the background writer needs a database open for writing");
  }
  if (commit_interval <= 0) {
    return Status::InvalidArgument("the commit interval must be positive");
  }
  std::unique_ptr<BackgroundWriter> writer(new BackgroundWriter(std::move(db), commit_interval));
  try {
    writer->thread_ = std::thread([w = writer.get()] { w->Loop(); });
  } catch (const std::system_error& e) {  // std::thread reports failure only this way
    return Status::Internal(std::string("cannot start the writer thread: ") + e.what());
  }
  return writer;
}

BackgroundWriter::BackgroundWriter(std::unique_ptr<Database> db, Micros commit_interval)
    : db_(std::move(db)), store_(db_.get()), commit_interval_(commit_interval) {}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BackgroundWriter::Submit(Job job) {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.empty()) {
    // The writer sleeps while there is nothing to do; the first job starts
    // the clock on its batch.
    oldest_ = std::chrono::steady_clock::now();
    work_cv_.notify_one();
  }
  queue_.push_back(std::move(job));
  ++submitted_;
}

Status BackgroundWriter::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = submitted_;
  ++flush_waiters_;
  work_cv_.notify_one();  // cut the batch window short
  done_cv_.wait(lock, [&] { return finished_ >= target; });
  --flush_waiters_;
  return first_error_;
}

Status BackgroundWriter::first_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_error_;
}

size_t BackgroundWriter::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<size_t>(submitted_ - finished_);
}

void BackgroundWriter::Loop() {
  for (;;) {
    std::deque<Job> batch = NextBatch();
    if (batch.empty()) return;
    Status s = RunBatch(batch);
    Finish(batch.size(), s);
  }
}

std::deque<BackgroundWriter::Job> BackgroundWriter::NextBatch() {
  std::unique_lock<std::mutex> lock(mu_);
  work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
  // Let jobs gather so that many share one commit, but never hold the oldest
  // longer than one interval: that bounds what a kill -9 can lose. The
  // steady clock only times the wait; no data depends on it.
  const auto deadline = oldest_ + std::chrono::microseconds(commit_interval_);
  work_cv_.wait_until(lock, deadline, [this] { return stop_ || flush_waiters_ > 0; });
  return std::exchange(queue_, {});
}

Status BackgroundWriter::RunBatch(std::deque<Job>& batch) {
  Status s = db_->Begin().WithContext(db_->path());
  for (Job& job : batch) {
    if (!s.ok()) break;  // the batch is rolled back anyway
    s = job(store_);
  }
  if (s.ok()) s = db_->Commit().WithContext(db_->path());
  // Rolling back the whole batch keeps the file as it was before it.
  if (!s.ok()) db_->Rollback();
  return s;
}

void BackgroundWriter::Finish(size_t jobs, const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  finished_ += jobs;
  if (!status.ok() && first_error_.ok()) first_error_ = status;
  done_cv_.notify_all();
}

}  // namespace wsmock::store
