#include "util/json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace wsmock::json {
namespace {

// Counts bracket depth without recursion, so a hostile document is rejected
// before cJSON recurses into it.
bool NestingWithin(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace

Result<JsonPtr> Parse(std::string_view text) {
  if (!NestingWithin(text, kMaxDepth)) {
    return Status::InvalidArgument("JSON nested deeper than " + std::to_string(kMaxDepth) +
                                   " levels");
  }
  const char* end = nullptr;
  JsonPtr root(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false));
  if (!root) {
    size_t offset = end != nullptr ? static_cast<size_t>(end - text.data()) : 0;
    if (offset >= text.size()) return Status::InvalidArgument("unexpected end of JSON input");
    return Status::InvalidArgument("invalid JSON at byte offset " + std::to_string(offset));
  }
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

void AppendString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run_start, i - run_start);
    run_start = i + 1;
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
  out->append(s.data() + run_start, s.size() - run_start);
  out->push_back('"');
}

void AppendFixed(std::string* out, int64_t scaled, int decimals) {
  if (scaled < 0) {
    out->push_back('-');
    scaled = -scaled;
  }
  int64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  out->append(std::to_string(scaled / divisor));
  if (decimals == 0) return;
  std::string frac = std::to_string(scaled % divisor);
  out->push_back('.');
  out->append(static_cast<size_t>(decimals) - frac.size(), '0');
  out->append(frac);
}

void AppendNumber(std::string* out, double value) {
  if (!std::isfinite(value)) {
    out->append("null");
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
