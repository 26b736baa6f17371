#include "app/station_patch.h"

#include <cjson/cJSON.h>

#include <string>

#include "app/control_answers.h"
#include "model/station_codec.h"
#include "model/station_json.h"
#include "util/json.h"

namespace wsmock::app {

namespace {

constexpr char kShape[] = "body must be a JSON object with status and/or currentPower";

bool Patchable(const char* name) {
  const std::string_view field = name != nullptr ? name : "";
  return field == "status" || field == "currentPower";
}

}  // namespace

Result<model::Station> PatchStation(const model::Station& station, std::string_view body,
                                    Micros now) {
  Result<json::JsonPtr> patch = ParseControlBody(body);
  if (!patch.ok())
    return Status::InvalidArgument(std::string(kShape) + ": " + patch.status().message());
  if (!cJSON_IsObject(patch->get()) || patch->get()->child == nullptr) {
    return Status::InvalidArgument(kShape);
  }
  // The whole station as JSON, the patch laid over it, read back through
  // the fixture rules: one definition of a valid station.
  Result<json::JsonPtr> whole = json::Parse(model::StationJson(station).full());
  if (!whole.ok()) return whole.status();
  cJSON* target = whole->get();
  for (cJSON* member = patch->get()->child; member != nullptr; member = member->next) {
    if (!Patchable(member->string)) {
      return Status::InvalidArgument("unknown field '" + std::string(member->string) +
                                     "': a station's status and currentPower can be set");
    }
    cJSON_ReplaceItemInObjectCaseSensitive(target, member->string,
                                           cJSON_Duplicate(member, /*recurse=*/true));
  }
  const cJSON* status = cJSON_GetObjectItemCaseSensitive(patch->get(), "status");
  const bool power_given =
      cJSON_GetObjectItemCaseSensitive(patch->get(), "currentPower") != nullptr;
  if (!power_given && cJSON_IsString(status) && std::string_view(status->valuestring) != "active") {
    cJSON_ReplaceItemInObjectCaseSensitive(target, "currentPower", cJSON_CreateNumber(0));
  }
  cJSON_ReplaceItemInObjectCaseSensitive(target, "lastUpdate",
                                         cJSON_CreateString(FormatIso8601(now).c_str()));
  return model::StationFromJson(target, model::StationRules::kFixture);
}

}  // namespace wsmock::app
