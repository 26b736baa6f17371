#include "model/snapshot.h"

#include <algorithm>
#include <thread>

namespace wsmock::model {
namespace {

// Below this many stations one thread builds the JSON faster than two
// threads can start.
constexpr size_t kParallelFrom = 8192;
constexpr unsigned kMaxBuilders = 4;

}  // namespace

Snapshot::Snapshot(std::vector<Station> stations, int64_t tick_index, Micros taken_at)
    : entries_(stations.size()),
      filter_keys_(stations.size()),
      tick_index_(tick_index),
      taken_at_(taken_at) {
  // Serialising every station is most of start-up with 100000 of them; each
  // entry depends on its own station only, so the work splits cleanly and
  // the result is the same however it is split.
  auto build = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      entries_[i] = std::make_shared<const Entry>(std::move(stations[i]));
      filter_keys_[i] = FilterKey::Of(entries_[i]->station);
    }
  };
  const size_t count = stations.size();
  const unsigned builders =
      count < kParallelFrom ? 1 : std::clamp(std::thread::hardware_concurrency(), 1u, kMaxBuilders);
  std::vector<std::thread> helpers;
  const size_t chunk = (count + builders - 1) / builders;
  for (unsigned b = 1; b < builders; ++b) {
    helpers.emplace_back(build, std::min(count, b * chunk), std::min(count, (b + 1) * chunk));
  }
  build(0, std::min(count, chunk));
  for (std::thread& t : helpers) t.join();
  index_ = std::make_shared<const IdIndex>(count, [this](size_t i) -> std::string_view {
    return entries_[i]->station.id;
  });
}

Snapshot::Snapshot(std::vector<EntryPtr> entries, std::vector<FilterKey> filter_keys,
                   std::shared_ptr<const IdIndex> index, int64_t tick_index, Micros taken_at)
    : entries_(std::move(entries)),
      filter_keys_(std::move(filter_keys)),
      index_(std::move(index)),
      tick_index_(tick_index),
      taken_at_(taken_at) {}

SnapshotPtr Snapshot::Next(const Snapshot& previous, const std::vector<size_t>& changed,
                           std::vector<Station> updated, int64_t tick_index, Micros taken_at) {
  std::vector<EntryPtr> entries = previous.entries_;
  std::vector<FilterKey> filter_keys = previous.filter_keys_;
  for (size_t k = 0; k < changed.size(); ++k) {
    entries[changed[k]] = std::make_shared<const Entry>(std::move(updated[k]));
    filter_keys[changed[k]] = FilterKey::Of(entries[changed[k]]->station);
  }
  return SnapshotPtr(new Snapshot(std::move(entries), std::move(filter_keys), previous.index_,
                                  tick_index, taken_at));
}

int64_t Snapshot::IndexOf(std::string_view id) const {
  return index_->Find(id, [this](size_t i) -> std::string_view { return entries_[i]->station.id; });
}

}  // namespace wsmock::model
