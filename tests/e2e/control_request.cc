#include "e2e/control_request.h"

#include <memory>

#include "fault/raw_socket.h"

namespace wsmock::testing {

HttpReply Http(int port, const std::string& method, const std::string& path,
               const std::string& body) {
  HttpReply reply;
  std::unique_ptr<RawSocket> socket = RawSocket::Connect(port);
  if (socket == nullptr) return reply;
  const std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (!socket->SendAll(request)) return reply;
  std::string in;
  // Whether `in` holds the whole reply; fills `reply` then.
  auto whole = [&] {
    const size_t end = in.find("\r\n\r\n");
    const size_t length_at = in.find("content-length: ");
    if (end == std::string::npos || length_at == std::string::npos || length_at > end) return false;
    const size_t length = std::stoul(in.substr(length_at + 16));
    if (in.size() < end + 4 + length) return false;
    reply.status = std::stoi(in.substr(9, 3));
    reply.headers = in.substr(0, end);
    reply.body = in.substr(end + 4, length);
    return true;
  };
  for (int reads = 0; reads < 100 && !whole(); ++reads) {  // each read waits at most 50 ms
    const RawSocket::ReadEnd read = socket->ReadSome(&in, 50);
    if (read == RawSocket::ReadEnd::kClosed || read == RawSocket::ReadEnd::kReset) {
      whole();
      break;
    }
  }
  return reply;
}

}  // namespace wsmock::testing
