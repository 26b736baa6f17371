// A small, fast, seeded pseudo-random generator (xoshiro256** seeded through
// splitmix64) with our own integer mappings, so a seed gives the same numbers
// on every machine and standard library. A value type; one thread at a time.
#pragma once

#include <cstdint>

namespace wsmock::generator {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  // The next raw 64-bit value.
  uint64_t Next();
  // A uniform value in [0, n), without modulo bias. REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // A uniform value in [lo, hi], both ends included. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // True with probability numerator/denominator. REQUIRES: denominator > 0.
  bool Chance(uint32_t numerator, uint32_t denominator);

 private:
  uint64_t s_[4];
};

// Derives the seed of an independent stream (e.g. one per tick) from a base
// seed; different streams of one seed give unrelated sequences.
uint64_t MixSeed(uint64_t seed, uint64_t stream);

}  // namespace wsmock::generator
