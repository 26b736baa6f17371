#include "server/connection.h"

#include <cstring>

namespace wsmock::server {

std::shared_ptr<const Frame> Frame::Make(std::string_view payload, bool binary) {
  std::string buffer;
  buffer.reserve(LWS_PRE + payload.size());
  buffer.append(LWS_PRE, '\0').append(payload);
  return Adopt(std::move(buffer), LWS_PRE, binary);
}

std::shared_ptr<const Frame> Frame::Adopt(std::string buffer, size_t headroom, bool binary) {
  return std::make_shared<const Frame>(Key{}, std::move(buffer), headroom, binary);
}

size_t WriteFrameHeader(unsigned char* out, size_t size, bool binary) {
  out[0] = static_cast<unsigned char>(0x80 | (binary ? 0x2 : 0x1));  // FIN and the opcode
  if (size < 126) {
    out[1] = static_cast<unsigned char>(size);
    return 2;
  }
  if (size < 65536) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(size >> 8);
    out[3] = static_cast<unsigned char>(size);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
  return kMaxFrameHeader;
}

bool Connection::Append(const void* data, size_t len, bool binary_if_first, size_t max_message) {
  if (!in_message_) {
    in_message_ = true;
    binary_ = binary_if_first;
    message_.clear();
  }
  if (len > max_message - message_.size()) {
    message_.clear();
    message_.shrink_to_fit();
    in_message_ = false;
    return false;
  }
  message_.append(static_cast<const char*>(data), len);
  return true;
}

std::string Connection::TakeMessage() {
  in_message_ = false;
  return std::move(message_);
}

bool Connection::Enqueue(std::shared_ptr<const Frame> frame, size_t max_bytes) {
  // The bound is for a client that does not read, whose replies pile up;
  // the one frame in an empty queue is what a reading client is taking in.
  // (The sum cannot wrap: both are sizes of buffers in memory.)
  if (queued_bytes_ > 0 && queued_bytes_ + frame->size() > max_bytes) return false;
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  return true;
}

std::shared_ptr<const Frame> Connection::PopFrame() {
  std::shared_ptr<const Frame> frame = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= frame->size();
  return frame;
}

void Connection::RequestClose(int code, std::string_view reason, bool drop_queue) {
  if (drop_queue) {
    queue_.clear();
    queued_bytes_ = 0;
  }
  if (close_requested_) return;  // the first reason wins
  close_requested_ = true;
  close_code_ = code;
  close_reason_ = std::string(reason.substr(0, kMaxCloseReason));
}

void Connection::NotePeerClose(int code) {
  if (close_requested_) return;
  close_code_ = code;
  peer_closed_ = true;
}

void Connection::NoteLwsClose(int code) {
  if (!close_requested_ && !peer_closed_) close_code_ = code;
}

}  // namespace wsmock::server
