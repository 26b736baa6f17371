// JsonDiffer: how an actual JSON message differs from the recorded one.
// Object member order does not count, arrays compare by index, numbers by
// value (1 equals 1.0), and members matched by the ignore pointers are left
// out on both sides. Const after Create: any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"
#include "util/json_pointer.h"
#include "util/status.h"

namespace wsmock::verify {

enum class DiffKind {
  kFieldAdded,    // only in the actual message
  kFieldRemoved,  // only in the recorded message
  kTypeChanged,   // present in both with another JSON type
  kValueChanged,  // same type, another value
};

// "field added", "field removed", "type changed", "value changed".
std::string_view DiffKindName(DiffKind kind);
// Schema drift (added, removed, type changed) rather than data drift.
bool IsSchemaChange(DiffKind kind);

struct Difference {
  std::string path;  // JSON Pointer of the member ("" = the whole message)
  DiffKind kind = DiffKind::kValueChanged;
  std::string recorded;  // compact JSON of the recorded value; "" when added
  std::string actual;    // compact JSON of the actual value; "" when removed
};

// Each value text holds at most this many bytes ("..." marks a cut), so a
// changed array of a thousand stations stays one readable line.
inline constexpr size_t kMaxValueText = 200;

class JsonDiffer {
 public:
  // `ignore` are JSON Pointers ("/data/station/lastUpdate", "*" for any key
  // or index). InvalidArgument names a pointer that does not parse or is ""
  // (which would ignore the whole message).
  static Result<JsonDiffer> Create(const std::vector<std::string>& ignore);

  // Differences in document order: depth first, object members by key
  // bytes, array elements by index. A side that is not JSON compares by its
  // bytes: equal text is no difference, else one at path "" (value changed
  // when neither side is JSON, type changed when one is).
  std::vector<Difference> Diff(std::string_view recorded, std::string_view actual) const;
  // Both trees as given (the ignore pointers are not applied).
  static std::vector<Difference> DiffTrees(const cJSON* recorded, const cJSON* actual);

 private:
  JsonDiffer() = default;
  json::JsonPtr Prepare(std::string_view text) const;  // parsed, ignored members gone; or null

  std::vector<json::JsonPointer> ignore_;
};

}  // namespace wsmock::verify
