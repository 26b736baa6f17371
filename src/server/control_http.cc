// The control endpoint's HTTP side: a GET or POST under kControlPrefix is
// answered by the Handler with a status and a small JSON body. A POST's
// body (at most kMaxControlBody bytes, with a Content-Length) is read
// first. Headers go out in the callback that has the request whole and the
// body at the next writeable one, as lws's HTTP answers do; the connection
// then stays open for the client's next request, under the same handshake
// deadline as any socket that has not upgraded (renewed by each request).
#include <cstring>
#include <string>
#include <string_view>

#include "server/ws_server_impl.h"

namespace wsmock::server {

namespace {

constexpr char kNoControl[] = R"({"error":"this server has no control endpoint"})";
constexpr char kTooLarge[] = R"({"error":"a control request's body is at most 65536 bytes"})";
constexpr char kNoLength[] =
    R"({"error":"a control request's body needs a Content-Length; a chunked one is not read"})";

// The body a request declares: its Content-Length, 0 without one, or -1
// when it is chunked (not read here).
int64_t DeclaredBody(lws* wsi) {
  if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) return -1;
  const std::string length = HeaderText(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  int64_t bytes = 0;
  for (char c : length) {
    if (c < '0' || c > '9' || bytes > kMaxControlBody) return kMaxControlBody + 1;
    bytes = bytes * 10 + (c - '0');
  }
  return bytes;
}

bool AddHeader(lws* wsi, const char* name, const char* value, unsigned char** p,
               unsigned char* end) {
  return lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name),
                                     reinterpret_cast<const unsigned char*>(value),
                                     static_cast<int>(std::strlen(value)), p, end) == 0;
}

}  // namespace

ControlAnswer Handler::OnControl(std::string_view /*method*/, std::string_view /*path*/,
                                 std::string_view /*body*/) {
  return ControlAnswer{404, kNoControl};
}

// Answered by us: its end is not a dropped client, and a client that keeps
// the connection for its next request gets a fresh deadline.
void WsServer::Impl::NoteControlRequest(lws* wsi) {
  auto handshaking = handshaking_.find(wsi);
  if (handshaking == handshaking_.end()) return;
  handshaking->second.answered = true;
  handshaking->second.deadline = lws_now_usecs() + options_.handshake_timeout * kMicrosPerSecond;
}

int WsServer::Impl::OnControlRequest(lws* wsi, std::string_view method, const std::string& path) {
  NoteControlRequest(wsi);
  const int64_t body = method == "POST" ? DeclaredBody(wsi) : 0;
  // A body left unread would be taken for the next request: close after.
  if (body < 0) return AnswerControl(wsi, ControlAnswer{411, kNoLength}, true);
  if (body > kMaxControlBody) return AnswerControl(wsi, ControlAnswer{413, kTooLarge}, true);
  if (body == 0) return AnswerControl(wsi, handler_->OnControl(method, path, ""), false);
  ControlRequest& request = control_requests_[wsi];
  request.method = std::string(method);
  request.path = path;
  request.body.clear();
  request.body.reserve(static_cast<size_t>(body));
  return 0;  // the body comes in LWS_CALLBACK_HTTP_BODY
}

int WsServer::Impl::OnControlBody(lws* wsi, const void* in, size_t len) {
  auto it = control_requests_.find(wsi);
  if (it == control_requests_.end()) return 0;  // not ours: ignored
  std::string& body = it->second.body;
  // lws stops at the Content-Length, which is bounded; this bounds a liar.
  if (body.size() + len > static_cast<size_t>(kMaxControlBody)) return -1;
  body.append(static_cast<const char*>(in), len);
  return 0;
}

int WsServer::Impl::OnControlBodyDone(lws* wsi) {
  auto it = control_requests_.find(wsi);
  if (it == control_requests_.end()) return 0;
  const ControlRequest request = std::move(it->second);
  control_requests_.erase(it);
  return AnswerControl(wsi, handler_->OnControl(request.method, request.path, request.body), false);
}

// A browser asks before a cross-origin POST with a JSON Content-Type
// (CORS preflight): every origin, method and header may come.
int WsServer::Impl::AnswerPreflight(lws* wsi) {
  NoteControlRequest(wsi);
  return AnswerControl(wsi, ControlAnswer{200, "{}"}, false, true);
}

int WsServer::Impl::AnswerControl(lws* wsi, const ControlAnswer& answer, bool close,
                                  bool preflight) {
  unsigned char headers[LWS_PRE + 512];
  unsigned char* start = headers + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = headers + sizeof(headers) - 1;
  if (lws_add_http_common_headers(wsi, static_cast<unsigned int>(answer.status), "application/json",
                                  answer.json.size(), &p, end) != 0 ||
      !AddHeader(wsi, "access-control-allow-origin:", "*", &p, end) ||
      !AddHeader(wsi, "cache-control:", "no-store", &p, end) ||
      (close && !AddHeader(wsi, "connection:", "close", &p, end)) ||
      (preflight && (!AddHeader(wsi, "access-control-allow-methods:", "GET, POST", &p, end) ||
                     !AddHeader(wsi, "access-control-allow-headers:", "*", &p, end) ||
                     !AddHeader(wsi, "access-control-max-age:", "600", &p, end))) ||
      lws_finalize_write_http_header(wsi, start, &p, end) != 0) {
    return -1;
  }
  ControlBody& pending = control_bodies_[wsi];
  pending.bytes.assign(LWS_PRE, '\0');
  pending.bytes += answer.json;
  pending.close = close;
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
