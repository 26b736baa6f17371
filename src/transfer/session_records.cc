#include "transfer/session_records.h"

#include <algorithm>
#include <set>
#include <utility>

namespace wsmock::transfer {
namespace {

std::string MessageOrphan(const SessionRecord& record, const store::MessageRow& message) {
  return "session " + std::to_string(record.info.id) + ": message " + std::to_string(message.seq) +
         " belongs to connection " + std::to_string(message.connection_id) + ", which has no row";
}

// What has been seen of the current session, to refuse lines that clash.
struct SessionIndex {
  std::set<int64_t> connections;
  std::set<std::pair<int64_t, int64_t>> messages;  // connection id, seq
  std::set<int64_t> ticks;
};

class RecordBuilder {
 public:
  // Adds one parsed line; errors carry the line kind but no location.
  Status Add(Line line) {
    return std::visit([this](auto&& row) { return AddRow(std::move(row)); }, std::move(line));
  }
  std::vector<SessionRecord> Finish();

 private:
  Status AddRow(store::SessionInfo info);
  Status AddRow(store::ConnectionRow row);
  Status AddRow(store::MessageRow row);
  Status AddRow(SnapshotLine line);
  Status CheckSession(const char* kind, int64_t session_id) const;

  std::vector<SessionRecord> records_;
  SessionIndex index_;
};

Status RecordBuilder::CheckSession(const char* kind, int64_t session_id) const {
  if (records_.empty()) {
    return Status::InvalidArgument(std::string(kind) + ": comes before any session line");
  }
  const int64_t id = records_.back().info.id;
  if (session_id != id) {
    return Status::InvalidArgument(std::string(kind) + ": field 'session' is " +
                                   std::to_string(session_id) +
                                   " but the session line above has id " + std::to_string(id));
  }
  return Status::Ok();
}

Status RecordBuilder::AddRow(store::SessionInfo info) {
  records_.push_back(SessionRecord{std::move(info), {}, {}, {}});
  index_ = SessionIndex();
  return Status::Ok();
}

Status RecordBuilder::AddRow(store::ConnectionRow row) {
  WSMOCK_RETURN_IF_ERROR(CheckSession("connection", row.session_id));
  if (!index_.connections.insert(row.id).second) {
    return Status::InvalidArgument("connection: id " + std::to_string(row.id) +
                                   " appears twice in session " + std::to_string(row.session_id));
  }
  records_.back().connections.push_back(std::move(row));
  return Status::Ok();
}

Status RecordBuilder::AddRow(store::MessageRow row) {
  if (records_.empty()) return Status::InvalidArgument("message: comes before any session line");
  if (index_.connections.count(row.connection_id) == 0) {
    return Status::InvalidArgument("message: connection " + std::to_string(row.connection_id) +
                                   " has no connection line before it in its session");
  }
  if (!index_.messages.insert({row.connection_id, row.seq}).second) {
    return Status::InvalidArgument("message: seq " + std::to_string(row.seq) +
                                   " appears twice in connection " +
                                   std::to_string(row.connection_id));
  }
  row.session_id = records_.back().info.id;
  records_.back().messages.push_back(std::move(row));
  return Status::Ok();
}

Status RecordBuilder::AddRow(SnapshotLine line) {
  WSMOCK_RETURN_IF_ERROR(CheckSession("snapshot", line.session_id));
  if (!index_.ticks.insert(line.snapshot.tick.tick_index).second) {
    return Status::InvalidArgument("snapshot: tick " +
                                   std::to_string(line.snapshot.tick.tick_index) +
                                   " appears twice in session " + std::to_string(line.session_id));
  }
  records_.back().snapshots.push_back(std::move(line.snapshot));
  return Status::Ok();
}

std::vector<SessionRecord> RecordBuilder::Finish() {
  // A hand-edited file may list rows in any order; export's order is fixed.
  for (SessionRecord& r : records_) {
    std::stable_sort(r.connections.begin(), r.connections.end(),
                     [](const auto& a, const auto& b) { return a.id < b.id; });
    std::stable_sort(r.messages.begin(), r.messages.end(), [](const auto& a, const auto& b) {
      return std::pair(a.connection_id, a.seq) < std::pair(b.connection_id, b.seq);
    });
    std::stable_sort(r.snapshots.begin(), r.snapshots.end(), [](const auto& a, const auto& b) {
      return a.tick.tick_index < b.tick.tick_index;
    });
  }
  return std::move(records_);
}

}  // namespace

Status AppendSessionRecord(std::string* out, const SessionRecord& record) {
  WSMOCK_RETURN_IF_ERROR(AppendSessionLine(out, record.info));
  // Both lists are sorted by connection id: one merge walk pairs them.
  size_t m = 0;
  const std::vector<store::MessageRow>& messages = record.messages;
  for (const store::ConnectionRow& connection : record.connections) {
    if (m < messages.size() && messages[m].connection_id < connection.id) {
      return Status::Corruption(MessageOrphan(record, messages[m]));
    }
    AppendConnectionLine(out, connection);
    for (; m < messages.size() && messages[m].connection_id == connection.id; ++m) {
      WSMOCK_RETURN_IF_ERROR(AppendMessageLine(out, messages[m]));
    }
  }
  if (m < messages.size()) return Status::Corruption(MessageOrphan(record, messages[m]));
  for (const SnapshotRows& snapshot : record.snapshots) {
    WSMOCK_RETURN_IF_ERROR(AppendSnapshotLine(out, record.info.id, snapshot));
  }
  return Status::Ok();
}

Result<std::vector<SessionRecord>> ParseSessionRecords(std::string_view text,
                                                       std::string_view source) {
  RecordBuilder builder;
  size_t line_number = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    // A checkout with CRLF line ends must import the same; no embedded
    // value holds a raw CR, so the one before '\n' is never data.
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    Result<Line> parsed = ParseLine(line);
    Status s = parsed.ok() ? builder.Add(std::move(parsed).value()) : parsed.status();
    if (!s.ok()) return s.WithContext(std::string(source) + ":" + std::to_string(line_number));
  }
  return builder.Finish();
}

}  // namespace wsmock::transfer
