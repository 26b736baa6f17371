#include "handler/request_params.h"

#include <cmath>
#include <string_view>

namespace wsmock::handler {
namespace {

const cJSON* Member(const cJSON* object, const char* key) {
  return cJSON_GetObjectItemCaseSensitive(object, key);
}

std::string RangeMessage(std::string_view name, int64_t lo, int64_t hi) {
  return std::string(name) + " must be an integer from " + std::to_string(lo) + " to " +
         std::to_string(hi);
}

// Reads an optional integer member into *value, leaving the default when absent.
// `name` is a view: a std::string built per request cost an allocation.
Status ReadInteger(const cJSON* object, const char* key, std::string_view name, int64_t lo,
                   int64_t hi, int64_t* value) {
  const cJSON* node = Member(object, key);
  if (node == nullptr) return Status::Ok();
  std::optional<int64_t> n = IntegerIn(node, lo, hi);
  if (!n) return Status::InvalidArgument(RangeMessage(name, lo, hi));
  *value = *n;
  return Status::Ok();
}

}  // namespace

std::optional<int64_t> IntegerIn(const cJSON* node, int64_t lo, int64_t hi) {
  if (!cJSON_IsNumber(node)) return std::nullopt;
  double v = node->valuedouble;
  // Range first: converting an out-of-range double to int64_t is undefined.
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi))) return std::nullopt;
  if (std::trunc(v) != v) return std::nullopt;
  return static_cast<int64_t>(v);
}

Result<model::FieldMask> ReadFields(const cJSON* data) {
  const cJSON* fields = Member(data, "fields");
  if (fields == nullptr) return model::kAllFields;
  // Made only when needed: the message is longer than a short string.
  auto bad = [] { return Status::InvalidArgument("fields must be an array of field names"); };
  if (!cJSON_IsArray(fields)) return bad();
  model::FieldMask mask = 0;
  for (const cJSON* f = fields->child; f != nullptr; f = f->next) {
    if (!cJSON_IsString(f)) return bad();
    if (auto field = model::FieldByName(f->valuestring)) mask |= model::Bit(*field);
  }
  return mask;
}

Result<std::optional<Page>> ReadPagination(const cJSON* data) {
  const cJSON* pagination = Member(data, "pagination");
  if (pagination == nullptr) return std::optional<Page>();
  if (!cJSON_IsObject(pagination)) {
    return Status::InvalidArgument("pagination must be an object with page and limit");
  }
  for (const cJSON* m = pagination->child; m != nullptr; m = m->next) {
    std::string_view key = m->string;
    if (key != "page" && key != "limit") {
      return Status::InvalidArgument("unknown pagination key '" + std::string(key) +
                                     "'; expected page or limit");
    }
  }
  Page page;
  WSMOCK_RETURN_IF_ERROR(
      ReadInteger(pagination, "page", "pagination.page", 1, kMaxPage, &page.page));
  WSMOCK_RETURN_IF_ERROR(
      ReadInteger(pagination, "limit", "pagination.limit", 1, kMaxLimit, &page.limit));
  return std::optional<Page>(page);
}

Result<int> ReadDays(const cJSON* data) {
  int64_t days = kDefaultDays;
  WSMOCK_RETURN_IF_ERROR(ReadInteger(data, "days", "days", 1, kMaxDays, &days));
  return static_cast<int>(days);
}

Result<std::optional<std::string>> ReadOptionalString(const cJSON* data, const char* key) {
  const cJSON* node = Member(data, key);
  if (node == nullptr) return std::optional<std::string>();
  if (!cJSON_IsString(node)) {
    return Status::InvalidArgument(std::string(key) + " must be a string");
  }
  return std::optional<std::string>(node->valuestring);
}

}  // namespace wsmock::handler
