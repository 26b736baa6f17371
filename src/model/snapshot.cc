#include "model/snapshot.h"

namespace wsmock::model {

Snapshot::Snapshot(std::vector<Station> stations, int64_t tick_index, Micros taken_at)
    : stations_(std::move(stations)), tick_index_(tick_index), taken_at_(taken_at) {
  json_.reserve(stations_.size());
  by_id_.reserve(stations_.size());
  for (size_t i = 0; i < stations_.size(); ++i) {
    json_.emplace_back(stations_[i]);
    by_id_.emplace(stations_[i].id, i);
  }
}

int64_t Snapshot::IndexOf(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace wsmock::model
