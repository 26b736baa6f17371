#include "recorder/recorder.h"

#include <algorithm>
#include <utility>

#include "protocol/codec.h"
#include "recorder/message_redaction.h"
#include "store/message_journal.h"

namespace wsmock::recorder {
namespace {

store::JournalKind JournalKindOf(protocol::MessageKind kind) {
  switch (kind) {
    case protocol::MessageKind::kRequest:
      return store::JournalKind::kRequest;
    case protocol::MessageKind::kResponse:
      return store::JournalKind::kResponse;
    case protocol::MessageKind::kError:
      return store::JournalKind::kError;
    case protocol::MessageKind::kUpdate:
      return store::JournalKind::kUpdate;
    case protocol::MessageKind::kOther:
      return store::JournalKind::kOther;
  }
  return store::JournalKind::kOther;
}

}  // namespace

PeekedMeta::PeekedMeta(std::string_view payload, bool binary) {
  if (!binary) peek_ = protocol::PeekMessage(payload);
}

Recorder::Recorder(store::BackgroundWriter* writer, int64_t session_id, const Clock* clock,
                   int64_t first_connection_id)
    : session_id_(session_id),
      writer_(writer),
      clock_(clock),
      next_connection_id_(first_connection_id) {}

void Recorder::RedactWith(std::shared_ptr<const json::Redactor> redactor) {
  redactor_ = std::move(redactor);
  redact_row_ = nullptr;
  if (redactor_ == nullptr) return;
  redact_row_ = std::make_shared<const store::BackgroundWriter::RowFilter>(
      [redactor = redactor_](store::MessageRow* row) { RedactMessage(*redactor, row); });
}

void Recorder::OnOpen(uint64_t connection, std::string_view peer, std::string_view path) {
  OnOpenAt(connection, peer, path, clock_->Now());
}

void Recorder::OnOpenAt(uint64_t connection, std::string_view peer, std::string_view path,
                        Micros opened_at) {
  OpenConnection open{next_connection_id_++, opened_at, 1};
  open_[connection] = open;
  store::ConnectionRow row;
  row.session_id = session_id_;
  row.id = open.id;
  row.opened_at = open.opened_at;
  row.peer = std::string(peer);
  row.path = std::string(path);
  writer_->Submit([row](store::SessionStore& store) { return store.InsertConnection(row); });
}

store::MessageRow Recorder::NewRow(Direction direction, std::string_view payload, bool binary,
                                   MessageMeta meta) const {
  store::MessageRow row;
  row.session_id = session_id_;
  row.direction = direction == Direction::kIn ? "in" : "out";
  row.kind = std::string(protocol::MessageKindName(meta.kind));
  if (meta.action) row.action = std::string(*meta.action);
  if (meta.request_id) row.request_id = std::string(*meta.request_id);
  row.payload = std::string(payload);
  row.binary = binary;
  return row;
}

void Recorder::OnMessage(uint64_t connection, Direction direction, std::string_view payload,
                         bool binary, MessageMeta meta) {
  OnMessageAt(connection, direction, payload, binary, std::move(meta), clock_->Now());
}

store::FlaggedMessage Recorder::Numbered(OpenConnection* open, Direction direction,
                                         const Frame& frame, Micros at) {
  store::FlaggedMessage message;
  message.connection_id = open->id;
  message.seq = open->next_seq++;
  message.offset = at - open->opened_at;
  message.flags = store::FlaggedMessage::Flags(
      direction == Direction::kOut, JournalKindOf(frame.meta.kind), frame.binary,
      frame.meta.action.has_value(), frame.meta.request_id.has_value());
  message.action = frame.meta.action.value_or("");
  message.request_id = frame.meta.request_id.value_or("");
  message.payload = frame.payload;
  return message;
}

void Recorder::OnMessageAt(uint64_t connection, Direction direction, std::string_view payload,
                           bool binary, MessageMeta meta, Micros at) {
  auto it = open_.find(connection);
  if (it == open_.end()) return;  // opened before recording started
  // Redacting on the writer thread keeps the parse off the loop.
  writer_->SubmitMessage(session_id_,
                         Numbered(&it->second, direction, {payload, binary, meta}, at),
                         redact_row_);
}

void Recorder::OnExchangeAt(uint64_t connection, const Frame& request, const Frame& reply,
                            Micros at) {
  auto it = open_.find(connection);
  if (it == open_.end()) return;  // opened before recording started
  const store::FlaggedMessage both[] = {Numbered(&it->second, Direction::kIn, request, at),
                                        Numbered(&it->second, Direction::kOut, reply, at)};
  writer_->SubmitMessages(session_id_, both, redact_row_);
}

std::vector<uint64_t> Recorder::OpenIdsInOrder() const {
  // Ascending, so rows are written in the same order on every run.
  std::vector<uint64_t> ids;
  ids.reserve(open_.size());
  for (const auto& entry : open_) ids.push_back(entry.first);
  std::sort(ids.begin(), ids.end());
  return ids;
}

void Recorder::OnBroadcast(std::string_view payload, MessageMeta meta) {
  if (open_.empty()) return;
  // One job for all copies: the payload is copied and redacted once, not
  // once per connection.
  const Micros now = clock_->Now();
  std::vector<store::MessageCopy> targets;
  targets.reserve(open_.size());
  for (uint64_t id : OpenIdsInOrder()) {
    OpenConnection& open = open_[id];
    targets.push_back(store::MessageCopy{open.id, open.next_seq++, now - open.opened_at});
  }
  store::MessageRow row = NewRow(Direction::kOut, payload, false, meta);
  writer_->Submit([row = std::move(row), targets = std::move(targets),
                   redactor = redactor_](store::SessionStore& store) mutable {
    if (redactor) RedactMessage(*redactor, &row);
    return store.AppendJournalCopies(row, targets);
  });
}

void Recorder::OnClose(uint64_t connection, int close_code) {
  auto it = open_.find(connection);
  if (it == open_.end()) return;
  int64_t id = it->second.id;
  open_.erase(it);
  Micros now = clock_->Now();
  int64_t session = session_id_;
  writer_->Submit([session, id, now, close_code](store::SessionStore& store) {
    return store.CloseConnection(session, id, now, close_code);
  });
}

void Recorder::CloseAll(int close_code) {
  for (uint64_t id : OpenIdsInOrder()) OnClose(id, close_code);
}

void Recorder::End() {
  CloseAll(1001);
  Micros now = clock_->Now();
  int64_t session = session_id_;
  writer_->Submit(
      [session, now](store::SessionStore& store) { return store.EndSession(session, now); });
}

}  // namespace wsmock::recorder
