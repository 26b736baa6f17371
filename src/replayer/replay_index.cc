#include "replayer/replay_index.h"

#include <algorithm>
#include <tuple>

#include "replayer/closest_key.h"
#include "replayer/recorded_exchanges.h"
#include "util/json_scan.h"

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

// Files one connection's paired exchanges and its pushes. An incoming
// message's key is computed once: pushes name the last one before them.
void WalkConnection(const RecordedConnection& recorded, const KeyMaker& keys,
                    std::vector<Exchange>* exchanges, std::vector<ReplayIndex::Push>* pushes) {
  PairedMessages paired = PairMessages(recorded.messages);
  std::vector<std::optional<std::string>> in_keys;
  for (const auto& e : paired.exchanges) in_keys.push_back(keys.KeyOfFrame(e.in->payload));
  for (size_t i = 0; i < paired.exchanges.size(); ++i) {
    const PairedMessages::Exchange& e = paired.exchanges[i];
    if (e.answer == nullptr || !in_keys[i]) continue;  // unanswered: nothing to replay
    exchanges->push_back(Exchange{recorded.connection->opened_at + e.answer->offset,
                                  e.answer->connection_id, e.answer->seq, *in_keys[i],
                                  &e.answer->payload});
  }
  for (const PairedMessages::Push& p : paired.pushes) {
    const std::optional<std::string>* last = p.after > 0 ? &in_keys[p.after - 1] : nullptr;
    pushes->push_back(ReplayIndex::Push{p.row->offset, p.row->payload,
                                        last != nullptr && *last ? **last : std::string()});
  }
}

}  // namespace

Result<ReplayIndex> ReplayIndex::Build(const std::vector<store::ConnectionRow>& connections,
                                       const std::vector<store::MessageRow>& messages,
                                       const KeyMaker& keys) {
  Result<std::vector<RecordedConnection>> grouped = GroupByConnection(connections, messages);
  if (!grouped.ok()) return grouped.status();

  ReplayIndex index;
  std::vector<Exchange> exchanges;
  index.pushes_.resize(grouped->size());
  for (size_t i = 0; i < grouped->size(); ++i) {
    WalkConnection((*grouped)[i], keys, &exchanges, &index.pushes_[i]);
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
