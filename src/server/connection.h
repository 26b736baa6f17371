// One open WebSocket connection's state, private to src/server: the
// reassembly buffer for incoming fragments, the outgoing queue of shared
// frames, and how and why it is closing. Loop thread only.
#pragma once

#include <libwebsockets.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "server/ws_server.h"

namespace wsmock::server {

// One outgoing message with LWS_PRE bytes of headroom in front of it, where
// lws_write puts the frame header. A Frame shared between served clients is
// written to each in turn on the one loop thread, and the header lws writes
// is the same for every one (server frames are unmasked), so sharing is
// safe. Not so for a Dial()ed connection: lws masks a client's payload in
// place, so each frame queued there must be its own.
class Frame {
 public:
  static std::shared_ptr<const Frame> Make(std::string_view payload, bool binary = false);
  // Takes `buffer` whole: its first `headroom` bytes are the room in front,
  // the rest is the payload. REQUIRES: LWS_PRE <= headroom <= buffer.size().
  static std::shared_ptr<const Frame> Adopt(std::string buffer, size_t headroom,
                                            bool binary = false);
  unsigned char* payload() const {
    return reinterpret_cast<unsigned char*>(buffer_.data()) + headroom_;
  }
  size_t size() const { return buffer_.size() - headroom_; }
  bool binary() const { return binary_; }

 private:
  // Public for std::make_shared (one allocation for the frame and its count,
  // not two), yet only Make and Adopt can name the key.
  struct Key {
    explicit Key() = default;
  };

 public:
  Frame(Key, std::string buffer, size_t headroom, bool binary)
      : buffer_(std::move(buffer)), headroom_(headroom), binary_(binary) {}

 private:
  // lws writes the header into the headroom of a Frame shared as const.
  mutable std::string buffer_;
  size_t headroom_;
  bool binary_;
};

// A close frame's payload is at most 125 bytes: the code and this much text.
constexpr size_t kMaxCloseReason = 123;

// The longest header of a server's (unmasked) frame.
constexpr size_t kMaxFrameHeader = 10;
// Writes the header lws_write would put before an unmasked, final text or
// binary frame of `size` payload bytes (RFC 6455 5.2) at `out`, which has
// room for kMaxFrameHeader bytes; returns its length.
size_t WriteFrameHeader(unsigned char* out, size_t size, bool binary);

class Connection {
 public:
  // `handler` gets this connection's events; `dialed` marks one we opened.
  // A served connection is open from the start.
  Connection(ConnectionId id, lws* wsi, Handler* handler, bool dialed)
      : id_(id), wsi_(wsi), handler_(handler), dialed_(dialed), open_(!dialed) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  ConnectionId id() const { return id_; }
  lws* wsi() const { return wsi_; }
  Handler* handler() const { return handler_; }
  bool dialed() const { return dialed_; }
  // A served connection's peer, as its handler was told at OnOpen.
  const PeerInfo& peer() const { return peer_; }
  void set_peer(PeerInfo peer) { peer_ = std::move(peer); }

  // A Dial()ed connection is not open until its handshake completes; until
  // then it has no wsi of its own to write on (the one lws gave out may
  // still fail) and what is sent to it waits in the queue.
  bool open() const { return open_; }
  void MarkOpen(lws* wsi) {
    wsi_ = wsi;
    open_ = true;
  }
  void set_wsi(lws* wsi) { wsi_ = wsi; }

  // When the peer last sent anything (lws's monotonic clock), for the idle
  // timeout.
  void NoteActivity(lws_usec_t now) { last_active_ = now; }
  lws_usec_t last_active() const { return last_active_; }

  // --- Incoming. Returns false, keeping nothing, if the message would grow
  // beyond `max_message` bytes.
  bool Append(const void* data, size_t len, bool binary_if_first, size_t max_message);
  bool message_binary() const { return binary_; }
  std::string TakeMessage();

  // --- Outgoing. Returns false, and queues nothing, when the queue would
  // pass `max_bytes`; an empty queue takes any one frame, so a reply larger
  // than the bound still reaches a client that reads.
  bool Enqueue(std::shared_ptr<const Frame> frame, size_t max_bytes);
  // REQUIRES: has_frames()
  const Frame& front_frame() const { return *queue_.front(); }
  // REQUIRES: has_frames()
  std::shared_ptr<const Frame> PopFrame();
  bool has_frames() const { return !queue_.empty(); }
  size_t frame_count() const { return queue_.size(); }
  size_t queued_bytes() const { return queued_bytes_; }

  // --- Closing. `drop_queue` skips the frames not yet written.
  void RequestClose(int code, std::string_view reason, bool drop_queue);
  bool closing() const { return close_requested_; }
  // Our close frame is due: requested and nothing left to write first.
  bool close_due() const { return close_requested_ && queue_.empty(); }
  const std::string& close_reason() const { return close_reason_; }
  // The peer's close frame; only counts if we did not close first.
  void NotePeerClose(int code);
  // The close frame lws sent by itself (1007 for invalid UTF-8, 1002 for a
  // protocol error); counts if neither we nor the peer gave a code first.
  void NoteLwsClose(int code);
  int close_code() const { return close_code_; }
  // Our close frame has gone to lws; only the peer's answer is awaited.
  void MarkCloseSent() { close_sent_ = true; }
  bool close_sent() const { return close_sent_; }

 private:
  ConnectionId id_;
  lws* wsi_;
  Handler* handler_;
  bool dialed_;
  PeerInfo peer_;
  bool open_ = false;
  lws_usec_t last_active_ = 0;
  std::string message_;
  bool in_message_ = false;
  bool binary_ = false;
  std::deque<std::shared_ptr<const Frame>> queue_;
  size_t queued_bytes_ = 0;
  bool close_requested_ = false;
  std::string close_reason_;
  int close_code_ = 1006;  // a drop unless a close frame says otherwise
  bool peer_closed_ = false;
  bool close_sent_ = false;
};

}  // namespace wsmock::server
