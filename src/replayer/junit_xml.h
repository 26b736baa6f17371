// JUnit XML as CI servers read it: one <testsuites> around one <testsuite>
// of test cases that passed, failed or were skipped. Shared by the replay
// and verify reports. Pure; any thread; output is byte-stable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wsmock::replayer {

struct JunitCase {
  enum class Result { kPassed, kFailed, kSkipped };
  std::string name;
  Result result = Result::kPassed;
  std::string message;  // the failure's or skip's message attribute
  std::string body;     // text inside <failure>; may span lines; "" = none
};

// The whole document, cases in the given order. Text is escaped for XML;
// control bytes that XML 1.0 cannot hold become '?'.
std::string FormatJunitSuite(std::string_view suite, const std::vector<JunitCase>& cases);

}  // namespace wsmock::replayer
