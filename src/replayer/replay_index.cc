#include "replayer/replay_index.h"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "replayer/closest_key.h"
#include "replayer/frame_keys.h"
#include "replayer/recorded_exchanges.h"
#include "util/json_scan.h"

namespace wsmock::replayer {
namespace {

// An indexed exchange before it is filed under its key.
struct Exchange {
  Micros at;  // when the answer was sent: connection opened_at + offset
  int64_t connection;
  int64_t seq;
  const std::string* key;  // owned by the FrameKeys
  const std::string* payload;
  bool binary;  // the answer is a binary frame
};

// json::FindTopLevelValue(payload, "requestId") for a recording's answers.
// An answer ends with its requestId, after the whole of its data, so the
// scan reads it all; answers mostly repeat but for that id. When an answer
// ends in a plain id (IsPlainId) just before its closing brace and an
// earlier answer with the same bytes before that id was scanned to find the
// id there, the scan would go the same way: the same span, no scan.
class AnswerIdSpans {
 public:
  // REQUIRES: the bytes of every payload given outlive this object.
  // `previous`: the last answer filed under the same key (or ""), whose id
  // span is `previous_id`; answers of one key mostly differ only in their
  // id, and comparing with it is cheaper than hashing the bytes.
  json::Span Find(std::string_view payload, std::string_view previous, json::Span previous_id) {
    const size_t begin = PlainTailValue(payload);
    const size_t end = payload.size() - 1;
    if (begin != std::string_view::npos && previous_id.begin == begin &&
        previous_id.end == previous.size() - 1 &&
        payload.substr(0, begin) == previous.substr(0, begin)) {
      return json::Span{begin, end};  // previous's span came from a scan of these bytes
    }
    if (begin != std::string_view::npos && scanned_.contains(payload.substr(0, begin))) {
      return json::Span{begin, end};
    }
    json::Span id = json::FindTopLevelValue(payload, "requestId");
    if (begin != std::string_view::npos && id.begin == begin && id.end == end) {
      scanned_.insert(payload.substr(0, begin));
    }
    return id;
  }

