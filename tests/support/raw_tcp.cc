#include "support/raw_tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>

namespace wsmock::server::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

int MillisLeft(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool WaitReadable(int fd, SteadyClock::time_point deadline) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, MillisLeft(deadline)) > 0;
}

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

RawListener::RawListener() {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = Loopback(0);
  if (!fd.valid() || bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd.get(), 4) != 0) {
    return;
  }
  socklen_t len = sizeof(addr);
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
  port_ = ntohs(addr.sin_port);
  fd_ = std::move(fd);
}

std::string RawListener::AcceptRequestHead(int timeout_ms) {
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  if (!WaitReadable(fd_.get(), deadline)) return "";
  Fd client(accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!client.valid()) return "";
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos && WaitReadable(client.get(), deadline)) {
    const ssize_t n = read(client.get(), buf, sizeof(buf));
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
  }
  return head.find("\r\n\r\n") == std::string::npos ? "" : head;
}

Fd ConnectTcp(int port) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = Loopback(port);
  if (!fd.valid() || connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Fd();
  }
  return fd;
}

bool SendAll(const Fd& fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool WaitForPeerClose(const Fd& fd, int timeout_ms) {
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  // Each pass either reads data or ends: poll waits for the deadline.
  for (int pass = 0; pass < 100'000; ++pass) {
    if (!WaitReadable(fd.get(), deadline)) return false;
    if (read(fd.get(), buf, sizeof(buf)) <= 0) return true;
  }
  return false;
}

namespace {

// Reads until `buffer` holds at least `n` bytes; false on end or timeout.
bool ReadAtLeast(const Fd& fd, std::string* buffer, size_t n, SteadyClock::time_point deadline) {
  char chunk[4096];
  while (buffer->size() < n) {
    if (!WaitReadable(fd.get(), deadline)) return false;
    const ssize_t got = read(fd.get(), chunk, sizeof(chunk));
    if (got <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(got));
  }
  return true;
}

}  // namespace

int ReadCloseCode(int port, const std::string& path, int timeout_ms) {
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  Fd fd = ConnectTcp(port);
  const std::string request = "GET " + path +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Key: "
                              "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  if (!fd.valid() || !SendAll(fd, request)) return -1;
  std::string buffer;
  size_t head_end = std::string::npos;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadAtLeast(fd, &buffer, buffer.size() + 1, deadline)) return -1;
  }
  if (buffer.rfind("HTTP/1.1 101", 0) != 0) return -1;
  buffer.erase(0, head_end + 4);
  // Server frames are unmasked: opcode, length (7, 16 or 64 bits), payload.
  for (int frame = 0; frame < 10'000; ++frame) {
    if (!ReadAtLeast(fd, &buffer, 2, deadline)) return -1;
    const auto* b = reinterpret_cast<const unsigned char*>(buffer.data());
    const int opcode = b[0] & 0x0f;
    size_t header = 2, length = b[1] & 0x7f;
    if (length >= 126) {
      header += length == 126 ? 2 : 8;
      if (!ReadAtLeast(fd, &buffer, header, deadline)) return -1;
      b = reinterpret_cast<const unsigned char*>(buffer.data());
      length = 0;
      for (size_t i = 2; i < header; ++i) length = (length << 8) | b[i];
    }
    if (!ReadAtLeast(fd, &buffer, header + length, deadline)) return -1;
    b = reinterpret_cast<const unsigned char*>(buffer.data());
    if (opcode == 0x8) return length >= 2 ? (b[header] << 8) | b[header + 1] : 1005;
    buffer.erase(0, header + length);
  }
  return -1;
}

std::string NegotiatedAlpn(int port, const std::string& offered, int timeout_ms) {
  Fd fd = ConnectTcp(port);
  if (!fd.valid()) return "handshake failed";
  // Blocking reads and writes, each bounded.
  const timeval limit{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  if (ctx == nullptr) return "handshake failed";
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  if (ssl == nullptr ||
      SSL_set_alpn_protos(ssl.get(), reinterpret_cast<const unsigned char*>(offered.data()),
                          static_cast<unsigned>(offered.size())) != 0 ||
      SSL_set_fd(ssl.get(), fd.get()) != 1 || SSL_connect(ssl.get()) != 1) {
    return "handshake failed";
  }
  const unsigned char* picked = nullptr;
  unsigned picked_size = 0;
  SSL_get0_alpn_selected(ssl.get(), &picked, &picked_size);
  return std::string(reinterpret_cast<const char*>(picked), picked_size);
}

}  // namespace wsmock::server::testing
