// ClientFrame: one WebSocket text message as the masked frame a client
// sends, built ahead of time so that writing one costs a copy. An `{{id}}`
// in the text becomes a number per frame; the rest is masked once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wsmock::bench {

class ClientFrame {
 public:
  static constexpr std::string_view kIdPlaceholder = "{{id}}";
  // The longest frame header: 2 bytes, 8 of length, 4 of mask key.
  static constexpr size_t kMaxHeader = 14;

  // `mask` is the frame's masking key (RFC 6455 5.3); any fixed value
  // works for a server, and a fixed one lets the payload be masked once.
  ClientFrame(std::string_view text, std::array<uint8_t, 4> mask);

  bool has_id() const { return has_id_; }
  // The largest frame Write() can produce (ids up to 20 digits).
  size_t max_size() const;
  // Writes the frame for request `id` to `out` and returns its length.
  // REQUIRES: `out` has room for max_size() bytes.
  size_t Write(uint64_t id, uint8_t* out) const;

 private:
  size_t WriteHeader(size_t payload_size, uint8_t* out) const;

  std::array<uint8_t, 4> mask_;
  bool has_id_ = false;
  std::string prefix_;  // masked from payload offset 0
  // The text after the id, masked as if it started at payload offset
  // 0, 1, 2 or 3 (mod 4): the id's length decides which one fits.
  std::array<std::string, 4> suffix_;
};

}  // namespace wsmock::bench
