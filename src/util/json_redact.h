// Redactor: replaces the values that JSON Pointers (json_pointer.h, `*` for
// any key or index) match in a JSON text with the string "[REDACTED]", and
// leaves every other byte of the text as it was. Immutable once made, so any
// thread may share one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_pointer.h"
#include "util/status.h"

namespace wsmock::json {

// What a redacted value becomes (a JSON string).
inline constexpr std::string_view kRedactedMarker = "[REDACTED]";

class Redactor {
 public:
  // InvalidArgument naming the pointer when one does not parse or is ""
  // (which would replace the whole message).
  static Result<Redactor> Create(const std::vector<std::string>& pointers);

  bool empty() const { return pointers_.empty(); }

  // `text` with each matched value, whatever its type, replaced by the
  // literal "[REDACTED]"; keys, spacing, number spellings and the rest are
  // kept byte for byte. nullopt when nothing matched: `text` is not JSON (or
  // nests deeper than json::kMaxDepth), or has none of the pointers' fields.
  std::optional<std::string> Redact(std::string_view text) const;

 private:
  Redactor() = default;
  std::vector<JsonPointer> pointers_;
};

}  // namespace wsmock::json
