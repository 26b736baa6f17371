#include "replayer/recorded_exchanges.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

#include "replayer/pending_requests.h"

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
  auto by_seq = [](const store::MessageRow* a, const store::MessageRow* b) { return a->seq < b->seq; };
  for (auto& g : grouped) {
    // Rows as stored are mostly in seq order already: checking is cheaper
    // than a merge sort that finds nothing to move.
    if (!std::is_sorted(g.messages.begin(), g.messages.end(), by_seq)) {
      std::stable_sort(g.messages.begin(), g.messages.end(), by_seq);
    }
  }
  return grouped;
}

PairedMessages PairMessages(const std::vector<const store::MessageRow*>& messages) {
  PairedMessages paired;
  PendingRequests waiting;
  for (const store::MessageRow* row : messages) {
    if (row->direction == "in") {
      waiting.Add(paired.exchanges.size(), IdOf(*row));
      paired.exchanges.push_back(PairedMessages::Exchange{row, nullptr});
      continue;
    }
    if (std::optional<PendingRequests::Token> target = waiting.Take(row->kind, IdOf(*row))) {
      paired.exchanges[*target].answer = row;
    } else if (row->kind == "update" || row->kind == "other") {
      paired.pushes.push_back(PairedMessages::Push{row, paired.exchanges.size()});
    }
  }
  return paired;
}

}  // namespace wsmock::replayer
