#include "model/id_index.h"

namespace wsmock::model {

// FNV-1a, then a final mix so that ids differing only in their last digits
// spread over the low bits the mask keeps.
uint64_t IdIndex::Hash(std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return h;
}

}  // namespace wsmock::model
