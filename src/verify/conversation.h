// Conversation: one live copy of a recorded connection, as a state machine
// that knows nothing of sockets. It sends the recorded requests one at a
// time (each with a new requestId), waits for each answer, checks it against
// the recorded one, and with compare_updates checks pushes in order. The
// owner feeds it the connection's events and a timer. Loop thread only.
//
// A live message answers the awaited request when its requestId is the one
// sent, or when it has none and is a response or error (or, for a request
// sent without an id, anything but an update): the same rules as in a
// recording (replayer/recorded_exchanges.h). Updates, and unclaimed frames
// that are not responses or errors, are pushes; any other frame is stray and
// ignored. Binary frames are ignored.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/codec.h"
#include "verify/json_diff.h"
#include "verify/verify_plan.h"
#include "verify/verify_report.h"

namespace wsmock::verify {

// What a Conversation needs from the connection it runs on.
class Wire {
 public:
  virtual ~Wire() = default;
  // Sends one text message; false when the connection is gone.
  virtual bool Send(std::string_view text) = 0;
  // (Re)starts the one timer: after the --timeout the owner calls
  // Conversation::OnTimeout unless StopTimer came first.
  virtual void StartTimer() = 0;
  virtual void StopTimer() = 0;
  // Everything is checked: close the connection normally.
  virtual void Finish() = 0;
};

struct ConversationOptions {
  bool compare_updates = false;      // check pushes in order too
  bool only_schema = false;          // value changes do not count
  std::string timeout_text = "5 s";  // for messages: "no answer within 5 s"
};

class Conversation {
 public:
  // `copies` is how many copies of the connection run (for request ids).
  // REQUIRES: plan, differ and wire outlive the conversation.
  Conversation(const ConnectionPlan* plan, int copy, int copies, const JsonDiffer* differ,
               const ConversationOptions& options, Wire* wire);
  Conversation(const Conversation&) = delete;
  Conversation& operator=(const Conversation&) = delete;

  void OnDialing();  // the connection is being made: its timer starts
  void OnOpen();     // sends the first request
  void OnMessage(std::string_view text, bool binary);
  void OnTimeout();
  void OnClose(int close_code);                  // the target closed or dropped it
  void OnDialFailed(const std::string& reason);  // it never opened; `reason` is the failure

  bool done() const { return state_ == State::kDone; }
  // Answers in step order, then pushes in order. REQUIRES: done().
  std::vector<Check> TakeChecks();

 private:
  enum class State { kIdle, kConnecting, kAwaitingAnswer, kAwaitingPushes, kDone };

  void SendNext();
  void AwaitPushesOrFinish();
  void Finish();
  bool Answers(const protocol::Peek& peek) const;
  void OnAnswer(std::string_view text);
  void OnPush(std::string_view text);
  // Remembers the first frame that came while an answer was awaited but was
  // not it, for the "no answer" failure.
  void NoteStray(std::string what);
  // Every check still open fails with `reason`.
  void FailRest(const std::string& reason);
  Check MakeCheck(bool update, size_t index, std::string request) const;
  void Judge(Check* check, std::string_view recorded, std::string_view actual) const;

  const ConnectionPlan* plan_;
  const int copy_, copies_;
  const JsonDiffer* differ_;
  const ConversationOptions options_;
  Wire* wire_;

  State state_ = State::kIdle;
  size_t next_ = 0;         // the step being awaited, or the next to send
  std::string awaited_id_;  // requestId JSON text sent with it; "" = none
  std::string stray_;       // NoteStray's; "" = none since the request went out
  size_t pushes_seen_ = 0;
  std::vector<Check> answers_, pushes_;
};

}  // namespace wsmock::verify
