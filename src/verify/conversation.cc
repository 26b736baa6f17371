#include "verify/conversation.h"

#include "protocol/codec.h"
#include "util/printable_text.h"

namespace wsmock::verify {
namespace {

using protocol::MessageKind;

// requestId of a live message as JSON text; "" for none or null.
std::string IdOf(const protocol::Peek& peek) { return peek.request_id.value_or(""); }

// A push is described by its recorded action, if it has one.
std::string PushDescription(std::string_view recorded) {
  protocol::Peek peek = protocol::PeekMessage(recorded);
  return peek.action ? "update " + *peek.action : "update (no action)";
}

// The start of `text`, quoted and escaped, for one line of a report.
std::string Quoted(std::string_view text) { return '"' + EscapedCut(text, 60) + '"'; }

}  // namespace

Conversation::Conversation(const ConnectionPlan* plan, int copy, int copies,
                           const JsonDiffer* differ, const ConversationOptions& options, Wire* wire)
    : plan_(plan), copy_(copy), copies_(copies), differ_(differ), options_(options), wire_(wire) {}

void Conversation::OnDialing() {
  if (state_ != State::kIdle) return;
  state_ = State::kConnecting;
  wire_->StartTimer();
}

void Conversation::OnOpen() {
  if (state_ != State::kConnecting && state_ != State::kIdle) return;
  SendNext();
}

// Sends steps until one expects an answer; unanswered recorded requests are
// sent for fidelity (the target may depend on them) but not checked.
void Conversation::SendNext() {
  for (; next_ < plan_->steps.size(); ++next_) {
    const Step& step = plan_->steps[next_];
    awaited_id_ = NewRequestId(step, plan_->connection_id, copy_, copies_, next_ + 1);
    if (!wire_->Send(WithRequestId(step, awaited_id_))) {
      FailRest("the connection was gone before the request could be sent");
      return;
    }
    if (step.answer) {
      state_ = State::kAwaitingAnswer;
      stray_.clear();
      wire_->StartTimer();
      return;
    }
  }
  AwaitPushesOrFinish();
}

void Conversation::AwaitPushesOrFinish() {
  if (options_.compare_updates && pushes_seen_ < plan_->pushes.size()) {
    state_ = State::kAwaitingPushes;
    wire_->StartTimer();
    return;
  }
  Finish();
}

void Conversation::Finish() {
  state_ = State::kDone;
  wire_->StopTimer();
  wire_->Finish();
}

bool Conversation::Answers(const protocol::Peek& peek) const {
  if (state_ != State::kAwaitingAnswer) return false;
  if (peek.kind == MessageKind::kUpdate || peek.kind == MessageKind::kRequest) return false;
  std::string id = IdOf(peek);
  if (!id.empty()) return id == awaited_id_;
  return peek.kind != MessageKind::kOther || awaited_id_.empty();
}

void Conversation::OnMessage(std::string_view text, bool binary) {
  if (state_ == State::kDone) return;
  if (binary) {
    NoteStray("a binary frame of " + std::to_string(text.size()) + " bytes");
    return;
  }
  const protocol::Peek peek = protocol::PeekMessage(text);
  if (Answers(peek)) {
    OnAnswer(text);
    return;
  }
  if (peek.kind == MessageKind::kUpdate || peek.kind == MessageKind::kOther) OnPush(text);
  // Anything else is stray: a late answer to a request that timed out. If the
  // awaited answer never comes, what came instead is the likeliest culprit.
  if (peek.kind != MessageKind::kUpdate) NoteStray(Quoted(text));
}

void Conversation::NoteStray(std::string what) {
  if (state_ == State::kAwaitingAnswer && stray_.empty()) stray_ = std::move(what);
}

void Conversation::OnAnswer(std::string_view text) {
  const Step& step = plan_->steps[next_];
  Check check = MakeCheck(false, next_ + 1, step.description);
  Judge(&check, *step.answer, text);
  answers_.push_back(std::move(check));
  ++next_;
  SendNext();
}

void Conversation::OnPush(std::string_view text) {
  if (!options_.compare_updates || pushes_seen_ >= plan_->pushes.size()) return;
  const std::string& recorded = plan_->pushes[pushes_seen_++];
  Check check = MakeCheck(true, pushes_seen_, PushDescription(recorded));
  Judge(&check, recorded, text);
  pushes_.push_back(std::move(check));
  if (state_ != State::kAwaitingPushes) return;
  if (pushes_seen_ == plan_->pushes.size()) {
    Finish();
  } else {
    wire_->StartTimer();  // the timeout is per message, not for all of them
  }
}

void Conversation::OnTimeout() {
  const std::string within = " within " + options_.timeout_text;
  switch (state_) {
    case State::kConnecting:
      FailRest("could not connect" + within);
      wire_->Finish();
      return;
    case State::kAwaitingAnswer: {
      const Step& step = plan_->steps[next_];
      Check check = MakeCheck(false, next_ + 1, step.description);
      check.outcome = Check::Outcome::kFailed;
      check.failure = "no answer" + within;
      if (!stray_.empty()) check.failure += " (came instead: " + stray_ + ")";
      answers_.push_back(std::move(check));
      ++next_;
      SendNext();
      return;
    }
    case State::kAwaitingPushes:
      FailRest("no update" + within + " (got " + std::to_string(pushes_seen_) + " of " +
               std::to_string(plan_->pushes.size()) + ")");
      wire_->Finish();
      return;
    case State::kIdle:
    case State::kDone:
      return;
  }
}

void Conversation::OnClose(int close_code) {
  if (state_ == State::kDone) return;
  FailRest("the target closed the connection (code " + std::to_string(close_code) + ")");
}

void Conversation::OnDialFailed(const std::string& reason) {
  if (state_ == State::kDone) return;
  FailRest(reason);
}

void Conversation::FailRest(const std::string& reason) {
  for (; next_ < plan_->steps.size(); ++next_) {
    const Step& step = plan_->steps[next_];
    if (!step.answer) continue;
    Check check = MakeCheck(false, next_ + 1, step.description);
    check.outcome = Check::Outcome::kFailed;
    check.failure = reason;
    answers_.push_back(std::move(check));
  }
  if (options_.compare_updates) {
    while (pushes_seen_ < plan_->pushes.size()) {
      const std::string& recorded = plan_->pushes[pushes_seen_++];
      Check check = MakeCheck(true, pushes_seen_, PushDescription(recorded));
      check.outcome = Check::Outcome::kFailed;
      check.failure = reason;
      pushes_.push_back(std::move(check));
    }
  }
  state_ = State::kDone;
  wire_->StopTimer();
}

Check Conversation::MakeCheck(bool update, size_t index, std::string request) const {
  Check check;
  check.connection = plan_->connection_id;
  check.copy = copy_;
  check.update = update;
  check.index = index;
  check.request = std::move(request);
  return check;
}

void Conversation::Judge(Check* check, std::string_view recorded, std::string_view actual) const {
  std::vector<Difference> differences = differ_->Diff(recorded, actual);
  if (options_.only_schema) {
    std::erase_if(differences, [](const Difference& d) { return !IsSchemaChange(d.kind); });
  }
  check->outcome = differences.empty() ? Check::Outcome::kMatched : Check::Outcome::kDiffered;
  check->differences = std::move(differences);
}

std::vector<Check> Conversation::TakeChecks() {
  std::vector<Check> out = std::move(answers_);
  for (Check& c : pushes_) out.push_back(std::move(c));
  answers_.clear();
  pushes_.clear();
  return out;
}

}  // namespace wsmock::verify
