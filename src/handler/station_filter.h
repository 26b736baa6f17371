// Which stations a request selects: data's "filters" object with optional
// keys city, owner and status, each a string or an array of strings meaning
// any of them. Keys combine with AND; values compare as exact bytes (UTF-8,
// no case folding). An empty array selects nothing. A plain value; any thread.
#pragma once

#include <cjson/cJSON.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/station.h"
#include "util/status.h"

namespace wsmock::handler {

class StationFilter {
 public:
  // Matches every station.
  StationFilter() = default;

  // Reads data's "filters" (absent: matches every station). Errors name the
  // parameter: "filters.city must be a string or an array of strings",
  // "unknown filter 'region'; expected city, owner or status".
  static Result<StationFilter> FromData(const cJSON* data);

  // Inline: it runs for every station of every filtered request, and as a
  // call it cost more than its compares.
  bool Matches(const model::Station& station) const {
    return Allows(cities_, station.city) && Allows(owners_, station.owner) &&
           Allows(statuses_, station.status);
  }
  // True when it has no constraint, so every station matches.
  bool MatchesAll() const { return !cities_ && !owners_ && !statuses_; }

 private:
  using AnyOf = std::optional<std::vector<std::string>>;  // nullopt: no constraint
  AnyOf cities_;
  AnyOf owners_;
  AnyOf statuses_;

  static bool Allows(const AnyOf& any_of, std::string_view value) {
    if (!any_of) return true;
    for (const std::string& allowed : *any_of) {
      if (allowed == value) return true;
    }
    return false;
  }
};

}  // namespace wsmock::handler
