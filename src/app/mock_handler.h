// The mock server's brain on the loop thread: answers requests from the
// current snapshot through the StationService, pushes an update to every
// client when the snapshot advances, and hands snapshots to the store.
// Loop thread only.
#pragma once

#include <cstdint>
#include <functional>

#include "app/stubs.h"
#include "handler/station_service.h"
#include "model/snapshot.h"
#include "recorder/recorder.h"
#include "server/ws_server.h"
#include "util/clock.h"
#include "util/log.h"

namespace wsmock::app {

class MockHandler final : public server::Handler {
 public:
  // Called with every new snapshot and the indexes of the stations it changed
  // (all of them for the first); may hand it to another thread.
  using SnapshotSink = std::function<void(const model::SnapshotPtr&, const std::vector<size_t>&)>;

  // `clock` gives data time (virtual with --clock); `log` and `clock` must
  // outlive the handler.
  MockHandler(model::SnapshotPtr first, const Clock* clock, Logger* log);

  // REQUIRES: called once, before the server runs.
  void Attach(server::WsServer* server) { server_ = server; }
  // Hands `snapshot_sink` the current snapshot (all its stations) and every
  // later one. REQUIRES: before the server runs.
  void StoreSnapshotsIn(SnapshotSink snapshot_sink);
  // Taps every connection, message and push into `recorder` (may be null);
  // it must outlive the handler's use. REQUIRES: before the server runs.
  void RecordTo(recorder::Recorder* recorder) { recorder_ = recorder; }
  // Moves to the next snapshot (from the generator or a recording) and
  // pushes the stations at `changed` to every client.
  void Advance(model::SnapshotPtr next, const std::vector<size_t>& changed);
  const model::SnapshotPtr& snapshot() const { return snapshot_; }
  // POST /__wsmock/tick runs `tick`, which moves to the next snapshot now
  // as the tick timer does (through Advance), or returns false when there
  // is none (409). Without one: 409. REQUIRES: before the server runs.
  void TickOnRequest(std::function<bool()> tick) { tick_ = std::move(tick); }
  // Reset calls `rewind` first, to put the data clock back to its start
  // (serve --clock). REQUIRES: before the server runs.
  void RewindClockWith(std::function<void()> rewind) { rewind_clock_ = std::move(rewind); }
  // The number the generator gives the next tick: the snapshot's tick index
  // + 1, counted again from the start's after each reset, so the ticks
  // after a reset are the ticks after start again.
  int64_t NextTickNumber() const {
    return start_->tick_index() + (snapshot_->tick_index() - ticks_from_) + 1;
  }
  // The snapshots are a recording's (replay --snapshots): health says
  // "replay", and stations cannot be changed (409).
  // REQUIRES: before the server runs.
  void ServeARecording() { replaying_ = true; }

  void OnOpen(server::ConnectionId id, const server::PeerInfo& peer) override;
  void OnMessage(server::ConnectionId id, std::string_view message, bool binary) override;
  void OnClose(server::ConnectionId id, int close_code) override;
  // GET /__wsmock/health; POST /__wsmock/tick, /__wsmock/stations/ID and
  // /__wsmock/reset; the client routes (client_control.h), whose pushes are
  // recorded.
  server::ControlAnswer OnControl(std::string_view method, std::string_view path,
                                  std::string_view body) override;

 private:
  // POST /__wsmock/stations/ID: the station changed by `body` (PatchStation)
  // becomes the next snapshot, pushed and stored as a tick is.
  server::ControlAnswer ChangeStation(std::string_view id, std::string_view body);
  // POST /__wsmock/reset: the data clock goes back to its start, every
  // station that differs from its state at start goes back to it, as a
  // tick does (pushed and stored; the tick index goes on), the ticks after
  // it are numbered as after start, the stubs are removed and the request
  // journal empties.
  void Reset();
  // Answers a client's frame; the stubs are consulted first unless it is a
  // request a stub let continue.
  void Answer(server::ConnectionId id, std::string_view message, bool binary, bool consult_stubs);
  // Records `request` and then `reply`, answered at data time `now`, and
  // hands the reply's payload to the server (it takes reply->payload; the
  // summary stays for the log). The frames need only live for the call.
  void Send(server::ConnectionId id, const recorder::Frame& request, handler::Reply* reply,
            recorder::MessageMeta meta, Micros now);
  // Send, then the reply's line in the log.
  void Reply(server::ConnectionId id, const recorder::Frame& request, handler::Reply reply,
             recorder::MessageMeta meta, Micros now);
  void LogReceived(const protocol::Request& request);

  const model::SnapshotPtr start_;  // for Reset
  model::SnapshotPtr snapshot_;
  const Clock* clock_;
  Logger* log_;
  SnapshotSink snapshot_sink_;
  handler::StationService service_;
  server::WsServer* server_ = nullptr;
  recorder::Recorder* recorder_ = nullptr;
  std::function<bool()> tick_;
  std::function<void()> rewind_clock_;
  int64_t ticks_from_;  // the tick index after the last reset (or at start)
  bool replaying_ = false;
  StubTable stubs_;
};

// The update frame for the stations at `changed` in `snapshot`.
std::string EncodeStationsUpdate(const model::Snapshot& snapshot,
                                 const std::vector<size_t>& changed);

}  // namespace wsmock::app
