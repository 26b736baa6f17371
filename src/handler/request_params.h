// Readers for the members of a request's "data" that several actions share.
// Each returns the value or an InvalidArgument status whose message names the
// parameter ("pagination.limit must be an integer from 1 to 1000"). `data` is
// a JSON object or nullptr (no "data": every member absent). Pure; any thread.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <optional>
#include <string>

#include "model/station.h"
#include "util/status.h"

namespace wsmock::handler {

// "fields": absent -> every field; names that are no field are ignored, so
// [] or ["nope"] selects none and stations come back as {}. Replies always
// write fields in model::Field order, whatever order the request lists them.
Result<model::FieldMask> ReadFields(const cJSON* data);

struct Page {
  int64_t page = 1;    // 1-based
  int64_t limit = 20;  // stations per page
};
inline constexpr int64_t kDefaultLimit = 20;
inline constexpr int64_t kMaxLimit = 1000;
inline constexpr int64_t kMaxPage = 1'000'000'000;

// "pagination": absent -> nullopt (the caller returns everything); otherwise
// an object whose "page" (integer 1..kMaxPage, default 1) and "limit"
// (integer 1..kMaxLimit, default 20) are the only keys allowed, so a
// misspelt key is reported rather than silently giving the wrong page.
Result<std::optional<Page>> ReadPagination(const cJSON* data);

inline constexpr int kDefaultDays = 7;
inline constexpr int kMaxDays = 90;
// "days": absent -> kDefaultDays; otherwise an integer 1..kMaxDays.
Result<int> ReadDays(const cJSON* data);

// An optional string member: absent -> nullopt, present but no string -> error.
Result<std::optional<std::string>> ReadOptionalString(const cJSON* data, const char* key);

// node's value when it is a JSON number with an integral value in [lo, hi].
std::optional<int64_t> IntegerIn(const cJSON* node, int64_t lo, int64_t hi);

}  // namespace wsmock::handler
