#include "recorder/recorder.h"

#include <algorithm>
#include <vector>

namespace wsmock::recorder {

Recorder::Recorder(store::BackgroundWriter* writer, int64_t session_id, const Clock* clock)
    : session_id_(session_id), writer_(writer), clock_(clock) {}

void Recorder::OnOpen(uint64_t connection, std::string_view peer, std::string_view path) {
  OpenConnection open{next_connection_id_++, clock_->Now(), 1};
  open_[connection] = open;
  store::ConnectionRow row;
  row.session_id = session_id_;
  row.id = open.id;
  row.opened_at = open.opened_at;
  row.peer = std::string(peer);
  row.path = std::string(path);
  writer_->Submit([row](store::SessionStore& store) { return store.InsertConnection(row); });
}

void Recorder::OnMessage(uint64_t connection, Direction direction, std::string_view payload,
                         bool binary, MessageMeta meta) {
  auto it = open_.find(connection);
  if (it == open_.end()) return;  // opened before recording started
  OpenConnection& open = it->second;
  store::MessageRow row;
  row.session_id = session_id_;
  row.connection_id = open.id;
  row.seq = open.next_seq++;
  row.offset = clock_->Now() - open.opened_at;
  row.direction = direction == Direction::kIn ? "in" : "out";
  row.kind = std::string(protocol::MessageKindName(meta.kind));
  row.action = std::move(meta.action);
  row.request_id = std::move(meta.request_id);
  row.payload = std::string(payload);
  row.binary = binary;
  writer_->Submit(
      [row = std::move(row)](store::SessionStore& store) { return store.InsertMessage(row); });
}

void Recorder::OnBroadcast(std::string_view payload, const MessageMeta& meta) {
  // Connection ids in ascending order, so the rows are written in the same
  // order on every run.
  std::vector<uint64_t> ids;
  ids.reserve(open_.size());
  for (const auto& entry : open_) ids.push_back(entry.first);
  std::sort(ids.begin(), ids.end());
  for (uint64_t id : ids) OnMessage(id, Direction::kOut, payload, false, meta);
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

void Recorder::End() {
  std::vector<uint64_t> ids;
  for (const auto& entry : open_) ids.push_back(entry.first);
  std::sort(ids.begin(), ids.end());
  for (uint64_t id : ids) OnClose(id, 1001);
  Micros now = clock_->Now();
  int64_t session = session_id_;
  writer_->Submit(
      [session, now](store::SessionStore& store) { return store.EndSession(session, now); });
}

}  // namespace wsmock::recorder
