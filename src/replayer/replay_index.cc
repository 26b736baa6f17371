#include "replayer/replay_index.h"

#include <algorithm>
#include <deque>
#include <tuple>

#include "replayer/closest_key.h"
#include "util/json_pointer.h"

namespace wsmock::replayer {
namespace {

// An indexed exchange before it is filed under its key.
struct Exchange {
  Micros at;  // when the answer was sent: connection opened_at + offset
  int64_t connection;
  int64_t seq;
  std::string key;
  const std::string* payload;
};

// requestId as comparable text; "" for none, which no JSON text spells, so
// requests without an id queue for the id-less errors.
std::string IdOf(const store::MessageRow& row) {
  if (!row.request_id || *row.request_id == "null") return {};
  return *row.request_id;
}

std::string Where(const store::MessageRow& row) {
  return "message " + std::to_string(row.seq) + " on connection " +
         std::to_string(row.connection_id);
}

// Pairs one connection's rows (in seq order): incoming messages wait in a
// queue per requestId until an answer with that id claims the oldest.
void WalkConnection(const store::ConnectionRow& connection,
                    const std::vector<const store::MessageRow*>& rows, const KeyMaker& keys,
                    std::vector<Exchange>* exchanges, std::vector<ReplayIndex::Push>* pushes) {
  std::unordered_map<std::string, std::deque<std::string>> waiting;  // id -> keys, oldest first
  std::string last_key;
  for (const store::MessageRow* row : rows) {
    if (row->binary) continue;  // the protocol is text; a binary frame has no key
    if (row->direction == "in") {
      std::optional<std::string> key = keys.KeyOfFrame(row->payload);
      if (!key) continue;
      last_key = *key;
      waiting[IdOf(*row)].push_back(std::move(*key));
    } else if (row->kind == "update") {
      pushes->push_back(ReplayIndex::Push{row->offset, row->payload, last_key});
    } else if (row->kind == "response" || row->kind == "error") {
      std::string id = IdOf(*row);
      // Only an error can answer a frame that had no requestId to echo.
      if (id.empty() && row->kind == "response") continue;
      auto it = waiting.find(id);
      if (it == waiting.end() || it->second.empty()) continue;  // answers nothing we saw
      exchanges->push_back(Exchange{connection.opened_at + row->offset, row->connection_id,
                                    row->seq, std::move(it->second.front()), &row->payload});
      it->second.pop_front();
    }
  }
}

// Connections by id, or Corruption on a repeated id.
Result<std::vector<const store::ConnectionRow*>> SortConnections(
    const std::vector<store::ConnectionRow>& connections) {
  std::vector<const store::ConnectionRow*> sorted;
  for (const auto& c : connections) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i]->id == sorted[i - 1]->id) {
      return Status::Corruption("connection " + std::to_string(sorted[i]->id) + " appears twice");
    }
  }
  return sorted;
}

// Messages grouped per connection (same order as `sorted`), each by seq.
Result<std::vector<std::vector<const store::MessageRow*>>> GroupMessages(
    const std::vector<const store::ConnectionRow*>& sorted,
    const std::vector<store::MessageRow>& messages) {
  std::unordered_map<int64_t, size_t> index;
  for (size_t i = 0; i < sorted.size(); ++i) index[sorted[i]->id] = i;
  std::vector<std::vector<const store::MessageRow*>> groups(sorted.size());
  for (const auto& m : messages) {
    auto it = index.find(m.connection_id);
    if (it == index.end()) return Status::Corruption(Where(m) + ": no such connection");
    if (m.direction != "in" && m.direction != "out") {
      return Status::Corruption(Where(m) + ": direction '" + m.direction + "'");
    }
    groups[it->second].push_back(&m);
  }
  for (auto& g : groups) {
    std::stable_sort(g.begin(), g.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
  }
  return groups;
}

}  // namespace

