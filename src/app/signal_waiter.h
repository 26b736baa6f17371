// Turns SIGINT and SIGTERM into a callback on a thread of its own, so no
// signal handler touches program state. Construct it before starting any
// other thread: it blocks both signals for the calling thread, and threads
// created later inherit the mask.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace wsmock::app {

class SignalWaiter {
 public:
  // `on_signal` runs on the waiter's thread with the signal number, once per
  // signal received.
  explicit SignalWaiter(std::function<void(int)> on_signal);
  // Stops waiting. Both signals stay blocked: one that comes during the
  // rest of the stop (the log's last lines, a report) is dropped, where
  // unblocking would let it kill the process. `timeout` and npm scripts
  // send a stop signal to the process and again to its group.
  ~SignalWaiter();
  SignalWaiter(const SignalWaiter&) = delete;
  SignalWaiter& operator=(const SignalWaiter&) = delete;

 private:
  void Wait();

  std::function<void(int)> on_signal_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace wsmock::app
