#include "replayer/junit_xml.h"

namespace wsmock::replayer {
namespace {

// In attributes a newline or tab must be a character reference, or a reader
// folds it into a space; in element text it may stay.
void AppendXmlEscaped(std::string* out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append("&quot;");
        break;
      case '\'':
        out->append("&apos;");
        break;
      case '\n':
        out->append(attribute ? "&#10;" : "\n");
        break;
      case '\t':
        out->append(attribute ? "&#9;" : "\t");
        break;
      default:
        // XML 1.0 has no way to write the other C0 controls at all.
        out->push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    }
  }
}

void AppendAttribute(std::string* out, std::string_view name, std::string_view value) {
  out->push_back(' ');
  out->append(name);
  out->append("=\"");
  AppendXmlEscaped(out, value, /*attribute=*/true);
  out->push_back('"');
}

// The counts shared by <testsuites> and <testsuite>.
void AppendCounts(std::string* out, const std::vector<JunitCase>& cases) {
  size_t failures = 0, skipped = 0;
  for (const JunitCase& c : cases) {
    failures += c.result == JunitCase::Result::kFailed;
    skipped += c.result == JunitCase::Result::kSkipped;
  }
  AppendAttribute(out, "tests", std::to_string(cases.size()));
  AppendAttribute(out, "failures", std::to_string(failures));
  AppendAttribute(out, "errors", "0");
  AppendAttribute(out, "skipped", std::to_string(skipped));
}

void AppendCase(std::string* out, std::string_view suite, const JunitCase& c) {
  out->append("    <testcase");
  AppendAttribute(out, "classname", suite);
  AppendAttribute(out, "name", c.name);
  if (c.result == JunitCase::Result::kPassed) {
    out->append("/>\n");
    return;
  }
  const bool failed = c.result == JunitCase::Result::kFailed;
  out->append(failed ? ">\n      <failure" : ">\n      <skipped");
  AppendAttribute(out, "message", c.message);
  if (c.body.empty()) {
    out->append("/>\n");
  } else {
    out->push_back('>');
    AppendXmlEscaped(out, c.body, /*attribute=*/false);
    out->append(failed ? "</failure>\n" : "</skipped>\n");
  }
  out->append("    </testcase>\n");
}

}  // namespace

std::string FormatJunitSuite(std::string_view suite, const std::vector<JunitCase>& cases) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  AppendAttribute(&out, "name", suite);
  AppendCounts(&out, cases);
  out.append(">\n  <testsuite");
  AppendAttribute(&out, "name", suite);
  AppendCounts(&out, cases);
  out.append(">\n");
  for (const JunitCase& c : cases) AppendCase(&out, suite, c);
  out.append("  </testsuite>\n</testsuites>\n");
  return out;
}

}  // namespace wsmock::replayer
