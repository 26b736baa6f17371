// The parts of a ws:// or wss:// URL that a client connection needs. Pure;
// any thread.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock::server {

struct WsUrl {
  bool tls = false;  // wss
  std::string host;  // name or numeric address, IPv6 without the brackets
  int port = 0;      // 80 for ws and 443 for wss when the URL names none
  std::string path;  // path and query, "/" when the URL has none
};

// "ws://127.0.0.1:9000/ws?x=1" -> {false, "127.0.0.1", 9000, "/ws?x=1"}.
// Errors, one line: "'http://x' is not a ws:// or wss:// URL", "'ws://:80'
// names no host", "'ws://h:99999' has a bad port". A fragment is refused,
// as RFC 6455 forbids one.
Result<WsUrl> ParseWsUrl(std::string_view url);

// "host:port" as a URL (or a Host header) spells it: a host holding ':' is an
// IPv6 address and goes in brackets. ("::1", 9000) -> "[::1]:9000".
std::string HostAndPort(std::string_view host, int port);

// `target` (a URL or a path) with `query` added to its query: after '?' when
// it has none, else after '&'. ("/ws?v=2", "t=1") -> "/ws?v=2&t=1".
std::string AppendQuery(std::string target, std::string_view query);

// A query to append must be URL text already: no space, control character
// or '#'. The error does not quote the query, which may hold a token.
Status CheckQuery(std::string_view query);

}  // namespace wsmock::server
