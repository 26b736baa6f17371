// LoadClient: one wsmock_load run on one libwebsockets client context,
// serviced on the calling thread: opens the connections, runs the mode of
// LoadOptions and returns the figures. Once the connections are open the
// request path allocates nothing: frames are pre-built and masked once
// (ClientFrame), and latencies go into a fixed histogram.
#pragma once

#include <csignal>
#include <functional>
#include <memory>

#include "load_options.h"
#include "load_result.h"
#include "util/status.h"

namespace wsmock::bench {

class LoadClient {
 public:
  // Called once, in idle and fanout modes, when every connection has opened
  // or failed.
  using OpenCallback = std::function<void(const LoadResult& so_far)>;

  static Result<std::unique_ptr<LoadClient>> Create(const LoadOptions& options);
  ~LoadClient();
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

  // Runs to the end of the mode, or until `*stop` becomes non-zero (checked
  // every 20 ms; a signal handler may set it). REQUIRES: called once.
  Result<LoadResult> Run(const volatile std::sig_atomic_t* stop, const OpenCallback& on_open);

  class Impl;

 private:
  explicit LoadClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsmock::bench
