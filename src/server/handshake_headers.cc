#include "server/handshake_headers.h"

#include <algorithm>
#include <cstring>

namespace wsmock::server {
namespace {

// RFC 9110 tchar.
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Name: value" with the blanks around the value removed.
std::string Normalize(std::string_view line) {
  const size_t colon = line.find(':');
  std::string out(line.substr(0, colon));
  out += ": ";
  out += Trim(line.substr(colon + 1));
  out += "\r\n";
  return out;
}

}  // namespace

Status CheckHandshakeHeader(std::string_view line) {
  const size_t colon = line.find(':');
  // Only the first word is named: the rest may be a secret
  // ("Authorization Bearer x").
  if (colon == 0) return Status::InvalidArgument("header with no name before ':'");
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("header '" + std::string(line.substr(0, line.find(' '))) +
                                   "...' does not look like 'Name: value'");
  }
  for (unsigned char c : line.substr(0, colon)) {
    if (!IsTokenChar(c)) {
      return Status::InvalidArgument("header name '" + std::string(line.substr(0, colon)) +
                                     "' is not a valid HTTP header name");
    }
  }
  for (char c : line.substr(colon + 1)) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return Status::InvalidArgument("header '" + std::string(line.substr(0, colon)) +
                                     "' has a line break or NUL in its value");
    }
  }
  return Status::Ok();
}

bool IsSubprotocolName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_of("()<>@,;:\\\"/[]?={} \t") == std::string_view::npos &&
         std::all_of(name.begin(), name.end(), [](char c) { return c > 32 && c < 127; });
}

std::string HeaderName(std::string_view line) {
  return std::string(Trim(line.substr(0, line.find(':'))));
}

bool AppendHandshakeHeaders(const std::vector<std::string>& lines, char** p, const char* end) {
  std::string all;
  for (const std::string& line : lines) all += Normalize(line);
  if (all.size() > static_cast<size_t>(end - *p)) return false;
  std::memcpy(*p, all.data(), all.size());
  *p += all.size();
  return true;
}

}  // namespace wsmock::server
