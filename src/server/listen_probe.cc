#include "server/listen_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wsmock::server {
namespace {

// Owns one socket descriptor.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Binds like lws does (SO_REUSEADDR) and returns errno, or 0 if it worked.
int TryBind(int family, const sockaddr* addr, socklen_t len) {
  Socket sock(socket(family, SOCK_STREAM, 0));
  if (sock.fd() < 0) return errno;
  int one = 1;
  setsockopt(sock.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(sock.fd(), addr, len) != 0) return errno;
  if (listen(sock.fd(), 1) != 0) return errno;
  return 0;
}

int ProbeBind(const std::string& host, int port) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    return TryBind(AF_INET, reinterpret_cast<sockaddr*>(&v4), sizeof(v4));
  }
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    return TryBind(AF_INET6, reinterpret_cast<sockaddr*>(&v6), sizeof(v6));
  }
  return EINVAL;
}

}  // namespace

std::string DescribeListenFailure(const std::string& host, int port) {
  const int err = ProbeBind(host, port);
  if (err == EADDRINUSE) return "port " + std::to_string(port) + " is in use";
  if (err == EACCES) return "no permission to listen on port " + std::to_string(port);
  if (err == EINVAL) return "cannot listen on '" + host + "': not an IP address";
  if (err != 0) return "cannot bind to " + host + ": " + std::strerror(err);
  return "";
}

}  // namespace wsmock::server
