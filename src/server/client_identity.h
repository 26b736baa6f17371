// What identifies a served client to a backend it is relayed to: the query
// of its request and its Cookie, Authorization and Origin headers, read once
// from its handshake. lws 4.1.6 keeps a query only URL-decoded and split
// into arguments, so it is turned back into URL text here.
// ReadClientIdentity: loop thread; EncodeQueryArgs: pure, any thread.
#pragma once

#include <string>
#include <vector>

#include "server/ws_server.h"

struct lws;

namespace wsmock::server {

// Decoded query arguments ("x=1", "note=a b&c") as one query in URL text,
// joined with '&' ("x=1&note=a%20b%26c"). Letters, digits and
// -._~!$'()*,/:@=? stay as they are; every other byte is percent-encoded
// (%XX, upper case), ';' '&' '+' '%' and space included, so that no byte
// changes meaning. A query of such bytes only comes back unchanged.
std::string EncodeQueryArgs(const std::vector<std::string>& args);

// Sets peer->query and peer->identity_headers from the handshake `wsi` is
// handling. REQUIRES: `wsi` is a served connection whose headers lws still
// holds (up to LWS_CALLBACK_ESTABLISHED).
void ReadClientIdentity(lws* wsi, PeerInfo* peer);

}  // namespace wsmock::server