Result<ReplayIndex> ReplayIndex::Build(const std::vector<store::ConnectionRow>& connections,
                                       const std::vector<store::MessageRow>& messages,
                                       const KeyMaker& keys) {
  auto sorted = SortConnections(connections);
  if (!sorted.ok()) return sorted.status();
  auto groups = GroupMessages(*sorted, messages);
  if (!groups.ok()) return groups.status();

  ReplayIndex index;
  std::vector<Exchange> exchanges;
  index.pushes_.resize(sorted->size());
  for (size_t i = 0; i < sorted->size(); ++i) {
    WalkConnection(*(*sorted)[i], (*groups)[i], keys, &exchanges, &index.pushes_[i]);
  }
  std::sort(exchanges.begin(), exchanges.end(), [](const Exchange& a, const Exchange& b) {
    return std::tie(a.at, a.connection, a.seq) < std::tie(b.at, b.connection, b.seq);
  });
  for (Exchange& e : exchanges) {
    // Found once here so that Answer() is a splice, not a parse.
    json::Span id = json::FindTopLevelValue(*e.payload, "requestId");
    KeyState& state = index.answers_[e.key];
    if (state.answers.empty()) index.sorted_keys_.push_back(e.key);
    state.answers.push_back(Entry{*e.payload, id.begin, id.end});
  }
  std::sort(index.sorted_keys_.begin(), index.sorted_keys_.end());
  index.recorded_requests_ = exchanges.size();
  return index;
}

std::optional<std::string> ReplayIndex::Answer(const std::string& key,
                                               std::string_view request_id_json) {
  auto it = answers_.find(key);
  if (it == answers_.end()) return std::nullopt;
  KeyState& state = it->second;
  const Entry& entry = state.answers[state.next];
  if (state.next + 1 < state.answers.size()) ++state.next;  // the last one repeats
  ++state.asked;
  ++matched_;
  if (entry.id_begin == std::string::npos || request_id_json.empty()) return entry.payload;
  std::string out;
  out.reserve(entry.payload.size() + request_id_json.size());
  out.append(entry.payload, 0, entry.id_begin);
  out.append(request_id_json);
  out.append(entry.payload, entry.id_end);
  return out;
}

std::optional<std::string> ReplayIndex::Closest(std::string_view key) const {
  return ClosestKey(key, sorted_keys_);
}

std::string ReplayIndex::NoteUnmatched(const std::string& key) {
  auto [it, inserted] = miss_index_.try_emplace(key, misses_.size());
  if (inserted) {
    // Computed once per distinct key: the search is the costly part.
    misses_.push_back(Miss{key, Closest(key).value_or(""), 0});
  }
  Miss& miss = misses_[it->second];
  ++miss.count;
  std::string message = "no recorded answer for " + DescribeKey(key);
  if (miss.closest.empty()) return message + "; nothing was recorded";
  return message + "; closest recorded: " + DescribeKey(miss.closest);
}

const std::vector<ReplayIndex::Push>& ReplayIndex::PushesFor(size_t client_index) const {
  static const std::vector<Push> kNone;
  if (pushes_.empty()) return kNone;
  return pushes_[std::min(client_index, pushes_.size() - 1)];
}

ReplayReport ReplayIndex::MakeReport() const {
  ReplayReport report;
  for (const std::string& key : sorted_keys_) {
    const KeyState& state = answers_.at(key);
    if (state.asked > 0) {
      report.matched.push_back({key, DescribeKey(key), state.asked});
    } else {
      report.unused.push_back({key, DescribeKey(key)});
    }
  }
  report.requests_matched = matched_;
  report.requests_total = matched_;
  for (const Miss& miss : misses_) {
    std::string closest = miss.closest.empty() ? "" : DescribeKey(miss.closest);
    report.unmatched.push_back({miss.key, DescribeKey(miss.key), closest, miss.count});
    report.requests_total += miss.count;
  }
  return report;
}

}  // namespace wsmock::replayer
