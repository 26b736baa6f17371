// Extra "Name: value" header lines for a client handshake: checked when a
// dial is asked for, written into lws's header buffer when it is sent; and
// what a subprotocol name may be. Pure; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace wsmock::server {

// A header name is an HTTP token; the value may not hold CR, LF or NUL (they
// would let one header smuggle in others). "Authorization: Bearer x" is ok.
Status CheckHandshakeHeader(std::string_view line);

// Whether `name` may be a WebSocket subprotocol (Sec-WebSocket-Protocol):
// an RFC 2616 token (RFC 6455), printable ASCII without separators (a comma
// would split it in two), of at most 64 characters.
bool IsSubprotocolName(std::string_view name);

// The name of a "Name: value" line, blanks trimmed: what may be printed or
// stored where the value, often a credential, may not.
std::string HeaderName(std::string_view line);

// Writes every line as "Name: value\r\n" from *p on, advancing *p. False,
// with *p unchanged, when they do not all fit before `end`.
// REQUIRES: each line passed CheckHandshakeHeader.
bool AppendHandshakeHeaders(const std::vector<std::string>& lines, char** p, const char* end);

}  // namespace wsmock::server
