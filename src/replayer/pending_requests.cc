#include "replayer/pending_requests.h"

namespace wsmock::replayer {
namespace {

// "" for no id: no JSON text spells it, so it cannot clash with a real id.
std::string Normalized(std::string_view id) {
  if (id == "null") return {};
  return std::string(id);
}

}  // namespace

void PendingRequests::Add(Token token, std::string_view id) {
  entries_.push_back(Entry{token, Normalized(id)});
  ++waiting_;
}

void PendingRequests::IndexIds() {
  for (; indexed_ < entries_.size(); ++indexed_) {
    if (!entries_[indexed_].answered) by_id_[entries_[indexed_].id].push_back(indexed_);
  }
}

std::optional<PendingRequests::Token> PendingRequests::Take(std::string_view kind,
                                                            std::string_view id) {
  const std::string key = Normalized(id);
  std::optional<size_t> target;
  if (kind == "response" || kind == "error") {
    target = OldestWithId(key);
    if (!target && key.empty()) target = Oldest();
  } else if (kind == "other") {
    target = OldestWithId(key);
  }
  if (!target) return std::nullopt;
  return Answer(*target);
}

std::vector<PendingRequests::Token> PendingRequests::TakeAll() {
  std::vector<Token> tokens;
  for (size_t i = oldest_; i < entries_.size(); ++i) {
    if (!entries_[i].answered) tokens.push_back(entries_[i].token);
  }
  Reset();
  return tokens;
}

void PendingRequests::Reset() {
  entries_.clear();
  by_id_.clear();
  indexed_ = 0;
  oldest_ = 0;
  waiting_ = 0;
}

// Queues may hold entries answered through another queue; they are skipped
// here, so each queue is walked once in all.
std::optional<size_t> PendingRequests::OldestWithId(const std::string& id) {
  // The oldest waiting message is the oldest with its id.
  std::optional<size_t> oldest = Oldest();
  if (!oldest) return std::nullopt;
  if (entries_[*oldest].id == id) return oldest;
  IndexIds();
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  std::deque<size_t>& queue = it->second;
  while (!queue.empty() && entries_[queue.front()].answered) queue.pop_front();
  if (queue.empty()) return std::nullopt;
  return queue.front();
}

std::optional<size_t> PendingRequests::Oldest() {
  while (oldest_ < entries_.size() && entries_[oldest_].answered) ++oldest_;
  if (oldest_ == entries_.size()) return std::nullopt;
  return oldest_;
}

PendingRequests::Token PendingRequests::Answer(size_t index) {
  entries_[index].answered = true;
  const Token token = entries_[index].token;
  // A live connection asks and is answered for hours: forget everything each
  // time nothing waits, so memory follows what is in flight, not the history.
  if (--waiting_ == 0) Reset();
  return token;
}

}  // namespace wsmock::replayer
