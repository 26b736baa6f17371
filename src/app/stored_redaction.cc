#include "app/stored_redaction.h"

#include <algorithm>

#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::app {
namespace {

constexpr char kMember[] = "redact";

Status BadMember() {
  return Status::InvalidArgument("options: 'redact' must be an array of JSON Pointers (strings)");
}

Result<std::vector<std::string>> PointersIn(const cJSON* root) {
  std::vector<std::string> pointers;
  const cJSON* list = cJSON_GetObjectItemCaseSensitive(root, kMember);
  if (list == nullptr) return pointers;
  if (!cJSON_IsArray(list)) return BadMember();
  for (const cJSON* item = list->child; item != nullptr; item = item->next) {
    if (!cJSON_IsString(item)) return BadMember();
    pointers.emplace_back(item->valuestring);
  }
  return pointers;
}

std::string ArrayOf(const std::vector<std::string>& pointers) {
  std::string out = "[";
  for (size_t i = 0; i < pointers.size(); ++i) {
    if (i > 0) out += ",";
    json::AppendString(&out, pointers[i]);
  }
  return out + "]";
}

}  // namespace

Result<std::string> WithRedactPointers(std::string_view options_json,
                                       const std::vector<std::string>& pointers) {
  if (pointers.empty()) return std::string(options_json);
  std::string_view text = options_json.empty() ? std::string_view("{}") : options_json;
  Result<json::JsonPtr> parsed = json::Parse(text);
  if (!parsed.ok()) return parsed.status().WithContext("options");
  if (!cJSON_IsObject(parsed->get())) {
    return Status::InvalidArgument("options: not a JSON object");
  }
  Result<std::vector<std::string>> merged = PointersIn(parsed->get());
  if (!merged.ok()) return merged.status();
  for (const std::string& p : pointers) {
    if (std::find(merged->begin(), merged->end(), p) == merged->end()) merged->push_back(p);
  }
  // Edited in place, not written anew, so the rest of the stored options
  // keep their bytes (an export shows the same text it did before).
  const std::string array = ArrayOf(*merged);
  json::Span span = json::FindTopLevelValue(text, kMember);
  if (span.begin != std::string::npos) {
    return std::string(text.substr(0, span.begin)) + array + std::string(text.substr(span.end));
  }
  const size_t close = text.rfind('}');
  const bool empty = cJSON_GetArraySize(parsed->get()) == 0;
  return std::string(text.substr(0, close)) + (empty ? "" : ",") + "\"" + kMember + "\":" + array +
         std::string(text.substr(close));
}

Result<std::vector<std::string>> RedactPointersOf(std::string_view options_json) {
  // Cheap for the sessions that hold none: no parse.
  if (json::FindTopLevelValue(options_json, kMember).begin == std::string::npos) {
    return std::vector<std::string>();
  }
  Result<json::JsonPtr> parsed = json::Parse(options_json);
  if (!parsed.ok()) return parsed.status().WithContext("options");
  return PointersIn(parsed->get());
}

}  // namespace wsmock::app
