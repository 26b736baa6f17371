#include "util/printable_text.h"

#include "util/json.h"

namespace wsmock {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  if (c < 0x80) {
    n = 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  }
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) > 0x9F))) return 0;
  if (n == 4 && ((c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) > 0x8F))) return 0;
  return n;
}

}  // namespace

void AppendPrintable(std::string* out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Length(s, i);
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
