// The state of every station at one tick. Immutable once built, so the loop
// thread can answer from it while a writer thread stores it; share it as
// std::shared_ptr<const Snapshot>.
#pragma once

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/station.h"
#include "model/station_json.h"
#include "util/clock.h"

namespace wsmock::model {

class Snapshot {
 public:
  // REQUIRES: station ids are unique.
  Snapshot(std::vector<Station> stations, int64_t tick_index, Micros taken_at);
  // The id index points into stations_, so a copy would point into the original.
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  const std::vector<Station>& stations() const { return stations_; }
  // index-aligned with stations()
  const StationJson& json(size_t index) const { return json_[index]; }
  int64_t tick_index() const { return tick_index_; }
  Micros taken_at() const { return taken_at_; }
  // Index of the station with this id, or -1.
  int64_t IndexOf(std::string_view id) const;

 private:
  std::vector<Station> stations_;
  std::vector<StationJson> json_;
  std::unordered_map<std::string_view, size_t> by_id_;  // lookup only, never iterated
  int64_t tick_index_;
  Micros taken_at_;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace wsmock::model
