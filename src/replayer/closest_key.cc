#include "replayer/closest_key.h"

#include <algorithm>
#include <limits>

#include "replayer/match_key.h"

namespace wsmock::replayer {

size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit) {
  a = a.substr(0, std::min(a.size(), kCompareLimit));
  b = b.substr(0, std::min(b.size(), kCompareLimit));
  const size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap >= limit) return limit;  // the length difference alone reaches it
  std::vector<size_t> prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    size_t row_min = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, substitute});
      row_min = std::min(row_min, row[j]);
    }
    // Distances never shrink down the table, so a row at or past the limit
    // means the answer is too.
    if (row_min >= limit) return limit;
    std::swap(prev, row);
  }
  return prev[b.size()];
}

std::optional<std::string> ClosestKey(std::string_view key,
                                      const std::vector<std::string>& recorded) {
  const KeyParts parts = SplitKey(key);
  const bool same_head_exists = std::any_of(recorded.begin(), recorded.end(), [&](const auto& r) {
    return SplitKey(r).head == parts.head;
  });
  const std::string* best = nullptr;
  size_t best_distance = std::numeric_limits<size_t>::max();
  for (const std::string& candidate : recorded) {
    KeyParts c = SplitKey(candidate);
    if (same_head_exists && c.head != parts.head) continue;
    // limit = best + 1 keeps a tie exact, so it can go to the smaller key.
    size_t limit = best == nullptr ? best_distance : best_distance + 1;
    size_t d = BoundedEditDistance(parts.body, c.body, limit);
    if (best == nullptr || d < best_distance || (d == best_distance && candidate < *best)) {
      best = &candidate;
      best_distance = d;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace wsmock::replayer
