#include "server/ws_url.h"

#include <cctype>

namespace wsmock::server {
namespace {

bool ParsePort(std::string_view text, int* port) {
  if (text.empty() || text.size() > 5) return false;
  int value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return false;
  *port = value;
  return true;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port"; false when malformed.
bool SplitAuthority(std::string_view authority, std::string* host, std::string_view* port) {
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    *host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    *port = std::string_view();
    if (rest.empty()) return true;
    if (rest.front() != ':' || rest.size() == 1) return false;
    *port = rest.substr(1);
    return true;
  }
  const size_t colon = authority.find(':');
  *host = std::string(authority.substr(0, colon));
  *port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
  return colon == std::string_view::npos || !port->empty();
}

}  // namespace

Result<WsUrl> ParseWsUrl(std::string_view url) {
  const std::string quoted = "'" + std::string(url) + "'";
  WsUrl out;
  std::string_view rest;
  if (url.rfind("ws://", 0) == 0) {
    rest = url.substr(5);
  } else if (url.rfind("wss://", 0) == 0) {
    out.tls = true;
    rest = url.substr(6);
  } else {
    return Status::InvalidArgument(quoted + " is not a ws:// or wss:// URL");
  }
  if (rest.find('#') != std::string_view::npos) {
    return Status::InvalidArgument(quoted + " has a fragment, which WebSocket URLs may not");
  }
  for (char c : rest) {
    // Every byte lands in the request line or the Host header.
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Status::InvalidArgument(quoted + " contains a space or control character");
    }
  }
  const size_t slash = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.path.front() == '?') out.path.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument(quoted + ": user names in the URL are not supported");
  }
  std::string_view port;
  if (!SplitAuthority(authority, &out.host, &port)) {
    return Status::InvalidArgument(quoted + " has a malformed host or port");
  }
  if (out.host.empty()) return Status::InvalidArgument(quoted + " names no host");
  out.port = out.tls ? 443 : 80;
  if (!port.empty() && !ParsePort(port, &out.port)) {
    return Status::InvalidArgument(quoted + " has a bad port");
  }
  return out;
}

std::string HostAndPort(std::string_view host, int port) {
  std::string out;
  const bool v6 = host.find(':') != std::string_view::npos;
  if (v6) out += '[';
  out += host;
  if (v6) out += ']';
  return out + ':' + std::to_string(port);
}

std::string AppendQuery(std::string target, std::string_view query) {
  if (query.empty()) return target;
  const size_t mark = target.find('?');
  if (mark == std::string::npos) {
    target += '?';
  } else if (mark + 1 != target.size() && target.back() != '&') {
    target += '&';
  }
  target += query;
  return target;
}

Status CheckQuery(std::string_view query) {
  for (char c : query) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '#') {
      return Status::InvalidArgument("the query holds a space, control character or '#'");
    }
  }
  return Status::Ok();
}

}  // namespace wsmock::server
