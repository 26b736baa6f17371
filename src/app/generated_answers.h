// GeneratedAnswers: replay --record-missing without --upstream answers what
// the recording lacks as `wsmock serve` would, through the StationService,
// from one snapshot at the data time of `clock` (no ticks: pushes come from
// the recording). Answers at once. Loop thread only.
#pragma once

#include <string>

#include "app/missing_answers.h"
#include "handler/station_service.h"
#include "model/snapshot.h"
#include "util/clock.h"

namespace wsmock::app {

class GeneratedAnswers final : public MissingAnswers {
 public:
  // `clock` gives data time and must outlive this; `description` names the
  // source in the log.
  GeneratedAnswers(model::SnapshotPtr snapshot, const Clock* clock, std::string description);

  void Ask(server::ConnectionId client, std::string_view frame, Done done) override;
  std::string Describe() const override { return description_; }

 private:
  const model::SnapshotPtr snapshot_;
  const Clock* clock_;
  const std::string description_;
  handler::StationService service_;
};

}  // namespace wsmock::app
