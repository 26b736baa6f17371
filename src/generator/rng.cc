#include "generator/rng.h"

#include <cassert>

namespace wsmock::generator {
namespace {

constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15;

// splitmix64's output function: a bijection that scatters nearby inputs, so
// seeds 1, 2, 3 give unrelated states.
uint64_t Scramble(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed) {
  // splitmix64 as its authors recommend for filling xoshiro's state; it
  // never yields the all-zero state xoshiro cannot leave.
  for (uint64_t& word : s_) {
    seed += kGoldenGamma;
    word = Scramble(seed);
  }
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

// Lemire's multiply-and-reject: the high word of x*n is uniform in [0, n)
// once the few low words below 2^64 mod n are rejected.
uint64_t Rng::Below(uint64_t n) {
  assert(n > 0);
  if (n == 0) return 0;
  unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::Between(int64_t lo, int64_t hi) {
  assert(lo <= hi);
  if (hi <= lo) return lo;
  // Unsigned arithmetic: the span of [INT64_MIN, INT64_MAX] overflows int64.
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t offset = span == UINT64_MAX ? Next() : Below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

bool Rng::Chance(uint32_t numerator, uint32_t denominator) {
  assert(denominator > 0);
  if (denominator == 0) return false;
  return Below(denominator) < numerator;
}

uint64_t MixSeed(uint64_t seed, uint64_t stream) {
  // Scrambling the stream before adding keeps (seed, stream) and
  // (seed + 1, stream - 1) apart; the outer Scramble decorrelates the sum.
  return Scramble(seed + Scramble(stream + kGoldenGamma));
}

}  // namespace wsmock::generator
