// SignalWaiter: a stop signal reaches the callback, and one that comes after
// the waiter is gone (the rest of a stop) is held, never fatal.
#include "app/signal_waiter.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>

namespace wsmock::app {
namespace {

// Takes a pending `signal` of the calling thread, if there is one.
bool TakePending(int signal) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal);
  const timespec now = {0, 0};
  return sigtimedwait(&set, nullptr, &now) == signal;
}

TEST(SignalWaiterTest, ASignalRunsTheCallbackOnce) {
  std::mutex mu;
  std::condition_variable seen;
  int received = 0;
  {
    SignalWaiter waiter([&](int signal) {
      std::lock_guard<std::mutex> lock(mu);
      received = signal;
      seen.notify_all();
    });
    kill(getpid(), SIGTERM);
    std::unique_lock<std::mutex> lock(mu);
    EXPECT_TRUE(seen.wait_for(lock, std::chrono::seconds(10), [&] { return received != 0; }));
  }
  EXPECT_EQ(received, SIGTERM);
}

TEST(SignalWaiterTest, ASignalAfterTheWaiterIsGoneIsHeldNotFatal) {
  {
    SignalWaiter waiter([](int) {});
  }
  // Unblocked, this would end the test binary (SIGINT's default action).
  ASSERT_EQ(raise(SIGINT), 0);
  EXPECT_TRUE(TakePending(SIGINT));
}

}  // namespace
}  // namespace wsmock::app
