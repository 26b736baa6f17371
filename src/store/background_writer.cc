#include "store/background_writer.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <system_error>
#include <utility>

namespace wsmock::store {

namespace {

// A journal row holds about this many bytes of packed messages (one larger
// message makes a row of its own). Small enough that moving one row into
// `messages` is a short step; large enough that appending it costs little.
constexpr size_t kJournalRowBytes = 256 * 1024;
// SubmitMessages checks the row's size once for this many messages at most.
constexpr size_t kMessagesPerCheck = 8;
static_assert(kRowRebuiltBytes + kMessagesPerCheck * JournalPacker::kMaxDeltaPayload <=
              kMaxRebuiltBytesPerRow);
// The most bytes `messages` pack into.
size_t PackedBound(std::span<const FlaggedMessage> messages) {
  size_t bytes = 0;
  for (const FlaggedMessage& message : messages) bytes += store::PackedBound(message);
  return bytes;
}
// Packed buffers kept for reuse: the writer hands each back as soon as it is
// appended, so a few cover a busy loop and matter little at idle.
constexpr size_t kSpareBuffers = 8;
// A transaction with fewer messages and bytes than these leaves time to
// move one journal step after it: the journal keeps up with light traffic
// as it comes. Bytes count too: a step of large replies (pages of a big
// fixture) takes seconds, in which the traffic piles up.
constexpr size_t kLightCommit = 4096;
constexpr size_t kLightCommitBytes = 1u << 20;
// Messages moved from the journal in one transaction: enough that commits
// and checkpoints are few, few enough that a step takes some milliseconds.
constexpr int64_t kSettleStepMessages = 8192;
// ... and at most about this many packed bytes (a few rows of large
// replies), so that a step of big messages is no longer than one of small.
constexpr size_t kSettleStepBytes = 8u << 20;
// With a backlog, this long without a submission counts as a pause in which
// the journal is moved.
constexpr std::chrono::milliseconds kPause(100);

}  // namespace

Result<std::unique_ptr<BackgroundWriter>> BackgroundWriter::Start(std::unique_ptr<Database> db,
                                                                  Micros commit_interval) {
  if (db == nullptr || db->mode() != OpenMode::kReadWrite) {
    return Status::InvalidArgument("the background writer needs a database open for writing");
  }
  if (commit_interval <= 0) {
    return Status::InvalidArgument("the commit interval must be positive");
  }
  std::unique_ptr<BackgroundWriter> writer(new BackgroundWriter(std::move(db), commit_interval));
  // Rows a killed wsmock left in the journal are moved in the first pause.
  Result<int64_t> backlog = writer->store_.JournalBacklog();
  if (!backlog.ok()) return backlog.status();
  writer->journal_backlog_ = *backlog;
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
  // The writer sleeps while there is nothing to do; the first job arms its
  // commit deadline.
  if (queue_.empty()) work_cv_.notify_one();
}

void BackgroundWriter::Submit(Job job) {
  std::lock_guard<std::mutex> lock(mu_);
  NoteFirst();
  Item item;
  item.job = std::move(job);
  item.queued_at = std::chrono::steady_clock::now();
  queue_.push_back(std::move(item));
  ++submitted_;
}

BackgroundWriter::Item& BackgroundWriter::JournalItem(
    int64_t session_id, const std::shared_ptr<const RowFilter>& filter, size_t bytes) {
  if (!queue_.empty()) {
    Item& last = queue_.back();
    if (!last.job && last.session_id == session_id && last.filter == filter &&
        packer_.rebuilt_bytes() <= kRowRebuiltBytes) {
      if (last.packed_size + bytes <= kJournalRowBytes) return last;
      // `last` is full: the writer appends it now, and its buffer comes back
      // soon, still in cache.
      work_cv_.notify_one();
    }
  }
  // A row must read on its own: no deltas of an earlier row's payloads.
  packer_.Reset();
  Item item;
  item.session_id = session_id;
  item.filter = filter;
  item.queued_at = std::chrono::steady_clock::now();
  if (!spare_buffers_.empty()) {
    item.packed = std::move(spare_buffers_.back());
    spare_buffers_.pop_back();
  }
  if (item.packed.size < std::max(kJournalRowBytes, bytes)) {
    item.packed.size = std::max(kJournalRowBytes, bytes);
    item.packed.data.reset(new char[item.packed.size]);
  }
  buffered_bytes_ += item.packed.size;
  if (!backlog_over_ && buffered_bytes_ > backlog_high_) {
    backlog_over_ = true;
    on_backlog_(true);
  }
  queue_.push_back(std::move(item));
  return queue_.back();
}

void BackgroundWriter::SubmitMessage(int64_t session_id, const FlaggedMessage& message,
                                     const std::shared_ptr<const RowFilter>& filter) {
  SubmitMessages(session_id, std::span<const FlaggedMessage>(&message, 1), filter);
}

void BackgroundWriter::SubmitMessages(int64_t session_id, std::span<const FlaggedMessage> messages,
                                      const std::shared_ptr<const RowFilter>& filter) {
  if (messages.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  NoteFirst();
  for (size_t i = 0; i < messages.size(); i += kMessagesPerCheck) {
    const std::span<const FlaggedMessage> some =
        messages.subspan(i, std::min(kMessagesPerCheck, messages.size() - i));
    Item& item = JournalItem(session_id, filter, PackedBound(some));
    char* const begin = item.packed.data.get();
    char* out = begin + item.packed_size;
    for (const FlaggedMessage& message : some) out = packer_.Append(message, out);
    item.packed_size = static_cast<size_t>(out - begin);
    item.message_count += static_cast<int64_t>(some.size());
  }
  submitted_ += messages.size();
}

Status BackgroundWriter::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = submitted_;
  ++flush_waiters_;
  work_cv_.notify_one();  // commit now rather than at the deadline
  done_cv_.wait(lock, [&] { return finished_ >= target; });
  --flush_waiters_;
  return first_error_;
}

Status BackgroundWriter::SettleJournal() {
  return SettleJournal(std::chrono::milliseconds::max(), nullptr);
}

Status BackgroundWriter::SettleJournal(std::chrono::milliseconds every,
                                       const std::function<void(int64_t left)>& report) {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t request = ++settle_requested_;
  work_cv_.notify_one();
  auto settled = [&] { return settled_request_ >= request; };
  if (!report) {
    done_cv_.wait(lock, settled);
    return first_error_;
  }
  while (!done_cv_.wait_for(lock, every, settled)) {
    const int64_t left = journal_backlog_;
    lock.unlock();  // a report may log, and the writer must not wait for it
    report(left);
    lock.lock();
  }
  return first_error_;
}

void BackgroundWriter::WatchBacklog(size_t high, size_t low,
                                    std::function<void(bool over)> on_change) {
  std::lock_guard<std::mutex> lock(mu_);
  backlog_high_ = high;
  backlog_low_ = low;
  on_backlog_ = std::move(on_change);
}

size_t BackgroundWriter::buffered_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buffered_bytes_;
}

