// CopyShort: copies a string that is usually a few bytes (a word, an
// action, an id) into a buffer with room for it. Up to 32 bytes go in two
// overlapping fixed-size moves that the compiler inlines; a call into
// memcpy for a runtime size cost more than the copy itself on the request
// path (a log line's parts, a journal message's fields).
#pragma once

#include <cstring>
#include <string_view>

namespace wsmock {

// Copies `s` to `out`, which has room for s.size() bytes; returns the end.
inline char* CopyShort(char* out, std::string_view s) {
  const size_t n = s.size();
  const char* from = s.data();
  if (n >= 16 && n <= 32) {
    std::memcpy(out, from, 16);
    std::memcpy(out + n - 16, from + n - 16, 16);
  } else if (n >= 8 && n < 16) {
    std::memcpy(out, from, 8);
    std::memcpy(out + n - 8, from + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    std::memcpy(out, from, 4);
    std::memcpy(out + n - 4, from + n - 4, 4);
  } else if (n > 32) {
    std::memcpy(out, from, n);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = from[i];
  }
  return out + n;
}

}  // namespace wsmock
