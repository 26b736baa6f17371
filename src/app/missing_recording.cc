#include "app/missing_recording.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "app/first_snapshot.h"
#include "app/generated_answers.h"
#include "app/serve_options_json.h"
#include "app/upstream_dial.h"
#include "store/database.h"

namespace wsmock::app {
namespace {

// Where the generated stations come from, for the log.
std::string GeneratorName(const ServeOptions& serve) {
  if (!serve.from.empty()) return "the stations of " + serve.from;
  if (!serve.fixture.empty()) return "the stations of " + serve.fixture;
  return "the generator (seed " + std::to_string(serve.seed) + ", " +
         std::to_string(serve.stations) + " stations)";
}

int64_t NextConnectionId(const std::vector<store::ConnectionRow>& connections) {
  int64_t last = 0;
  for (const store::ConnectionRow& c : connections) last = std::max(last, c.id);
  return last + 1;
}

}  // namespace

Micros LastRecordedInstant(const store::SessionInfo& session,
                           const std::vector<store::ConnectionRow>& connections,
                           const std::vector<store::MessageRow>& messages) {
  Micros last = session.started_at;
  std::unordered_map<int64_t, Micros> opened;  // lookup only
  for (const store::ConnectionRow& c : connections) {
    opened[c.id] = c.opened_at;
    last = std::max({last, c.opened_at, c.closed_at.value_or(c.opened_at)});
  }
  for (const store::MessageRow& m : messages) {
    auto it = opened.find(m.connection_id);
    if (it != opened.end()) last = std::max(last, it->second + m.offset);
  }
  return last;
}

MissingRecording::~MissingRecording() = default;

Result<std::unique_ptr<MissingRecording>> MissingRecording::Open(
    const ReplayOptions& options, const store::SessionInfo& session,
    const std::vector<store::ConnectionRow>& connections,
    const std::vector<store::MessageRow>& messages, std::shared_ptr<const json::Redactor> redactor,
    const Clock* clock, Logger* log) {
  std::unique_ptr<MissingRecording> missing(new MissingRecording());
  if (!options.upstream.url.empty()) {
    server::DialOptions dial = UpstreamDial(options.upstream);
    Status checked = server::CheckDialOptions(dial);
    if (!checked.ok()) return checked.WithContext("--upstream");
    auto upstream = std::make_unique<UpstreamAnswers>(std::move(dial), log);
    missing->upstream_ = upstream.get();
    missing->source_ = std::move(upstream);
  } else {
    WSMOCK_RETURN_IF_ERROR(missing->StartGenerator(options, session, clock, log));
  }

  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(options.path, store::OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  Result<std::unique_ptr<store::BackgroundWriter>> writer =
      store::BackgroundWriter::Start(std::move(*db));
  if (!writer.ok()) return writer.status();
  missing->writer_ = std::move(*writer);
  if (session.ended_at) {
    missing->session_end_ = *session.ended_at;
  } else {
    const Micros end = LastRecordedInstant(session, connections, messages);
    missing->session_end_ = end;
    const int64_t id = session.id;
    missing->writer_->Submit(
        [id, end](store::SessionStore& store) { return store.EndSession(id, end); });
  }
  missing->recorder_ = std::make_unique<recorder::Recorder>(missing->writer_.get(), session.id,
                                                            clock, NextConnectionId(connections));
  missing->recorder_->RedactWith(std::move(redactor));
  return missing;
}

// The generator answers as the server that made the recording would have:
// the session's seed, stations, clock, fixture or --from, each overridden
// by its flag. No ticks: the data time stands still at --clock, if any.
Status MissingRecording::StartGenerator(const ReplayOptions& options,
                                        const store::SessionInfo& session, const Clock* clock,
                                        Logger* log) {
  ServeOptions serve;
  Status read = ReadServeOptionsJson(session.options_json, &serve);
  if (!read.ok()) {
    return read.WithContext(options.path + ": session " + std::to_string(session.id));
  }
  if (options.seed) serve.seed = *options.seed;
  if (options.stations) serve.stations = *options.stations;
  if (options.clock_start) serve.clock_start = options.clock_start;
  const Clock* data_clock = clock;
  if (serve.clock_start) {
    data_clock_ = std::make_unique<ManualClock>(*serve.clock_start);
    data_clock = data_clock_.get();
  }
  Result<model::SnapshotPtr> first = FirstSnapshot(&serve, data_clock->Now(), log);
  if (!first.ok()) {
    return first.status().WithContext(options.path + ": session " + std::to_string(session.id));
  }
  source_ = std::make_unique<GeneratedAnswers>(*first, data_clock, GeneratorName(serve));
  return Status::Ok();
}

void MissingRecording::Attach(server::WsServer* server) {
  if (upstream_ != nullptr) upstream_->Attach(server);
}

Status MissingRecording::Finish() {
  recorder_->CloseAll(1001);
  return writer_->SettleJournal();
}

}  // namespace wsmock::app
