// The control endpoint's HTTP side: a GET or POST under kControlPrefix is
// answered by the Handler with a status and a small JSON body. Headers go
// out in the request's callback and the body at the next writeable one, as
// lws's HTTP answers do; the connection then stays open for the client's
// next request, under the same handshake deadline as any socket that has
// not upgraded (renewed by each answer).
#include <cstring>
#include <string>
#include <string_view>

#include "server/ws_server_impl.h"

namespace wsmock::server {

namespace {

constexpr char kNoControl[] = R"({"error":"this server has no control endpoint"})";
constexpr char kNoBody[] =
    R"({"error":"control requests take no body: send the POST with Content-Length 0"})";

// Whether the request declares a body: a Content-Length other than 0, or
// chunked transfer. Either would need reading, and no control takes one.
bool DeclaresBody(lws* wsi) {
  const std::string length = HeaderText(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  if (!length.empty() && length.find_first_not_of('0') != std::string::npos) return true;
  return lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
}

bool AddHeader(lws* wsi, const char* name, const char* value, unsigned char** p,
               unsigned char* end) {
  return lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name),
                                     reinterpret_cast<const unsigned char*>(value),
                                     static_cast<int>(std::strlen(value)), p, end) == 0;
}

}  // namespace

ControlAnswer Handler::OnControl(std::string_view /*method*/, std::string_view /*path*/) {
  return ControlAnswer{404, kNoControl};
}

int WsServer::Impl::OnControlRequest(lws* wsi, std::string_view method, const std::string& path) {
  // Answered by us: its end is not a dropped client, and a client that
  // keeps the connection for its next request gets a fresh deadline.
  auto handshaking = handshaking_.find(wsi);
  if (handshaking != handshaking_.end()) {
    handshaking->second.answered = true;
    handshaking->second.deadline = lws_now_usecs() + options_.handshake_timeout * kMicrosPerSecond;
  }
  const bool body = method == "POST" && DeclaresBody(wsi);
  const ControlAnswer answer =
      body ? ControlAnswer{400, kNoBody} : handler_->OnControl(method, path);
  unsigned char headers[LWS_PRE + 512];
  unsigned char* start = headers + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = headers + sizeof(headers) - 1;
  if (lws_add_http_common_headers(wsi, static_cast<unsigned int>(answer.status), "application/json",
                                  answer.json.size(), &p, end) != 0 ||
      !AddHeader(wsi, "access-control-allow-origin:", "*", &p, end) ||
      !AddHeader(wsi, "cache-control:", "no-store", &p, end) ||
      // The unread body would be taken for the next request.
      (body && !AddHeader(wsi, "connection:", "close", &p, end)) ||
      lws_finalize_write_http_header(wsi, start, &p, end) != 0) {
    return -1;
  }
  ControlBody& pending = control_bodies_[wsi];
  pending.bytes.assign(LWS_PRE, '\0');
  pending.bytes += answer.json;
  pending.close = body;
  lws_callback_on_writable(wsi);
  return 0;
}

int WsServer::Impl::OnHttpWriteable(lws* wsi) {
  auto it = control_bodies_.find(wsi);
  if (it == control_bodies_.end()) return 0;
  ControlBody body = std::move(it->second);
  control_bodies_.erase(it);
  const size_t size = body.bytes.size() - LWS_PRE;
  auto* bytes = reinterpret_cast<unsigned char*>(body.bytes.data()) + LWS_PRE;
  if (lws_write(wsi, bytes, size, LWS_WRITE_HTTP_FINAL) != static_cast<int>(size)) return -1;
  if (body.close) return -1;
  return lws_http_transaction_completed(wsi) != 0 ? -1 : 0;
}

}  // namespace wsmock::server
