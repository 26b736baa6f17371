#include "latency_histogram.h"

#include <algorithm>
#include <bit>

namespace wsmock::bench {
namespace {
constexpr uint64_t kSubCount = uint64_t{1} << 7;
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_((kMagnitudes + 1) * kSubCount, 0) {}

// Values below 128 ns get one bucket each; above, a power of two [2^m, 2^m+1)
// is split into 128 equal parts, so the relative width stays under 1/128.
size_t LatencyHistogram::BucketOf(uint64_t nanos) {
  if (nanos < kSubCount) return static_cast<size_t>(nanos);
  const int magnitude = std::bit_width(nanos) - 1 - kSubBits;  // >= 0
  const uint64_t sub = (nanos >> magnitude) - kSubCount;       // 0..127
  const size_t bucket = static_cast<size_t>(magnitude + 1) * kSubCount + sub;
  return std::min(bucket, static_cast<size_t>((kMagnitudes + 1) * kSubCount - 1));
}

uint64_t LatencyHistogram::UpperBoundOf(size_t bucket) {
  if (bucket < kSubCount) return bucket;
  const uint64_t magnitude = bucket / kSubCount - 1;
  const uint64_t sub = bucket % kSubCount;
  return ((kSubCount + sub + 1) << magnitude) - 1;
}

void LatencyHistogram::Record(int64_t nanos) {
  const uint64_t value = nanos > 0 ? static_cast<uint64_t>(nanos) : 0;
  ++buckets_[BucketOf(value)];
  ++count_;
  max_ = std::max(max_, static_cast<int64_t>(value));
}

int64_t LatencyHistogram::Percentile(double fraction) const {
  if (count_ == 0) return 0;
  // The rank of the sample asked for, 1-based, rounded up as the usual
  // "nearest rank" definition does.
  uint64_t rank = static_cast<uint64_t>(fraction * static_cast<double>(count_));
  if (static_cast<double>(rank) < fraction * static_cast<double>(count_)) ++rank;
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(static_cast<int64_t>(UpperBoundOf(i)), max_);
  }
  return max_;
}

}  // namespace wsmock::bench
