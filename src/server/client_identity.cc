#include "server/client_identity.h"

#include <libwebsockets.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "util/percent_encoding.h"

namespace wsmock::server {
namespace {

// RFC 3986 query characters, less the ones a server may read as a separator
// or an escape ('&', ';', '+', '%'): what lws decoded from them is encoded
// again.
bool KeepsItsMeaning(unsigned char c) {
  if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return true;
  return c != '\0' && std::strchr("-._~!$'()*,/:@=?", c) != nullptr;
}

struct Identity {
  lws_token_indexes token;
  const char* name;
  const char* joint;  // between the values of repeated lines
};
// Repeated lines are joined as RFC 6265 (Cookie) and RFC 9110 (others) say;
// lws 4.1.6 would join them with a space, which breaks a Cookie.
constexpr Identity kIdentityHeaders[] = {{WSI_TOKEN_HTTP_COOKIE, "Cookie", "; "},
                                         {WSI_TOKEN_HTTP_AUTHORIZATION, "Authorization", ", "},
                                         {WSI_TOKEN_ORIGIN, "Origin", ", "}};

// The pieces lws keeps of `token`, in request order: the arguments of a
// query, decoded, or the values of a header's lines.
std::vector<std::string> Fragments(lws* wsi, lws_token_indexes token) {
  std::vector<std::string> fragments;
  for (int i = 0;; ++i) {
    const int len = lws_hdr_fragment_length(wsi, token, i);
    std::string fragment(static_cast<size_t>(len > 0 ? len : 0) + 1, '\0');
    const int copied =
        lws_hdr_copy_fragment(wsi, fragment.data(), static_cast<int>(fragment.size()), token, i);
    if (copied < 0) return fragments;
    fragment.resize(static_cast<size_t>(copied));
    fragments.push_back(std::move(fragment));
  }
}

// The query's arguments. lws 4.1.6 writes "/" into a last argument left
// empty ("/ws?", "/ws?a=1&"); a last "/" is taken for that.
std::vector<std::string> QueryArgs(lws* wsi) {
  std::vector<std::string> args = Fragments(wsi, WSI_TOKEN_HTTP_URI_ARGS);
  if (!args.empty() && args.back() == "/") args.pop_back();
  return args;
}

// The header's lines as one value, blanks around each trimmed (lws keeps
// the blank after the colon of a repeated line); "" when it is absent.
std::string HeaderValue(lws* wsi, const Identity& header) {
  std::string value;
  for (const std::string& line : Fragments(wsi, header.token)) {
    const size_t begin = line.find_first_not_of(" \t");
    if (begin == std::string::npos) continue;
    if (!value.empty()) value += header.joint;
    value += line.substr(begin, line.find_last_not_of(" \t") + 1 - begin);
  }
  return value;
}

}  // namespace

std::string EncodeQueryArgs(const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += '&';
    AppendPercentEncoded(&out, args[i], KeepsItsMeaning);
  }
  return out;
}

void ReadClientIdentity(lws* wsi, PeerInfo* peer) {
  peer->query = EncodeQueryArgs(QueryArgs(wsi));
  for (const Identity& header : kIdentityHeaders) {
    const std::string value = HeaderValue(wsi, header);
    if (!value.empty()) peer->identity_headers.push_back(header.name + (": " + value));
  }
}

}  // namespace wsmock::server
