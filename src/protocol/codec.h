// The wire format: free functions from frame bytes to values and back. No
// state, no I/O, any thread, safe on arbitrary bytes (a fuzzer drives them).
// Every encoder writes compact JSON with members in the protocol's order.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/message.h"

namespace wsmock::protocol {

// A Request, or the ErrorReply owed for `text`: INVALID_JSON when it is not
// one JSON value; INVALID_REQUEST when it is not an object, "type" is not
// "request", "action" is not a non-empty string or "requestId" is not a
// string or number or is a number beyond a double's range (1e400, which has
// no finite value to echo; the error's requestId is then null); INVALID_PARAMS
// when "data" is present but not an object (null included). A numeric
// requestId keeps its value, not its spelling: 1.50 comes back as 1.5, and
// integers beyond 2^53 lose precision. (Refusing 1e400, rather than echoing
// spellings, leaves every other reply byte for byte as it was.)
Decoded DecodeRequest(std::string_view text);

// {"type":"response","action":A,"data":D,"requestId":R}
// REQUIRES: data_json is one JSON object; request_id_json is JSON text.
std::string EncodeResponse(std::string_view action, std::string_view data_json,
                           std::string_view request_id_json);
// The same frame built in place, for a reply that writes its data straight
// into it: AppendResponseHead, then the data object, then AppendResponseTail.
void AppendResponseHead(std::string* out, std::string_view action);
void AppendResponseTail(std::string* out, std::string_view request_id_json);

// {"type":"error","action":A|null,"requestId":R|null,"error":{"code":C,"message":M}}
std::string EncodeError(const ErrorReply& error);

// {"type":"update","action":A,"data":D}
// REQUIRES: data_json is one JSON object.
std::string EncodeUpdate(std::string_view action, std::string_view data_json);

// What any frame is, as far as it can be read (for the recorder). kind is
// kOther when the frame is not a JSON object or its "type" is unknown;
// action and request_id are filled whenever present with the right type,
// request_id as JSON text (not for a number beyond a double's range).
struct Peek {
  MessageKind kind = MessageKind::kOther;
  std::optional<std::string> action;
  std::optional<std::string> request_id;
};
Peek PeekMessage(std::string_view text);

}  // namespace wsmock::protocol
