#include "replayer/junit_xml.h"

#include <gtest/gtest.h>

namespace wsmock::replayer {
namespace {

TEST(VerifyJunitXmlTest, FailureBodiesKeepLinesAndAttributesEscapeThem) {
  std::vector<JunitCase> cases = {
      {"ok", JunitCase::Result::kPassed, "", ""},
      {"bad <1>", JunitCase::Result::kFailed, "two\nlines", "/a: value changed\n/b & c\x01\n"},
      {"later", JunitCase::Result::kSkipped, "not run", ""},
  };
  std::string xml = FormatJunitSuite("suite", cases);
  EXPECT_NE(xml.find(R"(<testsuite name="suite" tests="3" failures="1" errors="0" skipped="1">)"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<testcase classname="suite" name="ok"/>)"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(<failure message="two&#10;lines">/a: value changed)"
                     "\n/b &amp; c?\n</failure>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<skipped message="not run"/>)"), std::string::npos) << xml;
  EXPECT_NE(xml.find(R"(name="bad &lt;1&gt;")"), std::string::npos);
}

}  // namespace
}  // namespace wsmock::replayer
