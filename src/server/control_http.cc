// The control endpoint's HTTP side: a GET or POST under kControlPrefix is
// answered by the Handler with a status and a small JSON body. A POST's
// body (at most kMaxControlBody bytes, with a Content-Length) is read
// first, under the same deadline as any socket that has not upgraded. The
// answer goes out in the callback that has the request whole, and the
// connection closes once it is sent.
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

constexpr char kBadLength[] = R"({"error":"Content-Length must be one decimal number"})";

// What a request declares of its body: its Content-Length, 0 without one.
constexpr int64_t kChunked = -1;    // Transfer-Encoding: not read here
constexpr int64_t kMalformed = -2;  // not one decimal number (two headers join with ',')
// The time a client has to read a control answer: long enough for tens of
// MB at a slow pace, bounded so that one that stops reading is let go.
constexpr int kControlSendSeconds = 120;
int64_t DeclaredBody(lws* wsi) {
  if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) return kChunked;
  const std::string header = HeaderText(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  std::string_view length = header;
  while (!length.empty() && (length.back() == ' ' || length.back() == '\t')) {
    length.remove_suffix(1);
  }
  if (length.empty() && !header.empty()) return kMalformed;
  int64_t bytes = 0;
  for (char c : length) {
    if (c < '0' || c > '9') return kMalformed;
    if (bytes <= kMaxControlBody) bytes = bytes * 10 + (c - '0');  // bounded: past it is too large
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

// Answered by us: its end is not a dropped client, and its body (if any)
// has a whole handshake timeout to arrive.
void WsServer::Impl::NoteControlRequest(lws* wsi) {
  auto handshaking = handshaking_.find(wsi);
  if (handshaking == handshaking_.end()) return;
  handshaking->second.answered = true;
  handshaking->second.deadline = lws_now_usecs() + options_.handshake_timeout * kMicrosPerSecond;
}

int WsServer::Impl::OnControlRequest(lws* wsi, std::string_view method, const std::string& path) {
  NoteControlRequest(wsi);
  // Only a POST's body is read; the connection closes after every answer,
  // so what another method sent is never taken for a next request.
  const int64_t body = method == "POST" ? DeclaredBody(wsi) : 0;
  if (body == kChunked) return AnswerControl(wsi, ControlAnswer{411, kNoLength});
  if (body == kMalformed) return AnswerControl(wsi, ControlAnswer{400, kBadLength});
  if (body > kMaxControlBody) return AnswerControl(wsi, ControlAnswer{413, kTooLarge});
  if (body == 0) return AnswerControl(wsi, handler_->OnControl(method, path, ""));
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
  return AnswerControl(wsi, handler_->OnControl(request.method, request.path, request.body));
}

// A browser asks before a cross-origin POST with a JSON Content-Type
// (CORS preflight): every origin, method and header may come.
int WsServer::Impl::AnswerPreflight(lws* wsi) {
  NoteControlRequest(wsi);
  return AnswerControl(wsi, ControlAnswer{200, "{}"}, true);
}

int WsServer::Impl::AnswerControl(lws* wsi, const ControlAnswer& answer, bool preflight) {
  unsigned char headers[LWS_PRE + 512];
  unsigned char* start = headers + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = headers + sizeof(headers) - 1;
  if (lws_add_http_common_headers(wsi, static_cast<unsigned int>(answer.status), "application/json",
                                  answer.json.size(), &p, end) != 0 ||
      !AddHeader(wsi, "access-control-allow-origin:", "*", &p, end) ||
      !AddHeader(wsi, "cache-control:", "no-store", &p, end) ||
      !AddHeader(wsi, "connection:", "close", &p, end) ||
      (preflight &&
       (!AddHeader(wsi, "access-control-allow-methods:", "GET, POST, DELETE", &p, end) ||
        !AddHeader(wsi, "access-control-allow-headers:", "*", &p, end) ||
        !AddHeader(wsi, "access-control-max-age:", "600", &p, end))) ||
      lws_finalize_http_header(wsi, &p, end) != 0) {
    return -1;
  }
  // Headers and body go out in one write, and the connection closes once
  // lws has sent them (it calls back when writeable then): lws 4.1.6 spun
  // its loop forever on a request with a body pipelined behind another on
  // one connection, so each request comes on a connection of its own.
  std::string bytes(LWS_PRE, '\0');
  bytes.append(reinterpret_cast<const char*>(start), static_cast<size_t>(p - start));
  bytes += answer.json;
  const size_t size = bytes.size() - LWS_PRE;
  auto* out = reinterpret_cast<unsigned char*>(bytes.data()) + LWS_PRE;
  if (lws_write(wsi, out, size, LWS_WRITE_HTTP_HEADERS) != static_cast<int>(size)) return -1;
  // What the socket did not take, lws sends as the client reads, within
  // its 5 s keep-alive timeout unless told otherwise: a journal of many
  // long frames (tens of MB) read at a few MB/s was cut short.
  lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, kControlSendSeconds);
  answered_.insert(wsi);
  lws_callback_on_writable(wsi);
  return 0;
}

int WsServer::Impl::OnHttpWriteable(lws* wsi) { return answered_.erase(wsi) > 0 ? -1 : 0; }

}  // namespace wsmock::server