int64_t BackgroundWriter::journal_backlog() const {
  std::lock_guard<std::mutex> lock(mu_);
  return journal_backlog_;
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
    Work work = NextWork();
    Run(work.items);
    Recycle(work.items);
    if (work.commit) {
      const bool light = txn_.messages < kLightCommit && txn_.bytes < kLightCommitBytes;
      CommitPoint();
      // Light traffic: the journal keeps up as it comes.
      if (light && !work.settle_all) SettleStep();
    }
    if (work.settle_all) {
      SettleAll(work.settle_request);
      if (work.stopping) return;
    } else if (work.idle) {
      // A pause: move the journal until work comes again.
      while (SettleStep() && !WorkWaiting()) {
      }
    }
  }
}

bool BackgroundWriter::WorkWaiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !queue_.empty() || stop_ || settle_requested_ > settled_request_;
}

bool BackgroundWriter::Uncommitted() const { return txn_.jobs > 0 || !queue_.empty(); }

BackgroundWriter::TimePoint BackgroundWriter::CommitDeadline() const {
  // Items are queued and run in the order they came, so the oldest is the
  // transaction's first, or else the queue's.
  const TimePoint oldest = txn_.jobs > 0 ? txn_.oldest : queue_.front().queued_at;
  return oldest + std::chrono::microseconds(commit_interval_);
}

