#include "app/generated_answers.h"

#include <utility>

namespace wsmock::app {

GeneratedAnswers::GeneratedAnswers(model::SnapshotPtr snapshot, const Clock* clock,
                                   std::string description)
    : snapshot_(std::move(snapshot)), clock_(clock), description_(std::move(description)) {}

void GeneratedAnswers::Ask(server::ConnectionId /*client*/, std::string_view frame, Done done) {
  // A frame that is not a request gets the error serve would send (the same
  // bytes, so an INVALID_JSON exchange is recorded and replays too).
  done(service_.HandleText(frame, *snapshot_, clock_->Now()).payload);
}

}  // namespace wsmock::app
