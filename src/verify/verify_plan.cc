#include "verify/verify_plan.h"

#include "replayer/match_key.h"
#include "replayer/recorded_exchanges.h"
#include "util/json.h"
#include "util/json_scan.h"

namespace wsmock::verify {
namespace {

Step MakeStep(const replayer::PairedMessages::Exchange& e, const replayer::KeyMaker& keys) {
  Step step;
  step.seq = e.in->seq;
  step.payload = e.in->payload;
  step.description = replayer::DescribeKey(keys.KeyOfFrame(e.in->payload).value_or(""));
  if (e.answer != nullptr) step.answer = e.answer->payload;
  // Only a string or number id is the client's to choose; null or absent
  // stays as recorded so the target answers it the same way.
  const std::optional<std::string>& id = e.in->request_id;
  if (id && *id != "null") {
    json::Span span = json::FindTopLevelValue(e.in->payload, "requestId");
    if (span.begin != std::string::npos) {
      step.id_begin = span.begin;
      step.id_end = span.end;
      step.numeric_id = !id->empty() && (*id)[0] != '"';
    }
  }
  return step;
}

}  // namespace

size_t ConnectionPlan::checked_steps() const {
  size_t n = 0;
  for (const Step& s : steps) n += s.answer.has_value();
  return n;
}

Result<std::vector<ConnectionPlan>> MakePlan(const std::vector<store::ConnectionRow>& connections,
                                             const std::vector<store::MessageRow>& messages) {
  Result<std::vector<replayer::RecordedConnection>> grouped =
      replayer::GroupByConnection(connections, messages);
  if (!grouped.ok()) return grouped.status();
  Result<replayer::KeyMaker> keys = replayer::KeyMaker::Create({});
  if (!keys.ok()) return keys.status();
  std::vector<ConnectionPlan> plan;
  for (const replayer::RecordedConnection& recorded : *grouped) {
    replayer::PairedMessages paired = replayer::PairMessages(recorded.messages);
    ConnectionPlan connection;
    connection.connection_id = recorded.connection->id;
    // verify compares JSON: binary frames are left out, both ways.
    for (const auto& e : paired.exchanges) {
      if (!e.in->binary) connection.steps.push_back(MakeStep(e, *keys));
    }
    for (const auto& p : paired.pushes) {
      if (!p.row->binary) connection.pushes.push_back(p.row->payload);
    }
    plan.push_back(std::move(connection));
  }
  return plan;
}

std::string NewRequestId(const Step& step, int64_t connection_id, int copy, int copies, size_t n) {
  if (!step.has_id()) return {};
  if (step.numeric_id) return std::to_string(n);
  std::string id = "verify-" + std::to_string(connection_id);
  if (copies > 1) id += "." + std::to_string(copy);
  id += "-" + std::to_string(n);
  std::string out;
  json::AppendString(&out, id);
  return out;
}

std::string WithRequestId(const Step& step, std::string_view id_json) {
  if (!step.has_id() || id_json.empty()) return step.payload;
  std::string out;
  out.reserve(step.payload.size() + id_json.size());
  out.append(step.payload, 0, step.id_begin);
  out.append(id_json);
  out.append(step.payload, step.id_end);
  return out;
}

}  // namespace wsmock::verify
