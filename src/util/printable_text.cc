#include "util/printable_text.h"

#include "util/json.h"
#include "util/utf8.h"

namespace wsmock {
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
