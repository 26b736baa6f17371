#include "transfer/raw_json.h"

#include "util/json.h"
#include "util/json_scan.h"
#include "util/utf8.h"

namespace wsmock::transfer {
bool IsEmbeddableJson(std::string_view text, int max_depth) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  // cJSON skips a UTF-8 byte order mark; inside a line it is not JSON.
  if (text.starts_with("\xEF\xBB\xBF")) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  if (!IsValidUtf8(text) || !json::NestsWithin(text, max_depth)) return false;
  return json::Parse(text).ok();
}

std::vector<json::Span> ArrayElementSpans(std::string_view text) {
  std::vector<json::Span> spans;
  size_t pos = json::SkipSpace(text, 0);
  if (pos >= text.size() || text[pos] != '[') return spans;
  pos = json::SkipSpace(text, pos + 1);
  while (pos < text.size() && text[pos] != ']') {
    size_t end = json::EndOfValue(text, pos);
    if (end == std::string_view::npos) end = text.size();  // broken text: stay in bounds
    spans.push_back({pos, end});
    pos = json::SkipSpace(text, end);
    if (pos >= text.size() || text[pos] != ',') break;
    pos = json::SkipSpace(text, pos + 1);
  }
  return spans;
}

}  // namespace wsmock::transfer
