#include "util/json_scan.h"

#include <cstring>

namespace wsmock::json {
namespace {

constexpr size_t kNone = std::string_view::npos;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The offset just past the object or array that opens at `pos`, or npos.
size_t EndOfContainer(std::string_view s, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      i = EndOfString(s, i);
      if (i == kNone) return kNone;
      --i;  // the loop steps past the closing quote
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return kNone;
}

}  // namespace

size_t SkipSpace(std::string_view s, size_t pos) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  return pos;
}

size_t StartOfDocument(std::string_view s) {
  // cJSON looks for a BOM only in a text longer than 4 bytes.
  const bool bom = s.size() > kBom.size() + 1 && s.starts_with(kBom);
  return SkipSpace(s, bom ? kBom.size() : 0);
}

size_t EndOfString(std::string_view s, size_t pos) {
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // the escaped byte cannot close the string
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return kNone;
}

size_t EndOfValue(std::string_view s, size_t pos) {
  if (pos >= s.size()) return kNone;
  if (s[pos] == '"') return EndOfString(s, pos);
  if (s[pos] == '{' || s[pos] == '[') return EndOfContainer(s, pos);
  while (pos < s.size() && !IsSpace(s[pos]) && s[pos] != ',' && s[pos] != ']' && s[pos] != '}') {
    ++pos;
  }
  return pos;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsNumberByte(char c) {
  return IsDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool IsJsonNumber(std::string_view token) {
  size_t i = 0;
  auto digits = [&] {
    const size_t from = i;
    while (i < token.size() && IsDigit(token[i])) ++i;
    return i > from;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (i < token.size() && token[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < token.size() && token[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

size_t FirstLooseNumber(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      pos = EndOfString(text, pos);
      if (pos == std::string_view::npos) return std::string_view::npos;
      continue;
    }
    if (!IsDigit(c) && c != '-' && c != '+' && c != '.') {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < text.size() && IsNumberByte(text[end])) ++end;
    if (!IsJsonNumber(text.substr(pos, end - pos))) return pos;
    pos = end;
  }
  return std::string_view::npos;
}

std::string WithoutSpace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = StartOfDocument(text);
  while (pos < text.size()) {
    if (text[pos] == '"') {
      size_t end = EndOfString(text, pos);
      if (end == std::string_view::npos) end = text.size();
      out.append(text.substr(pos, end - pos));
      pos = end;
      continue;
    }
    if (!IsSpace(text[pos])) out.push_back(text[pos]);
    ++pos;
  }
  return out;
}

bool NestsWithin(std::string_view text, int limit) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = EndOfString(text, i);
      if (i == kNone) return true;  // the rest is inside a string
      --i;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

size_t FirstControlInString(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!in_string) {
      in_string = c == '"';
    } else if (c == '\\') {
      ++i;  // the escaped byte is checked by the parser
    } else if (c == '"') {
      in_string = false;
    } else if (c < 0x20) {
      return i;
    }
  }
  return kNone;
}

size_t FirstNulEscape(std::string_view text) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* p = begin; p < end;) {
    p = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)));
    if (p == nullptr || end - p < 6) break;  // no room left for a six-byte escape
    if (std::memcmp(p + 1, "u0000", 5) == 0) return static_cast<size_t>(p - begin);
    p += 2;  // past the escaped byte: "\\u0000" is a backslash, then text
  }
  return kNone;
}

Span FindTopLevelValue(std::string_view s, std::string_view key) {
  const Span none{kNone, kNone};
  size_t pos = StartOfDocument(s);
  if (pos >= s.size() || s[pos] != '{') return none;
  pos = SkipSpace(s, pos + 1);
  while (pos < s.size() && s[pos] == '"') {
    const size_t key_end = EndOfString(s, pos);
    if (key_end == kNone) return none;
    const std::string_view raw_key = s.substr(pos + 1, key_end - pos - 2);
    pos = SkipSpace(s, key_end);
    if (pos >= s.size() || s[pos] != ':') return none;
    pos = SkipSpace(s, pos + 1);
    const size_t value_end = EndOfValue(s, pos);
    if (value_end == kNone || value_end == pos) return none;
    if (raw_key == key) return Span{pos, value_end};
    pos = SkipSpace(s, value_end);
    if (pos >= s.size() || s[pos] != ',') return none;
    pos = SkipSpace(s, pos + 1);
  }
  return none;
}

}  // namespace wsmock::json
