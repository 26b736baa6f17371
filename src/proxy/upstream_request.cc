#include "proxy/upstream_request.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "server/handshake_headers.h"

namespace wsmock::proxy {
namespace {

bool SameName(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

bool Names(const std::vector<std::string>& lines, const std::string& name) {
  return std::any_of(lines.begin(), lines.end(), [&name](const std::string& line) {
    return SameName(server::HeaderName(line), name);
  });
}

}  // namespace

server::DialOptions UpstreamDialFor(const server::DialOptions& upstream,
                                    const server::PeerInfo& client) {
  server::DialOptions dial = upstream;
  dial.subprotocol = client.subprotocol;
  dial.query = client.query;
  for (const std::string& line : client.identity_headers) {
    if (!Names(upstream.headers, server::HeaderName(line))) dial.headers.push_back(line);
  }
  return dial;
}

}  // namespace wsmock::proxy
