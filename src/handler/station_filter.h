// Which stations a request selects: data's "filters" object with optional
// keys city, owner and status, each a string or an array of strings meaning
// any of them. Keys combine with AND; values compare as exact bytes (UTF-8,
// no case folding). An empty array selects nothing. A plain value; any thread.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/filter_key.h"
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

  bool Matches(const model::Station& station) const {
    return Allows(cities_, station.city) && Allows(owners_, station.owner) &&
           Allows(statuses_, station.status);
  }
  // The same, given the station's key from its snapshot: the hashes rule a
  // station out, and its strings are read only where every hash agrees.
  // Inline: it runs for every station of every filtered request, and as a
  // call it cost more than its compares.
  bool Matches(const model::FilterKey& key, const model::Station& station) const {
    return MayMatch(key) && Matches(station);
  }
  // Whether a station with `key` may match: false rules it out.
  bool MayMatch(const model::FilterKey& key) const {
    if (key_test_) return key_test_->Passes(key);
    return MayAllow(cities_, key.city) && MayAllow(owners_, key.owner) &&
           MayAllow(statuses_, key.status);
  }
  // MayMatch for the usual filter, which names at most one value a key:
  // three masked compares and no branches. Copied into a scan's locals, it
  // stays in registers where the filter's members would be read again for
  // every station.
  struct KeyTest {
    model::FilterKey want;  // a key's hash where the filter names one value
    model::FilterKey mask;  // all ones there, zeros where it names none
    bool Passes(const model::FilterKey& key) const {
      return (((key.city ^ want.city) & mask.city) | ((key.owner ^ want.owner) & mask.owner) |
              ((key.status ^ want.status) & mask.status)) == 0;
    }
  };
  // The test, unless some key names several values or none (an empty list).
  const std::optional<KeyTest>& key_test() const { return key_test_; }
  // True when it has no constraint, so every station matches.
  bool MatchesAll() const { return !cities_ && !owners_ && !statuses_; }

 private:
  struct Allowed {
    uint32_t hash;  // model::FilterHash(value)
    std::string value;
  };
  using AnyOf = std::optional<std::vector<Allowed>>;  // nullopt: no constraint
  AnyOf cities_;
  AnyOf owners_;
  AnyOf statuses_;
  std::optional<KeyTest> key_test_ = KeyTest{};  // see key_test()

  // Sets key_test_ from cities_, owners_ and statuses_.
  void PrepareKeyTest();

  static Result<std::vector<Allowed>> ReadAnyOf(const cJSON* node, std::string_view key);
  static bool MayAllow(const AnyOf& any_of, uint32_t hash) {
    if (!any_of) return true;
    for (const Allowed& allowed : *any_of) {
      if (allowed.hash == hash) return true;
    }
    return false;
  }
  static bool Allows(const AnyOf& any_of, std::string_view value) {
    if (!any_of) return true;
    for (const Allowed& allowed : *any_of) {
      if (allowed.value == value) return true;
    }
    return false;
  }
};

}  // namespace wsmock::handler
