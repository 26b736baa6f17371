// Serves a recording back on the loop thread: each request gets the next
// recorded answer for its key (requestId swapped for the incoming one) or a
// NO_RECORDING error, and each client gets the recorded pushes of "its"
// recorded connection on the recorded schedule scaled by --speed. With
// RecordMissing (replay --record-missing), a request nothing recorded
// answers goes to a MissingAnswers source instead, and its answer is sent,
// appended to the session through the Recorder and answers the same request
// from then on. Loop thread only.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "app/missing_answers.h"
#include "app/stubs.h"
#include "recorder/recorder.h"
#include "replayer/frame_keys.h"
#include "replayer/match_key.h"
#include "replayer/replay_index.h"
#include "server/ws_server.h"
#include "util/clock.h"
#include "util/log.h"

namespace wsmock::app {

class ReplayHandler final : public server::Handler {
 public:
  // `speed` scales the push schedule (2 = twice as fast); 0 sends each push
  // as soon as the request that preceded it in the recording is answered.
  // Every pointer must outlive the handler.
  // `per_connection`: each connection hears a request's recorded answers
  // from the first (ReplayIndex::Cursor); else one sequence serves all.
  ReplayHandler(replayer::ReplayIndex* index, const replayer::KeyMaker* keys, double speed,
                bool per_connection, const Clock* clock, Logger* log);

  // REQUIRES: called once, before the server runs.
  void Attach(server::WsServer* server) { server_ = server; }
  // Called after every request is answered (matched or not), with the
  // number answered so far.
  void OnRequest(std::function<void(int64_t)> hook) { on_request_ = std::move(hook); }
  // Unrecorded requests are asked of `source` and the exchanges recorded
  // into `recorder`: a client's connection row is opened at its first
  // recorded exchange, with the client's own opening time, but never at or
  // before `session_end` (so the index can tell appended connections from
  // recorded ones). Both must outlive the handler.
  // REQUIRES: before the server runs.
  void RecordMissing(MissingAnswers* source, recorder::Recorder* recorder, Micros session_end);

  void OnOpen(server::ConnectionId id, const server::PeerInfo& peer) override;
  void OnMessage(server::ConnectionId id, std::string_view message, bool binary) override;
  void OnClose(server::ConnectionId id, int close_code) override;
  // GET /__wsmock/health and the client routes (client_control.h); tick
  // and stations are refused (409): a replay's pushes and answers come from
  // the recording. POST /__wsmock/reset rewinds it (Rewind).
  server::ControlAnswer OnControl(std::string_view method, std::string_view path,
                                  std::string_view body) override;

 private:
  struct Client {
    const std::vector<replayer::ReplayIndex::Push>* pushes;
    size_t next_push = 0;
    Micros opened_at = 0;
    std::set<std::string> answered;  // keys answered so far (for --speed 0)
    std::optional<server::WsServer::TimerId> timer;
    server::PeerInfo peer;   // for its connection row (RecordMissing)
    bool recording = false;  // its connection row is open
    replayer::ReplayIndex::Cursor cursor;  // with per_connection_
  };
  // A request sent to the MissingAnswers source, waiting for its answer.
  struct Miss {
    server::ConnectionId client;
    std::string key, frame, request_id;
    std::optional<std::string> error_action, error_id;  // for its error reply
    Micros asked_at;
  };

  // Every request is answered from its first recorded answer again, and
  // the next client to connect hears the first recorded connection's
  // pushes, as after start; the stubs are removed and the request journal
  // is emptied.
  void Rewind();
  // Answers a text `message` from the stubs when one matches it (stubbed
  // answers are not the recording's: never appended with
  // --record-missing), or lets it continue to Replay when the stub says
  // so; false when none matches.
  bool AnswerStubbed(server::ConnectionId id, std::string_view message);
  // Answers `message` from the recording (or --record-missing's source),
  // as if no stub were set.
  void Replay(server::ConnectionId id, std::string_view message, bool binary);
  bool AnswerKnown(server::ConnectionId id, std::string_view message);
  // The client's cursor with per_connection_, else null (one sequence).
  replayer::ReplayIndex::Cursor* CursorOf(server::ConnectionId id);
  // Sends a recorded answer written after WsServer::kSendHeadroom bytes of
  // `frame`, as a binary frame when it was recorded as one.
  void SendAnswer(server::ConnectionId id, std::string&& frame, bool binary);
  using Found = replayer::ReplayIndex::Found;
  // Logs, counts and, with --speed 0, releases the pushes due after `key`,
  // whether it was answered or, as recorded, left without an answer.
  void Replayed(server::ConnectionId id, const std::string& key, std::string_view request_id,
                Found found);
  const std::string& Described(const std::string& key);  // replayer::DescribeKey, cached
  void NoRecording(server::ConnectionId id, const std::string& why,
                   std::optional<std::string> action, std::optional<std::string> request_id);
  void OnMissingAnswer(const Miss& miss, Result<std::string> answer);
  void RecordExchange(Client* client, const Miss& miss, const std::string& answer);
  void SendDuePushes(server::ConnectionId id, Client* client);
  void ScheduleNextPush(server::ConnectionId id, Client* client);

  replayer::ReplayIndex* index_;
  const replayer::KeyMaker* keys_;
  // Request shapes remembered for AnswerKnown; bounded, so that a client
  // whose every request is new (a timestamp in its data) cannot grow it.
  static constexpr size_t kMaxShapes = 4096;
  replayer::FrameKeys frame_keys_;
  const double speed_;
  const bool per_connection_;
  const Clock* clock_;
  Logger* log_;
  server::WsServer* server_ = nullptr;
  std::function<void(int64_t)> on_request_;
  MissingAnswers* missing_ = nullptr;       // null: answer NO_RECORDING
  recorder::Recorder* recorder_ = nullptr;  // with missing_
  Micros session_end_ = 0;
  size_t clients_seen_ = 0;
  int64_t requests_ = 0;
  std::unordered_map<server::ConnectionId, Client> clients_;  // lookup only
  std::unordered_map<std::string, std::string> described_;    // lookup only
  StubTable stubs_;
};

}  // namespace wsmock::app
