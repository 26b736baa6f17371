// What the proxy asks the upstream for on behalf of one client: the
// --upstream options plus what identifies the client. Pure; any thread.
#pragma once

#include "server/ws_server.h"

namespace wsmock::proxy {

// `upstream` for `client`: with the client's subprotocol and query, and its
// Cookie, Authorization and Origin lines after upstream.headers, except the
// ones whose name upstream.headers holds already (in any case): an
// --upstream-header wins over the client's header of the same name.
server::DialOptions UpstreamDialFor(const server::DialOptions& upstream,
                                    const server::PeerInfo& client);

}  // namespace wsmock::proxy