  std::unordered_set<std::string_view> scanned_;  // the bytes before each id
};

bool Earlier(const Exchange& a, const Exchange& b) {
  return std::tie(a.at, a.connection, a.seq) < std::tie(b.at, b.connection, b.seq);
}

// Sorts `exchanges` by Earlier, given the ends of the runs it is made of
// (one per connection, each mostly in order already): each run is sorted
// on its own, then neighbouring runs are merged, n log(runs) steps rather
// than a sort's n log n.
void SortRuns(std::vector<Exchange>* exchanges, std::vector<size_t> ends) {
  auto at = [exchanges](size_t i) { return exchanges->begin() + static_cast<ptrdiff_t>(i); };
  size_t begin = 0;
  for (size_t end : ends) {
    if (!std::is_sorted(at(begin), at(end), Earlier)) std::sort(at(begin), at(end), Earlier);
    begin = end;
  }
  while (ends.size() > 1) {
    std::vector<size_t> merged;
    for (size_t i = 0; i < ends.size(); i += 2) {
      if (i + 1 == ends.size()) {
        merged.push_back(ends[i]);
        break;
      }
      const size_t first = i == 0 ? 0 : ends[i - 1];
      std::inplace_merge(at(first), at(ends[i]), at(ends[i + 1]), Earlier);
      merged.push_back(ends[i + 1]);
    }
    ends.swap(merged);
  }
}

// Files one connection's paired exchanges and its pushes. An incoming
// message's key is computed once: pushes name the last one before them.
void WalkConnection(const RecordedConnection& recorded, FrameKeys* keys,
                    std::vector<Exchange>* exchanges, std::vector<const std::string*>* unanswered,
                    std::vector<ReplayIndex::Push>* pushes) {
  PairedMessages paired = PairMessages(recorded.messages);
  std::vector<const std::string*> in_keys;
  in_keys.reserve(paired.exchanges.size());
  for (const auto& e : paired.exchanges) {
    in_keys.push_back(e.in->binary ? keys->KeyOfBinary(e.in->payload) : keys->KeyOf(e.in->payload));
  }
  for (size_t i = 0; i < paired.exchanges.size(); ++i) {
    const PairedMessages::Exchange& e = paired.exchanges[i];
    if (in_keys[i] == nullptr) continue;
    if (e.answer == nullptr) {
      unanswered->push_back(in_keys[i]);
      continue;
    }
    exchanges->push_back(Exchange{recorded.connection->opened_at + e.answer->offset,
                                  e.answer->connection_id, e.answer->seq, in_keys[i],
                                  &e.answer->payload, e.answer->binary});
  }
  for (const PairedMessages::Push& p : paired.pushes) {
    const std::string* last = p.after > 0 ? in_keys[p.after - 1] : nullptr;
    pushes->push_back(ReplayIndex::Push{p.row->offset, p.row->payload, p.row->binary,
                                        last != nullptr ? *last : std::string()});
  }
}

}  // namespace

Result<ReplayIndex> ReplayIndex::Build(const std::vector<store::ConnectionRow>& connections,
                                       const std::vector<store::MessageRow>& messages,
                                       const KeyMaker& keys, std::optional<Micros> session_end) {
  Result<std::vector<RecordedConnection>> grouped = GroupByConnection(connections, messages);
  if (!grouped.ok()) return grouped.status();

  ReplayIndex index;
  FrameKeys key_cache(keys);
  std::vector<Exchange> exchanges;
  std::vector<const std::string*> unanswered;
  std::vector<size_t> run_ends;
  for (const RecordedConnection& recorded : *grouped) {
    std::vector<Push> pushes;
    WalkConnection(recorded, &key_cache, &exchanges, &unanswered, &pushes);
    run_ends.push_back(exchanges.size());
    const bool appended = session_end && recorded.connection->opened_at > *session_end;
    if (!appended) index.pushes_.push_back(std::move(pushes));
  }
  SortRuns(&exchanges, std::move(run_ends));
  AnswerIdSpans id_spans;
  // Keys are the FrameKeys' own strings, one per distinct key, so each is
  // hashed as text once; unordered_map nodes stay put.
  std::unordered_map<const std::string*, KeyState*> states;
  for (Exchange& e : exchanges) {
    KeyState*& cached = states[e.key];
    if (cached == nullptr) cached = &index.answers_[*e.key];
    KeyState& state = *cached;
    if (state.answers.empty()) index.sorted_keys_.push_back(*e.key);
    if (e.binary) {  // bytes as recorded: no requestId to find
      state.answers.push_back(Entry{*e.payload, std::string::npos, std::string::npos, true});
      continue;
    }
    const Entry* previous = state.answers.empty() ? nullptr : &state.answers.back();
    json::Span id = previous == nullptr
                        ? id_spans.Find(*e.payload, {}, json::Span{std::string::npos, std::string::npos})
                        : id_spans.Find(*e.payload, previous->payload,
                                        json::Span{previous->id_begin, previous->id_end});
    state.answers.push_back(Entry{*e.payload, id.begin, id.end});
  }
  for (const std::string* key : unanswered) {
    // A key with no answer anywhere; one answered elsewhere keeps its answers.
    if (states.contains(key)) continue;
    states[key] = &index.answers_[*key];
    index.sorted_keys_.push_back(*key);
  }
  std::sort(index.sorted_keys_.begin(), index.sorted_keys_.end());
  index.recorded_requests_ = exchanges.size();
  return index;
}

ReplayIndex::Entry ReplayIndex::MakeEntry(std::string_view payload) {
  // Found once here so that Answer() is a splice, not a parse.
  json::Span id = json::FindTopLevelValue(payload, "requestId");
  return Entry{payload, id.begin, id.end};
}

void ReplayIndex::Record(const std::string& key, std::string payload) {
  auto [it, added] = answers_.try_emplace(key);
  KeyState& state = it->second;
  if (added) {
    // Kept sorted: a later miss may name it as the closest recorded key.
    sorted_keys_.insert(std::lower_bound(sorted_keys_.begin(), sorted_keys_.end(), key), key);
  } else if (!state.answers.empty() && state.asked >= static_cast<int64_t>(state.answers.size())) {
    // Every answer was handed out and the last was repeating: the new one
    // comes next, as it would in the file.
    state.next = state.answers.size();
  }
  if (state.recorded == 0) recorded_keys_.push_back(key);
  state.answers.push_back(MakeEntry(recorded_payloads_.emplace_back(std::move(payload))));
  ++state.recorded;
  ++recorded_now_;
}

void ReplayIndex::Rewind() {
  for (auto& [key, state] : answers_) state.next = 0;
}

std::optional<std::string> ReplayIndex::Answer(const std::string& key,
                                               std::string_view request_id_json) {
  std::string out;
  if (AnswerInto(key, request_id_json, &out) == Found::kNothing) return std::nullopt;
  return out;
}

ReplayIndex::Found ReplayIndex::AnswerInto(const std::string& key,
                                           std::string_view request_id_json, std::string* out,
                                           bool* binary, Cursor* cursor) {
  auto it = answers_.find(key);
  if (it == answers_.end()) return Found::kNothing;
  KeyState& state = it->second;
  if (state.answers.empty()) {
    ++state.asked;
    ++matched_;
    return Found::kSilence;
  }
  size_t index = state.next;
  if (cursor != nullptr) {
    // Counted rather than capped, so that an answer Record() adds later is
    // the next for a cursor that had reached the end.
    int64_t& asked = cursor->asked_[&state];
    index = std::min(static_cast<size_t>(asked), state.answers.size() - 1);
    ++asked;
  } else if (state.next + 1 < state.answers.size()) {
    ++state.next;  // the last one repeats
  }
  const Entry& entry = state.answers[index];
  ++state.asked;
  ++matched_;
  if (binary != nullptr) *binary = entry.binary;
  if (entry.id_begin == std::string::npos || request_id_json.empty()) {
    out->append(entry.payload);
    return Found::kAnswer;
  }
  out->reserve(out->size() + entry.payload.size() + request_id_json.size());
  out->append(entry.payload.substr(0, entry.id_begin));
  out->append(request_id_json);
  out->append(entry.payload.substr(entry.id_end));
  return Found::kAnswer;
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
