// The state of every station at one tick. Immutable once built, so the loop
// thread can answer from it while a writer thread stores it; share it as
// std::shared_ptr<const Snapshot>. Consecutive ticks share the stations that
// did not change (and their cached JSON), so a tick costs what changed.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "model/filter_key.h"
#include "model/id_index.h"
#include "model/station.h"
#include "model/station_json.h"
#include "util/clock.h"

namespace wsmock::model {

class Snapshot;
using SnapshotPtr = std::shared_ptr<const Snapshot>;

class Snapshot {
 public:
  // REQUIRES: station ids are unique.
  Snapshot(std::vector<Station> stations, int64_t tick_index, Micros taken_at);
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // `previous` with the station at changed[k] replaced by updated[k]; the
  // others are shared with `previous`. REQUIRES: changed ascending and in
  // range, updated.size() == changed.size(), every id kept.
  static SnapshotPtr Next(const Snapshot& previous, const std::vector<size_t>& changed,
                          std::vector<Station> updated, int64_t tick_index, Micros taken_at);

  size_t size() const { return entries_.size(); }
  const Station& station(size_t index) const { return entries_[index]->station; }
  const StationJson& json(size_t index) const { return entries_[index]->json; }
  const FilterKey& filter_key(size_t index) const { return filter_keys_[index]; }
  // Every station's key, index-aligned with the stations: what a filter scans.
  std::span<const FilterKey> filter_keys() const { return filter_keys_; }
  int64_t tick_index() const { return tick_index_; }
  Micros taken_at() const { return taken_at_; }
  // Index of the station with this id, or -1.
  int64_t IndexOf(std::string_view id) const;

 private:
  // A station and its JSON, built once and shared by every tick that has it.
  struct Entry {
    explicit Entry(Station s) : station(std::move(s)), json(station) {}
    Station station;
    StationJson json;
  };
  using EntryPtr = std::shared_ptr<const Entry>;

  Snapshot(std::vector<EntryPtr> entries, std::vector<FilterKey> filter_keys,
           std::shared_ptr<const IdIndex> index, int64_t tick_index, Micros taken_at);

  std::vector<EntryPtr> entries_;
  std::vector<FilterKey> filter_keys_;    // index-aligned with entries_
  std::shared_ptr<const IdIndex> index_;  // shared by every tick with these ids
  int64_t tick_index_;
  Micros taken_at_;
};

}  // namespace wsmock::model
