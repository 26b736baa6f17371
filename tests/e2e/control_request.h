// One plain HTTP request to a running wsmock's control endpoint, on a
// socket of its own, and its whole reply: for the tests that drive a
// server as a test suite would (README, "Driving a running server from a
// test").
#pragma once

#include <string>

namespace wsmock::testing {

struct HttpReply {
  int status = 0;
  std::string headers;  // lower-cased as lws writes them
  std::string body;
};

// One request on a new connection; the reply is read up to its
// Content-Length. status 0 when no whole reply came within 5 s.
HttpReply Http(int port, const std::string& method, const std::string& path,
               const std::string& body = "");

}  // namespace wsmock::testing
