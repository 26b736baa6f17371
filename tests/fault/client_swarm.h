// Many raw WebSocket clients at once, driven from one thread by poll():
// all connect and upgrade, so they are open together; then each sends one
// request and vanishes without a close frame, some with a RST and some with
// a FIN, some before and some after reading the answer.
#pragma once

#include <string>

namespace wsmock::testing {

struct SwarmResult {
  int upgraded = 0;     // clients whose handshake got HTTP 101
  int waited = 0;       // clients meant to read their answer before vanishing
  int answered = 0;     // of those, the ones that got a response frame
  std::string failure;  // the first thing that went wrong; empty when none
};

// Runs `clients` clients against 127.0.0.1:port; each sends `request` once.
// Client i vanishes by i % 4: 0 RST after its answer, 1 FIN after its
// answer, 2 RST right after sending, 3 FIN right after sending. Stops at
// the first failure or after timeout_ms. REQUIRES: `clients` file
// descriptors to spare (see RaiseFdLimit).
SwarmResult RunVanishingSwarm(int port, int clients, const std::string& request, int timeout_ms);

}  // namespace wsmock::testing
