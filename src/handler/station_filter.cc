#include "handler/station_filter.h"

#include <string_view>

namespace wsmock::handler {

Result<std::vector<StationFilter::Allowed>> StationFilter::ReadAnyOf(const cJSON* node,
                                                                     std::string_view key) {
  // Made only when needed: building it cost every filtered request an allocation.
  auto bad = [key] {
    return Status::InvalidArgument("filters." + std::string(key) +
                                   " must be a string or an array of strings");
  };
  auto allowed = [](const char* value) { return Allowed{model::FilterHash(value), value}; };
  if (cJSON_IsString(node)) {
    return std::vector<Allowed>{allowed(node->valuestring)};
  }
  if (!cJSON_IsArray(node)) return bad();
  std::vector<Allowed> values;
  for (const cJSON* v = node->child; v != nullptr; v = v->next) {
    if (!cJSON_IsString(v)) return bad();
    values.push_back(allowed(v->valuestring));
  }
  return values;
}

Result<StationFilter> StationFilter::FromData(const cJSON* data) {
  StationFilter filter;
  const cJSON* filters = cJSON_GetObjectItemCaseSensitive(data, "filters");
  if (filters == nullptr) return filter;
  if (!cJSON_IsObject(filters)) return Status::InvalidArgument("filters must be an object");
  for (const cJSON* m = filters->child; m != nullptr; m = m->next) {
    std::string_view key = m->string;
    AnyOf* slot = key == "city"     ? &filter.cities_
                  : key == "owner"  ? &filter.owners_
                  : key == "status" ? &filter.statuses_
                                    : nullptr;
    if (slot == nullptr) {
      return Status::InvalidArgument("unknown filter '" + std::string(key) +
                                     "'; expected city, owner or status");
    }
    auto values = ReadAnyOf(m, key);
    if (!values.ok()) return values.status();
    // A repeated key replaces the earlier one, as JavaScript's JSON.parse does.
    *slot = std::move(values).value();
  }
  filter.PrepareKeyTest();
  return filter;
}

void StationFilter::PrepareKeyTest() {
  KeyTest test;
  bool one_value_each = true;
  auto prepare = [&one_value_each](const AnyOf& any_of, uint32_t* want, uint32_t* mask) {
    if (!any_of) return;
    if (any_of->size() != 1) {
      one_value_each = false;
      return;
    }
    *want = any_of->front().hash;
    *mask = ~uint32_t{0};
  };
  prepare(cities_, &test.want.city, &test.mask.city);
  prepare(owners_, &test.want.owner, &test.mask.owner);
  prepare(statuses_, &test.want.status, &test.mask.status);
  key_test_.reset();
  if (one_value_each) key_test_ = test;
}

}  // namespace wsmock::handler
