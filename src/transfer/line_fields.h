// LineFields: typed reads of the top-level fields of one parsed JSON Lines
// line. The first error is remembered and later reads return empty values,
// so a parser reads every field and checks status() once. Errors read
// "<kind>: field 'seq' must be an integer", always one line (names from the
// file are escaped). Holds views: the line text and tree must outlive it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"
#include "util/status.h"

namespace wsmock::transfer {

class LineFields {
 public:
  // REQUIRES: `root` is the JSON object parsed from `line`.
  LineFields(std::string_view line, const cJSON* root, std::string_view kind);
  LineFields(const LineFields&) = delete;
  LineFields& operator=(const LineFields&) = delete;

  // Fails on a member not in `known` or a member given twice: a typo in a
  // hand-edited file must not be ignored.
  void CheckMembers(std::initializer_list<std::string_view> known);

  bool Has(const char* key) const;
  int64_t Int(const char* key);  // an integer within +-2^53
  std::optional<int64_t> OptionalInt(const char* key);
  std::string String(const char* key);
  std::optional<std::string> OptionalString(const char* key);
  // The member's value exactly as the line spells it.
  std::string_view Raw(const char* key);
  // Raw(key) for a value that is stored verbatim and written back verbatim
  // by export: it must be JSON export can embed in a line again
  // (IsEmbeddableJson: valid UTF-8, no control bytes, within `max_depth`).
  std::string_view EmbeddableRaw(const char* key, int max_depth);
  // The member itself. REQUIRES: Has(key).
  const cJSON* Node(const char* key) const;

  // Records "<kind>: <message>" unless an error is already recorded.
  void Fail(const std::string& message);
  void FailField(const char* key, const std::string& problem);
  const Status& status() const { return status_; }

 private:
  const cJSON* Required(const char* key);

  std::string_view line_;
  const cJSON* root_;
  std::string kind_;
  Status status_;
};

}  // namespace wsmock::transfer
