// MissingRecording: what replay --record-missing adds to a replay - the
// session file open read-write behind a BackgroundWriter (so the loop never
// waits on the disk), a Recorder that appends new connections to the
// replayed session, and the source of the answers the recording lacks (the
// upstream, or the generator set up as the session was recorded). Loop
// thread only, but Open and Finish run before and after the loop.
#pragma once

#include <memory>
#include <vector>

#include "app/missing_answers.h"
#include "app/serve_options.h"
#include "app/upstream_answers.h"
#include "recorder/recorder.h"
#include "store/background_writer.h"
#include "store/session_store.h"
#include "util/clock.h"
#include "util/json_redact.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

// The last instant a session's rows record (opened, closed, or a message
// sent), at least its start: where a session without an end stopped.
Micros LastRecordedInstant(const store::SessionInfo& session,
                           const std::vector<store::ConnectionRow>& connections,
                           const std::vector<store::MessageRow>& messages);

class MissingRecording {
 public:
  // Opens options.path read-write for appending to `session`, whose rows
  // are given. A session without an end (its recorder was killed) is ended
  // at its LastRecordedInstant first, so that connections appended after it
  // can be told apart. What is appended is redacted with `redactor` (the
  // session's --redact pointers; null: none), as record would have; the
  // source is asked with the request as sent. `clock` (wall time, for the
  // rows) and `log` must outlive this. Errors are one line naming the file
  // or the flag.
  static Result<std::unique_ptr<MissingRecording>> Open(
      const ReplayOptions& options, const store::SessionInfo& session,
      const std::vector<store::ConnectionRow>& connections,
      const std::vector<store::MessageRow>& messages,
      std::shared_ptr<const json::Redactor> redactor, const Clock* clock, Logger* log);
  MissingRecording(const MissingRecording&) = delete;
  MissingRecording& operator=(const MissingRecording&) = delete;
  ~MissingRecording();

  // The session's end: appended connections open after it.
  Micros session_end() const { return session_end_; }
  MissingAnswers* source() const { return source_.get(); }
  recorder::Recorder* recorder() const { return recorder_.get(); }
  const store::BackgroundWriter* writer() const { return writer_.get(); }
  // REQUIRES: once, before the server runs (an upstream is dialled from it).
  void Attach(server::WsServer* server);
  // After the server stopped: closes the rows still open and commits every
  // row; not ok when some could not be stored.
  Status Finish();

 private:
  MissingRecording() = default;
  Status StartGenerator(const ReplayOptions& options, const store::SessionInfo& session,
                        const Clock* clock, Logger* log);

  std::unique_ptr<store::BackgroundWriter> writer_;
  std::unique_ptr<recorder::Recorder> recorder_;
  std::unique_ptr<ManualClock> data_clock_;  // the generator's, with a clock option
  std::unique_ptr<MissingAnswers> source_;
  UpstreamAnswers* upstream_ = nullptr;  // source_, when it is one
  Micros session_end_ = 0;
};

}  // namespace wsmock::app
