#include "recorder/message_redaction.h"

#include <optional>
#include <string>
#include <utility>

#include "protocol/codec.h"

namespace wsmock::recorder {

bool RedactMessage(const json::Redactor& redactor, store::MessageRow* row) {
  std::optional<std::string> redacted = redactor.Redact(row->payload);
  if (!redacted) return false;
  row->payload = std::move(*redacted);
  // Only the columns the row had are refreshed: a binary frame, say, was
  // stored without them and stays so.
  protocol::Peek peek = protocol::PeekMessage(row->payload);
  if (row->action) row->action = std::move(peek.action);
  if (row->request_id) row->request_id = std::move(peek.request_id);
  return true;
}

}  // namespace wsmock::recorder
