#include "app/stored_lists.h"

#include <algorithm>

#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::app {
namespace {

Status BadMember(std::string_view member) {
  return Status::InvalidArgument("options: '" + std::string(member) +
                                 "' must be an array of strings");
}

Result<std::vector<std::string>> StringsIn(const cJSON* root, std::string_view member) {
  std::vector<std::string> strings;
  const cJSON* list = cJSON_GetObjectItemCaseSensitive(root, std::string(member).c_str());
  if (list == nullptr) return strings;
  if (!cJSON_IsArray(list)) return BadMember(member);
  for (const cJSON* item = list->child; item != nullptr; item = item->next) {
    if (!cJSON_IsString(item)) return BadMember(member);
    strings.emplace_back(item->valuestring);
  }
  return strings;
}

std::string ArrayOf(const std::vector<std::string>& strings) {
  std::string out = "[";
  for (size_t i = 0; i < strings.size(); ++i) {
    if (i > 0) out += ",";
    json::AppendString(&out, strings[i]);
  }
  return out + "]";
}

}  // namespace

Result<std::string> WithStoredList(std::string_view options_json, std::string_view member,
                                   const std::vector<std::string>& values) {
  if (values.empty()) return std::string(options_json);
  std::string_view text = options_json.empty() ? std::string_view("{}") : options_json;
  Result<json::JsonPtr> parsed = json::Parse(text);
  if (!parsed.ok()) return parsed.status().WithContext("options");
  if (!cJSON_IsObject(parsed->get())) {
    return Status::InvalidArgument("options: not a JSON object");
  }
  Result<std::vector<std::string>> merged = StringsIn(parsed->get(), member);
  if (!merged.ok()) return merged.status();
  for (const std::string& value : values) {
    if (std::find(merged->begin(), merged->end(), value) == merged->end()) {
      merged->push_back(value);
    }
  }
  // Edited in place, not written anew, so the rest of the stored options
  // keep their bytes (an export shows the same text it did before).
  const std::string array = ArrayOf(*merged);
  json::Span span = json::FindTopLevelValue(text, member);
  if (span.begin != std::string::npos) {
    return std::string(text.substr(0, span.begin)) + array + std::string(text.substr(span.end));
  }
  const size_t close = text.rfind('}');
  const bool empty = cJSON_GetArraySize(parsed->get()) == 0;
  return std::string(text.substr(0, close)) + (empty ? "" : ",") + "\"" + std::string(member) +
         "\":" + array + std::string(text.substr(close));
}

Result<std::vector<std::string>> StoredList(std::string_view options_json,
                                            std::string_view member) {
  // Cheap for the sessions that hold none: no parse.
  if (json::FindTopLevelValue(options_json, member).begin == std::string::npos) {
    return std::vector<std::string>();
  }
  Result<json::JsonPtr> parsed = json::Parse(options_json);
  if (!parsed.ok()) return parsed.status().WithContext("options");
  return StringsIn(parsed->get(), member);
}

Result<std::string> WithServerLists(std::string_view options_json,
                                    const std::vector<std::string>& redact,
                                    const std::vector<std::string>& subprotocols) {
  Result<std::string> with_redact = WithStoredList(options_json, kRedactList, redact);
  if (!with_redact.ok()) return with_redact;
  return WithStoredList(*with_redact, kSubprotocolList, subprotocols);
}

}  // namespace wsmock::app
