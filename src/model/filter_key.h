// What a filtered request compares first: a station's city, owner and status
// as 32-bit hashes, kept side by side for every station of a snapshot, so
// that a filter scans 12 bytes a station and reads a station's strings only
// where a hash agrees (then the strings decide: a collision never matches).
// Plain values; any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/station.h"

namespace wsmock::model {

// FNV-1a, 32 bits: the same on every machine, and only ever a shortcut.
inline uint32_t FilterHash(std::string_view value) {
  uint32_t hash = 2166136261u;
  for (const char c : value) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return hash;
}

struct FilterKey {
  uint32_t city = 0;
  uint32_t owner = 0;
  uint32_t status = 0;

  static FilterKey Of(const Station& station) {
    return {FilterHash(station.city), FilterHash(station.owner), FilterHash(station.status)};
  }
  bool operator==(const FilterKey&) const = default;
};

}  // namespace wsmock::model
