// Station snapshots read back from a session file: one tick for
// `serve --from`, every tick for `replay --snapshots`. The file is opened
// read-only and never changed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "util/status.h"

namespace wsmock::app {

struct RecordedSnapshots {
  int64_t session_id = 0;
  std::vector<model::SnapshotPtr> snapshots;      // ascending tick
  std::vector<std::vector<size_t>> changed;       // per snapshot: indexes changed at it
};

// One snapshot: tick `tick_index` (default: the last) of `session` (default:
// the latest session).
Result<RecordedSnapshots> LoadRecordedSnapshot(const std::string& path,
                                               std::optional<int64_t> session,
                                               std::optional<int64_t> tick_index);

// Every snapshot of `session` (default: the latest), in tick order.
Result<RecordedSnapshots> LoadRecordedSnapshots(const std::string& path,
                                                std::optional<int64_t> session);

}  // namespace wsmock::app