BackgroundWriter::Work BackgroundWriter::NextWork() {
  std::unique_lock<std::mutex> lock(mu_);
  auto settle_wanted = [this] { return stop_ || settle_requested_ > settled_request_; };
  // Everything but a packed buffer still being filled may run now.
  auto ready = [this] { return queue_.size() > 1 || (!queue_.empty() && queue_.back().job); };
  // Let jobs gather so that many share one commit, but never hold the oldest
  // longer than one interval: that bounds what a kill -9 can lose. The
  // steady clock only times the wait; no data depends on it.
  auto commit_due = [&] {
    return Uncommitted() && (flush_waiters_ > 0 || settle_wanted() ||
                             std::chrono::steady_clock::now() >= CommitDeadline());
  };
  Work work;
  for (;;) {
    if (ready() || commit_due() || settle_wanted()) break;
    if (Uncommitted()) {
      work_cv_.wait_until(lock, CommitDeadline());
    } else if (journal_backlog_ > 0 && !settle_failed_) {
      if (!work_cv_.wait_for(lock, kPause, [&] { return !queue_.empty() || settle_wanted(); })) {
        work.idle = true;
        return work;
      }
    } else {
      work_cv_.wait(lock);
    }
  }
  work.stopping = stop_;
  work.settle_all = settle_wanted();
  work.commit = commit_due();
  if (work.commit) {
    // Everything submitted so far is committed with this: it answers the
    // SettleJournal() calls made so far.
    work.settle_request = settle_requested_;
    work.items = std::exchange(queue_, {});
    return work;
  }
  if (queue_.empty()) {
    // Nothing queued and nothing open: every job submitted so far is done.
    work.settle_request = settle_requested_;
    return work;
  }
  const size_t keep = queue_.back().job ? 0 : 1;
  while (queue_.size() > keep) {
    work.items.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return work;
}

void BackgroundWriter::Run(std::deque<Item>& items) {
  for (Item& item : items) {
    if (txn_.jobs == 0) txn_.oldest = item.queued_at;
    txn_.jobs += item.jobs();
    if (!item.job) {
      txn_.messages += static_cast<size_t>(item.message_count);
      txn_.bytes += item.packed_size;
    }
    if (!txn_.status.ok()) continue;  // rolled back: dropped until the commit point
    if (!txn_.open) {
      txn_.status = db_->Begin().WithContext(db_->path());
      txn_.open = txn_.status.ok();
      if (!txn_.open) continue;
    }
    txn_.status = RunItem(item);
    if (!txn_.status.ok()) {
      // Rolling back the whole transaction keeps the file as it was before it.
      db_->Rollback();
      txn_.open = false;
    }
  }
}

Status BackgroundWriter::RunItem(Item& item) {
  if (item.job) return item.job(store_);
  std::string_view packed(item.packed.data.get(), item.packed_size);
  std::string redacted;
  if (item.filter) {
    redacted.reserve(item.packed_size);
    // Redaction rewrites the messages, so they are unpacked and packed again.
    std::vector<MessageRow> rows;
    WSMOCK_RETURN_IF_ERROR(ReadJournal(packed, item.session_id, &rows));
    for (MessageRow& row : rows) {
      (*item.filter)(&row);
      AppendToJournal(JournalMessage::Of(row), &redacted);
    }
    packed = redacted;
  }
  return store_.AppendJournal(item.session_id, item.message_count, packed);
}

void BackgroundWriter::CommitPoint() {
  Status s = txn_.status;
  if (txn_.open) {
    s = db_->Commit().WithContext(db_->path());
    if (!s.ok()) db_->Rollback();
  }
  // Counted by the store, so that jobs which journal messages count too.
  const int64_t journaled = store_.TakeJournaledCount();
  Finish(txn_.jobs, s, s.ok() ? journaled : 0);
  txn_ = Transaction{};
}

void BackgroundWriter::Finish(size_t jobs, const Status& status, int64_t journaled) {
  std::lock_guard<std::mutex> lock(mu_);
  finished_ += jobs;
  journal_backlog_ += journaled;
  if (!status.ok() && first_error_.ok()) first_error_ = status;
  done_cv_.notify_all();
}

void BackgroundWriter::Recycle(std::deque<Item>& items) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Item& item : items) {
    if (item.job) continue;
    const size_t size = item.packed.size;
    buffered_bytes_ -= size;
    // A buffer one huge message grew is not worth keeping.
    if (spare_buffers_.size() == kSpareBuffers || size < kJournalRowBytes ||
        size > 4 * kJournalRowBytes) {
      continue;
    }
    spare_buffers_.push_back(std::move(item.packed));
  }
  if (backlog_over_ && buffered_bytes_ < backlog_low_) {
    backlog_over_ = false;
    on_backlog_(false);
  }
}

bool BackgroundWriter::SettleStep() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (journal_backlog_ == 0 || settle_failed_) return false;
  }
  Status s = db_->Begin().WithContext(db_->path());
  int64_t moved = 0;
  if (s.ok()) {
    Result<int64_t> settled = store_.SettleJournal(kSettleStepMessages, kSettleStepBytes);
    s = settled.status();
    if (settled.ok()) moved = *settled;
  }
  if (s.ok()) s = db_->Commit().WithContext(db_->path());
  if (!s.ok()) db_->Rollback();
  std::lock_guard<std::mutex> lock(mu_);
  if (!s.ok()) {
    // The rows stay in the journal, where readers still find them.
    settle_failed_ = true;
    if (first_error_.ok()) first_error_ = s;
    return false;
  }
  // An empty journal with a count left means rows were removed behind our back.
  journal_backlog_ = moved == 0 ? 0 : std::max<int64_t>(0, journal_backlog_ - moved);
  return moved > 0;
}

void BackgroundWriter::SettleAll(uint64_t request) {
  while (SettleStep()) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  settled_request_ = std::max(settled_request_, request);
  done_cv_.notify_all();
}

}  // namespace wsmock::store
