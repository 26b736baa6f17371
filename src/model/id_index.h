// An open-addressing table from station id to station index. It keeps no
// ids, only indexes, and compares against the caller's ids on lookup: so one
// table serves every tick of a run (ticks change stations, never their ids
// or order), and building it costs one allocation instead of one per id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wsmock::model {

class IdIndex {
 public:
  // `id_at(i)` gives the id of station i. REQUIRES: ids are unique.
  template <class IdAt>
  IdIndex(size_t count, IdAt id_at);

  // Index of `id`, or -1. `id_at` must give the ids the table was built with.
  template <class IdAt>
  int64_t Find(std::string_view id, IdAt id_at) const;

 private:
  static uint64_t Hash(std::string_view id);
  size_t mask_ = 0;
  std::vector<uint32_t> slots_;  // index + 1; 0 = empty
};

template <class IdAt>
IdIndex::IdIndex(size_t count, IdAt id_at) {
  size_t capacity = 16;
  while (capacity < count * 2) capacity *= 2;  // load factor <= 1/2
  mask_ = capacity - 1;
  slots_.assign(capacity, 0);
  for (size_t i = 0; i < count; ++i) {
    size_t slot = Hash(id_at(i)) & mask_;
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = static_cast<uint32_t>(i + 1);
  }
}

template <class IdAt>
int64_t IdIndex::Find(std::string_view id, IdAt id_at) const {
  for (size_t slot = Hash(id) & mask_;; slot = (slot + 1) & mask_) {
    const uint32_t entry = slots_[slot];
    if (entry == 0) return -1;  // the load factor guarantees an empty slot
    if (id_at(entry - 1) == id) return entry - 1;
  }
}

}  // namespace wsmock::model
