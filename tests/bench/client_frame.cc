#include "client_frame.h"

#include <cstring>

namespace wsmock::bench {
namespace {

std::string Masked(std::string_view text, const std::array<uint8_t, 4>& mask, size_t offset) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(static_cast<uint8_t>(out[i]) ^ mask[(offset + i) & 3]);
  }
  return out;
}

// Decimal digits of `value` into `out`, most significant first.
size_t FormatDecimal(uint64_t value, char* out) {
  char reversed[20];
  size_t n = 0;
  do {
    reversed[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < n; ++i) out[i] = reversed[n - 1 - i];
  return n;
}

}  // namespace

ClientFrame::ClientFrame(std::string_view text, std::array<uint8_t, 4> mask) : mask_(mask) {
  const size_t at = text.find(kIdPlaceholder);
  has_id_ = at != std::string_view::npos;
  const std::string_view before = has_id_ ? text.substr(0, at) : text;
  const std::string_view after =
      has_id_ ? text.substr(at + kIdPlaceholder.size()) : std::string_view();
  prefix_ = Masked(before, mask_, 0);
  for (size_t offset = 0; offset < 4; ++offset) suffix_[offset] = Masked(after, mask_, offset);
}

size_t ClientFrame::max_size() const {
  return kMaxHeader + prefix_.size() + (has_id_ ? 20 : 0) + suffix_[0].size();
}

size_t ClientFrame::WriteHeader(size_t payload_size, uint8_t* out) const {
  size_t n = 0;
  out[n++] = 0x81;  // FIN, text
  if (payload_size < 126) {
    out[n++] = static_cast<uint8_t>(0x80 | payload_size);
  } else if (payload_size <= 0xffff) {
    out[n++] = 0x80 | 126;
    out[n++] = static_cast<uint8_t>(payload_size >> 8);
    out[n++] = static_cast<uint8_t>(payload_size);
  } else {
    out[n++] = 0x80 | 127;
    for (int shift = 56; shift >= 0; shift -= 8) {
      out[n++] = static_cast<uint8_t>(static_cast<uint64_t>(payload_size) >> shift);
    }
  }
  std::memcpy(out + n, mask_.data(), 4);
  return n + 4;
}

size_t ClientFrame::Write(uint64_t id, uint8_t* out) const {
  char digits[20];
  const size_t id_len = has_id_ ? FormatDecimal(id, digits) : 0;
  const std::string& suffix = suffix_[(prefix_.size() + id_len) & 3];
  const size_t payload_size = prefix_.size() + id_len + suffix.size();
  size_t n = WriteHeader(payload_size, out);
  std::memcpy(out + n, prefix_.data(), prefix_.size());
  n += prefix_.size();
  for (size_t i = 0; i < id_len; ++i) {
    out[n++] = static_cast<uint8_t>(digits[i]) ^ mask_[(prefix_.size() + i) & 3];
  }
  std::memcpy(out + n, suffix.data(), suffix.size());
  return n + suffix.size();
}

}  // namespace wsmock::bench
