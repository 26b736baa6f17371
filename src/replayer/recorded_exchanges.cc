#include "replayer/recorded_exchanges.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

namespace wsmock::replayer {
namespace {

std::string Where(const store::MessageRow& row) {
  return "message " + std::to_string(row.seq) + " on connection " +
         std::to_string(row.connection_id);
}

// requestId as comparable text; "" for none, which no JSON text spells.
std::string IdOf(const store::MessageRow& row) {
  if (!row.request_id || *row.request_id == "null") return {};
  return *row.request_id;
}

// The unanswered incoming messages of one connection, findable by id and by
// age. Queues may hold exchanges answered through another queue; Take skips
// them, so each queue is walked once in all.
class Waiting {
 public:
  explicit Waiting(PairedMessages* paired) : paired_(paired) {}

  void Add(const std::string& id, size_t exchange) { by_id_[id].push_back(exchange); }

  // The oldest unanswered exchange with requestId `id` ("" = none), if any.
  std::optional<size_t> OldestWithId(const std::string& id) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    std::deque<size_t>& queue = it->second;
    while (!queue.empty() && Answered(queue.front())) queue.pop_front();
    if (queue.empty()) return std::nullopt;
    return queue.front();
  }

  std::optional<size_t> Oldest() {
    while (oldest_ < paired_->exchanges.size() && Answered(oldest_)) ++oldest_;
    if (oldest_ == paired_->exchanges.size()) return std::nullopt;
    return oldest_;
  }

 private:
  bool Answered(size_t i) const { return paired_->exchanges[i].answer != nullptr; }

  PairedMessages* paired_;
  // Lookup only: never iterated, so its order cannot leak into the result.
  std::unordered_map<std::string, std::deque<size_t>> by_id_;
  size_t oldest_ = 0;
};

// Which waiting exchange `row` answers under the rules in the header.
std::optional<size_t> AnswerTarget(const store::MessageRow& row, Waiting* waiting) {
  const std::string id = IdOf(row);
  if (row.kind == "response" || row.kind == "error") {
    if (!id.empty()) return waiting->OldestWithId(id);
    std::optional<size_t> idless = waiting->OldestWithId("");
    return idless ? idless : waiting->Oldest();
  }
  if (row.kind == "other") return waiting->OldestWithId(id);
  return std::nullopt;
}

}  // namespace

Result<std::vector<RecordedConnection>> GroupByConnection(
    const std::vector<store::ConnectionRow>& connections,
    const std::vector<store::MessageRow>& messages) {
  std::vector<RecordedConnection> grouped;
  for (const auto& c : connections) grouped.push_back(RecordedConnection{&c, {}});
  std::sort(grouped.begin(), grouped.end(),
            [](const auto& a, const auto& b) { return a.connection->id < b.connection->id; });
  std::unordered_map<int64_t, size_t> index;
  for (size_t i = 0; i < grouped.size(); ++i) {
    if (!index.emplace(grouped[i].connection->id, i).second) {
      return Status::Corruption("connection " + std::to_string(grouped[i].connection->id) +
                                " appears twice");
    }
  }
  for (const auto& m : messages) {
    auto it = index.find(m.connection_id);
    if (it == index.end()) return Status::Corruption(Where(m) + ": no such connection");
    if (m.direction != "in" && m.direction != "out") {
      return Status::Corruption(Where(m) + ": direction '" + m.direction + "'");
    }
    grouped[it->second].messages.push_back(&m);
  }
  for (auto& g : grouped) {
    std::stable_sort(g.messages.begin(), g.messages.end(),
                     [](auto* a, auto* b) { return a->seq < b->seq; });
  }
  return grouped;
}

PairedMessages PairMessages(const std::vector<const store::MessageRow*>& messages) {
  PairedMessages paired;
  Waiting waiting(&paired);
  for (const store::MessageRow* row : messages) {
    if (row->binary) continue;  // the protocol is text
    if (row->direction == "in") {
      waiting.Add(IdOf(*row), paired.exchanges.size());
      paired.exchanges.push_back(PairedMessages::Exchange{row, nullptr});
      continue;
    }
    if (std::optional<size_t> target = AnswerTarget(*row, &waiting)) {
      paired.exchanges[*target].answer = row;
    } else if (row->kind == "update" || row->kind == "other") {
      paired.pushes.push_back(PairedMessages::Push{row, paired.exchanges.size()});
    }
  }
  return paired;
}

}  // namespace wsmock::replayer
