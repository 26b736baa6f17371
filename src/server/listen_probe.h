// Explains why a listen socket could not be made, for one-line errors:
// lws reports only that creating the vhost failed. Any thread.
#pragma once

#include <string>

namespace wsmock::server {

// Tries to bind `host`:`port` itself and names the cause, e.g.
// "port 10009 is in use" or "cannot bind to 10.9.9.9: Cannot assign requested address";
// empty if the probe could bind, so the failure lay elsewhere.
std::string DescribeListenFailure(const std::string& host, int port);

}  // namespace wsmock::server
