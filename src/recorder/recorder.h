// Records one session's traffic: connections, every message both ways with
// a per-connection sequence number and its offset from the connection's
// start. Loop thread only; every row goes to the BackgroundWriter, so the
// loop never waits on the disk. With a Redactor, payloads are redacted on
// the writer thread, before their row is written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/codec.h"
#include "protocol/message.h"
#include "store/background_writer.h"
#include "util/clock.h"
#include "util/json_redact.h"

namespace wsmock::recorder {

enum class Direction { kIn, kOut };

// What is known of a message without parsing it again: views that need
// only live for the call they are given to (the recorder packs them at once).
struct MessageMeta {
  protocol::MessageKind kind = protocol::MessageKind::kOther;
  std::optional<std::string_view> action;
  std::optional<std::string_view> request_id;  // JSON text
};

// A MessageMeta read from the payload itself, for messages no handler has
// decoded (a relayed frame, an upstream's answer); a binary frame has none.
// meta() views this object's strings.
class PeekedMeta {
 public:
  explicit PeekedMeta(std::string_view payload, bool binary = false);
  MessageMeta meta() const { return {peek_.kind, peek_.action, peek_.request_id}; }

 private:
  protocol::Peek peek_;
};

// One frame as a handler saw it, for OnExchangeAt.
struct Frame {
  std::string_view payload;
  bool binary = false;
  MessageMeta meta;
};

class Recorder {
 public:
  // `writer` and `clock` must outlive the recorder. Times come from `clock`
  // unless a call gives one. Connection ids count from `first_connection_id`
  // (greater than 1 when appending to a session that has connections).
  Recorder(store::BackgroundWriter* writer, int64_t session_id, const Clock* clock,
           int64_t first_connection_id = 1);
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Messages recorded from now on are redacted (message_redaction.h) by the
  // writer thread before they are stored; null turns redaction off. The
  // redactor is shared with queued jobs, so it may outlive the recorder.
  void RedactWith(std::shared_ptr<const json::Redactor> redactor);

  void OnOpen(uint64_t connection, std::string_view peer, std::string_view path);
  // The same, for a connection that opened at `opened_at` (which may be
  // before now: replay --record-missing opens its rows only when needed).
  void OnOpenAt(uint64_t connection, std::string_view peer, std::string_view path,
                Micros opened_at);
  void OnMessage(uint64_t connection, Direction direction, std::string_view payload, bool binary,
                 MessageMeta meta);
  // The same for a message that crossed at `at`. Messages are numbered in
  // call order, whatever their times.
  void OnMessageAt(uint64_t connection, Direction direction, std::string_view payload, bool binary,
                   MessageMeta meta, Micros at);
  // A request and the reply to it, both at `at`: the same as two
  // OnMessageAt calls, for one lookup and one hand-over to the writer.
  void OnExchangeAt(uint64_t connection, const Frame& request, const Frame& reply, Micros at);
  // The same message to every open connection (an update push).
  void OnBroadcast(std::string_view payload, MessageMeta meta);
  void OnClose(uint64_t connection, int close_code);
  // Closes every connection still open with `close_code`.
  void CloseAll(int close_code);
  // Marks the session ended; connections still open are closed with 1001.
  void End();
  // The clock the recording's times come from.
  const Clock* clock() const { return clock_; }

 private:
  struct OpenConnection {
    int64_t id;  // per session, from 1
    Micros opened_at;
    int64_t next_seq;  // from 1
  };
  store::MessageRow NewRow(Direction direction, std::string_view payload, bool binary,
                           MessageMeta meta) const;
  // The journal's form of a message of `open` at `at`, numbered next.
  static store::FlaggedMessage Numbered(OpenConnection* open, Direction direction,
                                        const Frame& frame, Micros at);
  std::vector<uint64_t> OpenIdsInOrder() const;

  const int64_t session_id_;
  store::BackgroundWriter* writer_;
  const Clock* clock_;
  // Redacts a row on the writer thread; null: store payloads as they are.
  std::shared_ptr<const store::BackgroundWriter::RowFilter> redact_row_;
  std::shared_ptr<const json::Redactor> redactor_;  // the one redact_row_ uses
  int64_t next_connection_id_;
  std::unordered_map<uint64_t, OpenConnection> open_;  // lookup only, never iterated for output
};

}  // namespace wsmock::recorder
