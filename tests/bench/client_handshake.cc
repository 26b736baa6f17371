#include "client_handshake.h"

#include <algorithm>
#include <cctype>

namespace wsmock::bench {
namespace {

constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";  // RFC 6455 1.3

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int StatusOf(std::string_view header) {
  // "HTTP/1.1 101 Switching Protocols"
  const size_t space = header.find(' ');
  if (space == std::string_view::npos || space + 4 > header.size()) return 0;
  int status = 0;
  for (size_t i = space + 1; i < space + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(header[i]))) return 0;
    status = status * 10 + (header[i] - '0');
  }
  return status;
}

// The value of header `name` (lower case), trimmed; empty if absent.
std::string_view HeaderValue(std::string_view header, const std::string& lower_header,
                             std::string_view name) {
  const std::string needle = "\r\n" + std::string(name) + ":";
  const size_t at = lower_header.find(needle);
  if (at == std::string::npos) return {};
  size_t begin = at + needle.size();
  const size_t end = header.find("\r\n", begin);
  while (begin < end && header[begin] == ' ') ++begin;
  return header.substr(begin, end - begin);
}

}  // namespace

std::string UpgradeRequest(std::string_view host, int port, std::string_view path) {
  std::string request = "GET ";
  request.append(path);
  request.append(" HTTP/1.1\r\nHost: ");
  request.append(host);
  request.push_back(':');
  request.append(std::to_string(port));
  request.append(
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
  request.append(kKey);
  request.append("\r\nSec-WebSocket-Version: 13\r\n\r\n");
  return request;
}

UpgradeAnswer CheckUpgradeAnswer(std::string_view received) {
  UpgradeAnswer answer;
  const size_t line_end = received.find("\r\n");
  if (line_end != std::string_view::npos) answer.http_status = StatusOf(received.substr(0, line_end));
  const size_t end = received.find("\r\n\r\n");
  if (end == std::string_view::npos) return answer;
  const std::string_view header = received.substr(0, end + 2);  // keeps the last "\r\n"
  const std::string lower = Lower(header);
  const bool accepted = answer.http_status == 101 &&
                        HeaderValue(header, lower, "sec-websocket-accept") == kAccept;
  answer.state = accepted ? UpgradeAnswer::State::kAccepted : UpgradeAnswer::State::kRefused;
  answer.header_bytes = end + 4;
  return answer;
}

}  // namespace wsmock::bench
