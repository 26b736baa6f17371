#include "transfer/raw_json.h"

#include "util/json.h"

namespace wsmock::transfer {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view s, size_t pos) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  return pos;
}

// Returns the offset just past the string literal whose opening quote is at
// `pos`, or s.size() when it is not closed.
size_t EndOfString(std::string_view s, size_t pos) {
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return s.size();
}

// Returns the offset just past the valid JSON value that starts at `pos`.
size_t EndOfValue(std::string_view s, size_t pos) {
  if (pos >= s.size()) return s.size();
  if (s[pos] == '"') return EndOfString(s, pos);
  if (s[pos] != '{' && s[pos] != '[') {
    while (pos < s.size() && !IsSpace(s[pos]) && s[pos] != ',' && s[pos] != ']' && s[pos] != '}') {
      ++pos;
    }
    return pos;
  }
  int depth = 0;
  for (size_t i = pos; i < s.size(); ++i) {
    if (s[i] == '"') {
      i = EndOfString(s, i) - 1;
    } else if (s[i] == '{' || s[i] == '[') {
      ++depth;
    } else if ((s[i] == '}' || s[i] == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return s.size();
}

// The deepest nesting of arrays and objects in `text`.
int MaxNesting(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      i = EndOfString(text, i) - 1;
    } else if (text[i] == '{' || text[i] == '[') {
      if (++depth > deepest) deepest = depth;
    } else if (text[i] == '}' || text[i] == ']') {
      --depth;
    }
  }
  return deepest;
}

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
  if (!IsValidUtf8(text) || MaxNesting(text) > max_depth) return false;
  return json::Parse(text).ok();
}

std::vector<json::Span> ArrayElementSpans(std::string_view text) {
  std::vector<json::Span> spans;
  size_t pos = SkipSpace(text, 0);
  if (pos >= text.size() || text[pos] != '[') return spans;
  pos = SkipSpace(text, pos + 1);
  while (pos < text.size() && text[pos] != ']') {
    const size_t end = EndOfValue(text, pos);
    spans.push_back({pos, end});
    pos = SkipSpace(text, end);
    if (pos >= text.size() || text[pos] != ',') break;
    pos = SkipSpace(text, pos + 1);
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
