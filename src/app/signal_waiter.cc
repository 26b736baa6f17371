#include "app/signal_waiter.h"

#include <signal.h>

#include <ctime>

namespace wsmock::app {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

SignalWaiter::SignalWaiter(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this] { Wait(); });
}

SignalWaiter::~SignalWaiter() {
  done_ = true;
  thread_.join();
}

void SignalWaiter::Wait() {
  sigset_t set = StopSignals();
  // A short timeout lets the destructor end the thread without sending it a
  // signal of our own.
  const timespec timeout = {0, 100 * 1000 * 1000};
  while (!done_) {
    int signal_number = sigtimedwait(&set, nullptr, &timeout);
    if (signal_number > 0) on_signal_(signal_number);
  }
}

}  // namespace wsmock::app
