// Runs a piece of a test as an unprivileged user, so that file permissions
// (chmod) apply to it: root ignores them, and tests often run as root.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "util/status.h"

namespace wsmock::testing {

// As root: runs `fn` in a forked child as user and group 65534 (nobody) and
// returns what it returned. Otherwise: runs `fn` here. A non-ok result says
// why this machine cannot run it unprivileged (for GTEST_SKIP): the user
// cannot be switched, or cannot reach (search or execute) one of `needed`,
// as when the checkout lies under root's own 0700 home.
// `fn` must not use gtest assertions; it reports through its string.
Result<std::string> RunUnprivileged(const std::vector<std::string>& needed,
                                    const std::function<std::string()>& fn);
inline Result<std::string> RunUnprivileged(const std::string& needed_dir,
                                           const std::function<std::string()>& fn) {
  return RunUnprivileged(std::vector<std::string>{needed_dir}, fn);
}

}  // namespace wsmock::testing
