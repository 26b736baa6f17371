#include "transfer/line_fields.h"

#include <cmath>
#include <set>
#include <string>

#include "transfer/raw_json.h"
#include "util/json_scan.h"
#include "util/printable_text.h"

namespace wsmock::transfer {
namespace {

// Integers beyond 2^53 would not survive cJSON's doubles exactly.
constexpr double kMaxExactInteger = 9007199254740992.0;

bool IsInteger(const cJSON* node) {
  if (!cJSON_IsNumber(node)) return false;
  const double v = node->valuedouble;
  return std::isfinite(v) && std::floor(v) == v && std::fabs(v) <= kMaxExactInteger;
}

// What a field that is not an IsInteger() is, for its error: a whole
// number out of range is an integer all the same, so say which range.
std::string NotAnInteger(const cJSON* node, std::string_view or_null) {
  const double v = cJSON_IsNumber(node) ? node->valuedouble : 0;
  if (cJSON_IsNumber(node) && std::isfinite(v) && std::floor(v) == v) {
    return "must be an integer from -2^53 to 2^53 (9007199254740992)" + std::string(or_null);
  }
  return "must be an integer" + std::string(or_null);
}

}  // namespace

LineFields::LineFields(std::string_view line, const cJSON* root, std::string_view kind)
    : line_(line), root_(root), kind_(kind) {}

void LineFields::CheckMembers(std::initializer_list<std::string_view> known) {
  std::set<std::string_view> seen;
  for (const cJSON* member = root_->child; member != nullptr; member = member->next) {
    std::string_view key = member->string;
    bool is_known = false;
    for (std::string_view k : known) is_known = is_known || k == key;
    if (!is_known) Fail("unknown field '" + EscapedCut(key) + "'");
    if (!seen.insert(key).second) Fail("field '" + EscapedCut(key) + "' appears twice");
  }
}

bool LineFields::Has(const char* key) const {
  return cJSON_GetObjectItemCaseSensitive(root_, key) != nullptr;
}

const cJSON* LineFields::Node(const char* key) const {
  return cJSON_GetObjectItemCaseSensitive(root_, key);
}

const cJSON* LineFields::Required(const char* key) {
  const cJSON* node = Node(key);
  if (node == nullptr) FailField(key, "is missing");
  return status_.ok() ? node : nullptr;
}

int64_t LineFields::Int(const char* key) {
  const cJSON* node = Required(key);
  if (node == nullptr) return 0;
  if (!IsInteger(node)) {
    FailField(key, NotAnInteger(node, ""));
    return 0;
  }
  return static_cast<int64_t>(node->valuedouble);
}

std::optional<int64_t> LineFields::OptionalInt(const char* key) {
  const cJSON* node = Required(key);
  if (node == nullptr || cJSON_IsNull(node)) return std::nullopt;
  if (!IsInteger(node)) {
    FailField(key, NotAnInteger(node, " or null"));
    return std::nullopt;
  }
  return static_cast<int64_t>(node->valuedouble);
}

std::string LineFields::String(const char* key) {
  const cJSON* node = Required(key);
  if (node == nullptr) return {};
  if (!cJSON_IsString(node)) {
    FailField(key, "must be a string");
    return {};
  }
  // cJSON keeps C strings: a \u0000 would end the value early, unseen.
  if (json::FirstNulEscape(Raw(key)) != std::string_view::npos) {
    FailField(key, "must not contain \\u0000");
    return {};
  }
  return node->valuestring;
}

std::optional<std::string> LineFields::OptionalString(const char* key) {
  const cJSON* node = Required(key);
  if (node == nullptr || cJSON_IsNull(node)) return std::nullopt;
  if (!cJSON_IsString(node)) {
    FailField(key, "must be a string or null");
    return std::nullopt;
  }
  return String(key);
}

std::string_view LineFields::Raw(const char* key) {
  if (Required(key) == nullptr) return {};
  json::Span span = json::FindTopLevelValue(line_, key);
  if (span.begin == std::string_view::npos) {
    // cJSON found the key but the byte scan did not: it is spelled with escapes.
    FailField(key, "must be spelled without escapes");
    return {};
  }
  return line_.substr(span.begin, span.end - span.begin);
}

std::string_view LineFields::EmbeddableRaw(const char* key, int max_depth) {
  const std::string_view raw = Raw(key);
  if (!status_.ok()) return {};
  if (!IsEmbeddableJson(raw, max_depth)) {
    // Refused here, or the file would import and then fail to export.
    FailField(key, "must be JSON in valid UTF-8 without control bytes");
    return {};
  }
  return raw;
}

void LineFields::Fail(const std::string& message) {
  if (status_.ok()) status_ = Status::InvalidArgument(kind_ + ": " + message);
}

void LineFields::FailField(const char* key, const std::string& problem) {
  Fail("field '" + std::string(key) + "' " + problem);
}

}  // namespace wsmock::transfer
