// LatencyHistogram: counts durations in nanoseconds in log-linear buckets
// (128 per power of two, so a percentile is within 0.8% of the true value)
// without allocating after construction. One thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wsmock::bench {

class LatencyHistogram {
 public:
  LatencyHistogram();

  // Negative values count as 0; values past 39 hours share the top bucket.
  void Record(int64_t nanos);
  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  // The smallest recorded bucket value v with at least `fraction` of the
  // samples <= v (the bucket's upper bound, capped at max()); 0 when empty.
  // REQUIRES: 0 < fraction <= 1
  int64_t Percentile(double fraction) const;

 private:
  static constexpr int kSubBits = 7;  // 128 sub-buckets per power of two
  static constexpr int kMagnitudes = 40;
  static size_t BucketOf(uint64_t nanos);
  static uint64_t UpperBoundOf(size_t bucket);

  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  int64_t max_ = 0;
};

}  // namespace wsmock::bench
