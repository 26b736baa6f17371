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

void BackgroundWriter::NoteFirst() {
  if (!queue_.empty()) return;
  // The writer sleeps while there is nothing to do; the first job starts
  // the clock on its batch.
  oldest_ = std::chrono::steady_clock::now();
  work_cv_.notify_one();
}

void BackgroundWriter::Submit(Job job) {
  std::lock_guard<std::mutex> lock(mu_);
  NoteFirst();
  queue_.push_back(Item{std::move(job), {}, nullptr});
  ++queued_jobs_;
  ++submitted_;
}

void BackgroundWriter::SubmitMessage(MessageRow row,
                                     const std::shared_ptr<const RowFilter>& filter) {
  // Rows used to travel one std::function each; under load that was an
  // allocation and a queue node per message on the loop thread.
  constexpr size_t kRowsPerEntry = 256;
  std::lock_guard<std::mutex> lock(mu_);
  NoteFirst();
  if (queue_.empty() || queue_.back().job || queue_.back().filter != filter) {
    queue_.push_back(Item{nullptr, {}, filter});
    queue_.back().rows.reserve(kRowsPerEntry);
  }
  queue_.back().rows.push_back(std::move(row));
  ++queued_jobs_;
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
    size_t jobs = 0;
    std::deque<Item> batch = NextBatch(&jobs);
    if (batch.empty()) return;
    Status s = RunBatch(batch);
    Finish(jobs, s);
  }
}

std::deque<BackgroundWriter::Item> BackgroundWriter::NextBatch(size_t* jobs) {
  std::unique_lock<std::mutex> lock(mu_);
  work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
  // Let jobs gather so that many share one commit, but never hold the oldest
  // longer than one interval: that bounds what a kill -9 can lose. The
  // steady clock only times the wait; no data depends on it.
  const auto deadline = oldest_ + std::chrono::microseconds(commit_interval_);
  work_cv_.wait_until(lock, deadline, [this] { return stop_ || flush_waiters_ > 0; });
  *jobs = std::exchange(queued_jobs_, 0);
  return std::exchange(queue_, {});
}

Status BackgroundWriter::RunItem(Item& item) {
  if (item.job) return item.job(store_);
  if (item.filter) {
    for (MessageRow& row : item.rows) (*item.filter)(&row);
  }
  return store_.InsertMessages(item.rows);
}

Status BackgroundWriter::RunBatch(std::deque<Item>& batch) {
  Status s = db_->Begin().WithContext(db_->path());
  for (Item& item : batch) {
    if (!s.ok()) break;  // the batch is rolled back anyway
    s = RunItem(item);
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
