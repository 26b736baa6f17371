// The "closest recorded request" named when a request has no recording:
// same action first, then the smallest edit distance on the canonical data
// (or frame bytes). Pure functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsmock::replayer {

// Only this many leading bytes of each side are compared, so one lookup costs
// at most kCompareLimit^2 steps per candidate.
inline constexpr size_t kCompareLimit = 512;

// Levenshtein distance of the first kCompareLimit bytes of `a` and `b`, or any
// value >= `limit` once the distance is known to reach `limit` (to prune).
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit);

// The recorded key closest to `key`; ties go to the smallest key, so the
// answer does not depend on order. nullopt when `recorded` is empty.
std::optional<std::string> ClosestKey(std::string_view key,
                                      const std::vector<std::string>& recorded);

}  // namespace wsmock::replayer
