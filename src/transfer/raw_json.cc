#include "transfer/raw_json.h"

#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::transfer {
namespace {

// The length of the UTF-8 sequence starting at s[i] if it is well formed, else 0.
size_t SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool IsEmbeddableJson(std::string_view text, int max_depth) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
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

bool SpellsNul(std::string_view literal) {
  for (size_t i = 0; i < literal.size(); ++i) {
    if (literal[i] != '\\') continue;
    if (literal.substr(i, 6) == "\\u0000") return true;
    ++i;  // the escaped byte cannot start another escape
  }
  return false;
}

}  // namespace wsmock::transfer
