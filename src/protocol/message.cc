#include "protocol/message.h"

namespace wsmock::protocol {

std::string_view MessageKindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kRequest:
      return "request";
    case MessageKind::kResponse:
      return "response";
    case MessageKind::kError:
      return "error";
    case MessageKind::kUpdate:
      return "update";
    case MessageKind::kOther:
      return "other";
  }
  return "other";
}

}  // namespace wsmock::protocol
