// RawSocket: a TCP connection to 127.0.0.1 driven byte by byte, for clients
// that misbehave on purpose (garbage, half a handshake, no reading, a reset
// instead of a close). Non-blocking underneath; every call that waits has a
// deadline. One thread at a time; the socket closes (FIN) on destruction.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace wsmock::testing {

class RawSocket {
 public:
  // Starts connecting to 127.0.0.1:port and returns at once (null if no
  // socket could be made). `receive_buffer` > 0 sets SO_RCVBUF first, which
  // keeps the TCP window, and so what the kernel buffers for us, small.
  static std::unique_ptr<RawSocket> StartConnect(int port, int receive_buffer = 0);
  // StartConnect and wait until connected; null on failure or timeout.
  static std::unique_ptr<RawSocket> Connect(int port, int timeout_ms = 5000,
                                            int receive_buffer = 0);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  int fd() const { return fd_; }
  // After StartConnect, once poll() says the socket is writable: 0 when the
  // connection is up, else the errno of the failed connect.
  int ConnectError() const;

  // Writes all of `data`; false when the peer is gone or time runs out.
  bool SendAll(std::string_view data, int timeout_ms = 5000);

  enum class ReadEnd {
    kData,     // some bytes were appended
    kClosed,   // the peer sent FIN and everything before it has been read
    kReset,    // the connection failed (a RST, usually)
    kTimeout,  // nothing came within the time
  };
  // Waits up to timeout_ms (0: not at all) for bytes, appending what came.
  ReadEnd ReadSome(std::string* out, int timeout_ms);
  // Appends everything until the peer ends the connection: kClosed or
  // kReset, or kTimeout when it is still open after timeout_ms.
  ReadEnd ReadToEnd(std::string* out, int timeout_ms);

  // Closes at once with a RST instead of a FIN (SO_LINGER 0): a client that
  // vanishes without any goodbye. The object is closed afterwards.
  void Abort();
  // Closes with a plain FIN, without a WebSocket close frame.
  void CloseNow();

 private:
  explicit RawSocket(int fd) : fd_(fd) {}
  bool WaitFor(short events, int timeout_ms) const;

  int fd_;
};

}  // namespace wsmock::testing
