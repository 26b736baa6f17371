#include "fault/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace wsmock::testing {
namespace {

using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

std::unique_ptr<RawSocket> RawSocket::StartConnect(int port, int receive_buffer) {
  // CLOEXEC: a wsmock child started later must not inherit thousands of these.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  std::unique_ptr<RawSocket> sock(new RawSocket(fd));
  if (receive_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    return nullptr;
  }
  return sock;
}

std::unique_ptr<RawSocket> RawSocket::Connect(int port, int timeout_ms, int receive_buffer) {
  std::unique_ptr<RawSocket> sock = StartConnect(port, receive_buffer);
  if (sock == nullptr || !sock->WaitFor(POLLOUT, timeout_ms) || sock->ConnectError() != 0) {
    return nullptr;
  }
  return sock;
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

int RawSocket::ConnectError() const {
  int error = 0;
  socklen_t len = sizeof error;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
  return error;
}

bool RawSocket::WaitFor(short events, int timeout_ms) const {
  pollfd pfd{fd_, events, 0};
  for (;;) {
    const int n = ::poll(&pfd, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

bool RawSocket::SendAll(std::string_view data, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    const int left = MillisLeft(deadline);
    if (left == 0 || !WaitFor(POLLOUT, left)) return false;
  }
  return true;
}

RawSocket::ReadEnd RawSocket::ReadSome(std::string* out, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    char buffer[64 * 1024];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      return ReadEnd::kData;
    }
    if (n == 0) return ReadEnd::kClosed;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return ReadEnd::kReset;
    const int left = MillisLeft(deadline);
    if (left == 0 || !WaitFor(POLLIN, left)) return ReadEnd::kTimeout;
  }
}

RawSocket::ReadEnd RawSocket::ReadToEnd(std::string* out, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const ReadEnd end = ReadSome(out, MillisLeft(deadline));
    if (end != ReadEnd::kData) return end;
    // A peer that never stops talking must not hold us past the deadline.
    if (MillisLeft(deadline) == 0) return ReadEnd::kTimeout;
  }
}

void RawSocket::Abort() {
  if (fd_ < 0) return;
  const linger reset{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  CloseNow();
}

void RawSocket::CloseNow() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
}

}  // namespace wsmock::testing
