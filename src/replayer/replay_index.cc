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
                                       const KeyMaker& keys, std::optional<Micros> session_end) {
  Result<std::vector<RecordedConnection>> grouped = GroupByConnection(connections, messages);
  if (!grouped.ok()) return grouped.status();

  ReplayIndex index;
  std::vector<Exchange> exchanges;
  for (const RecordedConnection& recorded : *grouped) {
    std::vector<Push> pushes;
    WalkConnection(recorded, keys, &exchanges, &pushes);
    const bool appended = session_end && recorded.connection->opened_at > *session_end;
    if (!appended) index.pushes_.push_back(std::move(pushes));
  }
  std::sort(exchanges.begin(), exchanges.end(), [](const Exchange& a, const Exchange& b) {
    return std::tie(a.at, a.connection, a.seq) < std::tie(b.at, b.connection, b.seq);
  });
  for (Exchange& e : exchanges) {
    KeyState& state = index.answers_[e.key];
    if (state.answers.empty()) index.sorted_keys_.push_back(e.key);
    state.answers.push_back(MakeEntry(*e.payload));
  }
  std::sort(index.sorted_keys_.begin(), index.sorted_keys_.end());
  index.recorded_requests_ = exchanges.size();
  return index;
}

ReplayIndex::Entry ReplayIndex::MakeEntry(std::string payload) {
  // Found once here so that Answer() is a splice, not a parse.
  json::Span id = json::FindTopLevelValue(payload, "requestId");
  return Entry{std::move(payload), id.begin, id.end};
}

void ReplayIndex::Record(const std::string& key, std::string payload) {
  KeyState& state = answers_[key];
  if (state.answers.empty()) {
    // Kept sorted: a later miss may name it as the closest recorded key.
    sorted_keys_.insert(std::lower_bound(sorted_keys_.begin(), sorted_keys_.end(), key), key);
  } else if (state.asked >= static_cast<int64_t>(state.answers.size())) {
    // Every answer was handed out and the last was repeating: the new one
    // comes next, as it would in the file.
    state.next = state.answers.size();
  }
  if (state.recorded == 0) recorded_keys_.push_back(key);
  state.answers.push_back(MakeEntry(std::move(payload)));
  ++state.recorded;
  ++recorded_now_;
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
    } else if (state.recorded == 0) {
      report.unused.push_back({key, DescribeKey(key)});
    }
  }
  for (const std::string& key : recorded_keys_) {
    report.recorded.push_back({key, DescribeKey(key), answers_.at(key).recorded});
  }
  report.requests_matched = matched_;
  report.requests_recorded = recorded_now_;
  report.requests_total = matched_ + recorded_now_;
  for (const Miss& miss : misses_) {
    std::string closest = miss.closest.empty() ? "" : DescribeKey(miss.closest);
    report.unmatched.push_back({miss.key, DescribeKey(miss.key), closest, miss.count});
    report.requests_total += miss.count;
  }
  return report;
}

}  // namespace wsmock::replayer
