// How `record --upstream` and `replay --record-missing --upstream` dial the
// backend: the --upstream* flags as the server's DialOptions.
#pragma once

#include "app/serve_options.h"
#include "server/ws_server.h"

namespace wsmock::app {

inline server::DialOptions UpstreamDial(const UpstreamOptions& upstream) {
  server::DialOptions dial;
  dial.url = upstream.url;
  dial.ca_file = upstream.ca_file;
  dial.insecure = upstream.insecure;
  dial.headers = upstream.headers;
  return dial;
}

}  // namespace wsmock::app
