#include "util/printable_text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstdint>
#include <cstring>

#include "util/json.h"
#include "util/utf8.h"

namespace wsmock {

size_t FirstControlByte(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  if (s.size() >= 16) {
    // Sixteen bytes a step: a byte is below 0x20 when max(byte, 0x1f) == 0x1f.
    const __m128i limit = _mm_set1_epi8(0x1f);
    const auto controls_at = [&](size_t at) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
      return static_cast<unsigned>(
          _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, limit), limit)));
    };
    for (; i + 16 <= s.size(); i += 16) {
      if (const unsigned mask = controls_at(i)) return i + __builtin_ctz(mask);
    }
    // The last sixteen bytes, overlapping those checked: a log line's
    // tail, byte by byte, had cost as much as the rest of it.
    if (i == s.size()) return std::string_view::npos;
    const size_t last = s.size() - 16;
    const unsigned mask = controls_at(last);
    return mask != 0 ? last + __builtin_ctz(mask) : std::string_view::npos;
  }
#endif
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    // Some byte is below 0x20 (Bit Twiddling Hacks' hasless): its borrow
    // sets the high bit of a byte whose own high bit was clear.
    if (((word - kOnes * 0x20) & ~word & kHighs) != 0) break;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) < 0x20) return i;
  }
  return std::string_view::npos;
}

void AppendPrintable(std::string* out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8SequenceLength(s, i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F))) {
      out->push_back('?');
      i += n == 0 ? 1 : n;
    } else {
      out->append(s.substr(i, n));
      i += n;
    }
  }
}

std::string_view CutText(std::string_view s, size_t limit, bool* cut) {
  *cut = s.size() > limit;
  if (!*cut) return s;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string PrintableCut(std::string_view s, size_t limit) {
  bool cut = false;
  std::string out;
  AppendPrintable(&out, CutText(s, limit, &cut));
  if (cut) out.append("...");
  return out;
}

std::string EscapedCut(std::string_view s, size_t limit) {
  bool cut = false;
  std::string quoted;
  json::AppendString(&quoted, CutText(s, limit, &cut));
  std::string out;
  // Without the quotes AppendString adds: callers choose their own.
  AppendPrintable(&out, std::string_view(quoted).substr(1, quoted.size() - 2));
  if (cut) out.append("...");
  return out;
}

}  // namespace wsmock
