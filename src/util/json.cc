#include "util/json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "util/json_scan.h"
#include "util/printable_text.h"

namespace wsmock::json {

Result<JsonPtr> Parse(std::string_view text) {
  // Checked first, without recursion, so a hostile document is rejected
  // before cJSON recurses into it.
  if (!NestsWithin(text, kMaxDepth)) {
    return Status::InvalidArgument("JSON nested deeper than " + std::to_string(kMaxDepth) +
                                   " levels");
  }
  // Control bytes are rare (whitespace of pretty-printed JSON); only then
  // is it worth finding out whether one sits inside a string.
  if (const size_t control = FirstControlByte(text) == std::string_view::npos
                                 ? std::string_view::npos
                                 : FirstControlInString(text);
      control != std::string_view::npos) {
    return Status::InvalidArgument("control character inside a string at byte offset " +
                                   std::to_string(control));
  }
  const char* end = nullptr;
  JsonPtr root(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false));
  if (!root) {
    size_t offset = end != nullptr ? static_cast<size_t>(end - text.data()) : 0;
    if (offset >= text.size()) return Status::InvalidArgument("unexpected end of JSON input");
    return Status::InvalidArgument("invalid JSON at byte offset " + std::to_string(offset));
  }
  // Stricter than cJSON's whitespace (json_scan.h): after the value only
  // RFC 8259 whitespace, or the NUL a C string ends with, may follow.
  size_t pos = static_cast<size_t>(end - text.data());
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' ||
                               text[pos] == '\t' || text[pos] == '\0')) {
    ++pos;
  }
  if (pos != text.size()) {
    return Status::InvalidArgument("unexpected data after JSON value at byte offset " +
                                   std::to_string(pos));
  }
  return root;
}

// Control characters, the quote and the backslash; one table lookup per
// byte keeps the common case (nothing to escape) a single branch.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

void AppendString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const char* run = s.data();
  const char* const end = s.data() + s.size();
  for (const char* p = run; p != end; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (!kNeedsEscape[c]) [[likely]] continue;
    out->append(run, static_cast<size_t>(p - run));
    run = p + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
    }
  }
  out->append(run, static_cast<size_t>(end - run));
  out->push_back('"');
}

void AppendFixed(std::string* out, int64_t scaled, int decimals) {
  // Unsigned, so that the magnitude of INT64_MIN is representable.
  uint64_t magnitude = scaled < 0 ? 0 - static_cast<uint64_t>(scaled) : static_cast<uint64_t>(scaled);
  if (scaled < 0) out->push_back('-');
  uint64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof buf, magnitude / divisor).ptr;
  out->append(buf, static_cast<size_t>(end - buf));
  if (decimals == 0) return;
  out->push_back('.');
  uint64_t frac = magnitude % divisor;
  char digits[24];
  for (int i = decimals - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  out->append(digits, static_cast<size_t>(decimals));
}

void AppendNumber(std::string* out, double value) {
  if (std::isnan(value)) {
    out->append("null");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "1e999" : "-1e999");
    return;
  }
  if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) {
    out->append(std::to_string(static_cast<int64_t>(value)));
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  out->append(buf);
}

void Append(std::string* out, const cJSON* node, bool sort_keys) {
  switch (node->type & 0xFF) {
    case cJSON_NULL: out->append("null"); return;
    case cJSON_False: out->append("false"); return;
    case cJSON_True: out->append("true"); return;
    case cJSON_Number: AppendNumber(out, node->valuedouble); return;
    case cJSON_String: AppendString(out, node->valuestring ? node->valuestring : ""); return;
    case cJSON_Raw: out->append(node->valuestring ? node->valuestring : "null"); return;
    case cJSON_Array: {
      out->push_back('[');
      for (const cJSON* c = node->child; c != nullptr; c = c->next) {
        if (c != node->child) out->push_back(',');
        Append(out, c, sort_keys);
      }
      out->push_back(']');
      return;
    }
    case cJSON_Object: {
      std::vector<const cJSON*> members;
      for (const cJSON* c = node->child; c != nullptr; c = c->next) members.push_back(c);
      if (sort_keys) {
        std::stable_sort(members.begin(), members.end(), [](const cJSON* a, const cJSON* b) {
          return std::string_view(a->string) < std::string_view(b->string);
        });
      }
      out->push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendString(out, members[i]->string ? members[i]->string : "");
        out->push_back(':');
        Append(out, members[i], sort_keys);
      }
      out->push_back('}');
      return;
    }
    default: out->append("null");
  }
}

const char* TypeName(const cJSON* node) {
  if (node == nullptr) return "missing";
  switch (node->type & 0xFF) {
    case cJSON_NULL: return "null";
    case cJSON_False:
    case cJSON_True: return "boolean";
    case cJSON_Number: return "number";
    case cJSON_String: return "string";
    case cJSON_Array: return "array";
    case cJSON_Object: return "object";
    default: return "invalid";
  }
}

int64_t ToFixed(double value, int decimals) {
  double scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  return static_cast<int64_t>(std::llround(value * scale));
}

}  // namespace wsmock::json
