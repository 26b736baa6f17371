// Fuzz target "request": the bytes of one text frame through the request
// handler (StationService::HandleText on a fixed 20-station snapshot), and
// through protocol::DecodeRequest and PeekMessage. Pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Ok, or the first broken invariant: every reply is one JSON object whose
// "type" matches its kind (response or error); an error carries a known code
// and a message; a frame that does not decode gets exactly its decode error;
// a request's reply echoes its action and requestId; Peek agrees with Decode;
// valid UTF-8 in gives valid UTF-8 out; the same frame twice gives the same
// bytes.
Status CheckRequestFrame(std::string_view frame);

// The libFuzzer entry: CheckRequestFrame, aborting on a broken invariant.
void FuzzRequest(const uint8_t* data, size_t size);

}  // namespace wsmock::fuzz
