#include "replayer/replay_report.h"

#include "util/json.h"

namespace wsmock::replayer {
namespace {

constexpr std::string_view kDefaultSuite = "wsmock replay";

std::string Requests(int64_t n) { return std::to_string(n) + (n == 1 ? " request" : " requests"); }

std::string UnmatchedLine(const ReplayReport::Unmatched& u) {
  std::string line = "  unmatched (" + std::to_string(u.count) + "x): " + u.description;
  line.append(u.closest.empty() ? "; nothing recorded" : "; closest recorded: " + u.closest);
  return line;
}

void AppendXmlEscaped(std::string* out, std::string_view s) {
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
      default:
        out->push_back(c);
    }
  }
}

void AppendAttribute(std::string* out, std::string_view name, std::string_view value) {
  out->push_back(' ');
  out->append(name);
  out->append("=\"");
  AppendXmlEscaped(out, value);
  out->push_back('"');
}

// The counts shared by <testsuites> and <testsuite>.
void AppendCounts(std::string* out, const ReplayReport& r) {
  size_t tests = r.matched.size() + r.unmatched.size() + r.unused.size();
  AppendAttribute(out, "tests", std::to_string(tests));
  AppendAttribute(out, "failures", std::to_string(r.unmatched.size()));
  AppendAttribute(out, "errors", "0");
  AppendAttribute(out, "skipped", std::to_string(r.unused.size()));
}

void OpenTestcase(std::string* out, std::string_view suite, std::string_view name) {
  out->append("    <testcase");
  AppendAttribute(out, "classname", suite);
  AppendAttribute(out, "name", name);
}

std::string FailureMessage(const ReplayReport::Unmatched& u) {
  std::string m = "no recorded answer (asked " + std::to_string(u.count) + "x)";
  m.append(u.closest.empty() ? "; nothing recorded" : "; closest recorded: " + u.closest);
  return m;
}

}  // namespace

std::string FormatText(const ReplayReport& r) {
  std::string out = "replay: " + Requests(r.requests_total) + ", " +
                    std::to_string(r.requests_matched) + " matched, " +
                    std::to_string(r.requests_total - r.requests_matched) + " unmatched, " +
                    std::to_string(r.unused.size()) + " recorded " +
                    (r.unused.size() == 1 ? "request" : "requests") + " never asked for\n";
  for (const auto& u : r.unmatched) out.append(UnmatchedLine(u) + "\n");
  for (const auto& u : r.unused) out.append("  never asked for: " + u.description + "\n");
  return out;
}

std::string FormatJson(const ReplayReport& r) {
  std::string out = "{\"requests\":" + std::to_string(r.requests_total) +
                    ",\"matched\":" + std::to_string(r.requests_matched) + ",\"unmatched\":[";
  for (size_t i = 0; i < r.unmatched.size(); ++i) {
    const auto& u = r.unmatched[i];
    out.append(i == 0 ? "{\"request\":" : ",{\"request\":");
    json::AppendString(&out, u.description);
    out.append(",\"count\":" + std::to_string(u.count) + ",\"closest\":");
    if (u.closest.empty()) {
      out.append("null");
    } else {
      json::AppendString(&out, u.closest);
    }
    out.push_back('}');
  }
  out.append("],\"unused\":[");
  for (size_t i = 0; i < r.unused.size(); ++i) {
    out.append(i == 0 ? "{\"request\":" : ",{\"request\":");
    json::AppendString(&out, r.unused[i].description);
    out.push_back('}');
  }
  out.append("]}\n");
  return out;
}

std::string FormatJunit(const ReplayReport& r, std::string_view suite_name) {
  std::string_view suite = suite_name.empty() ? kDefaultSuite : suite_name;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  AppendAttribute(&out, "name", suite);
  AppendCounts(&out, r);
  out.append(">\n  <testsuite");
  AppendAttribute(&out, "name", suite);
  AppendCounts(&out, r);
  out.append(">\n");
  for (const auto& m : r.matched) {
    OpenTestcase(&out, suite, m.description);
    out.append("/>\n");
  }
  for (const auto& u : r.unmatched) {
    OpenTestcase(&out, suite, u.description);
    out.append(">\n      <failure");
    AppendAttribute(&out, "message", FailureMessage(u));
    out.append("/>\n    </testcase>\n");
  }
  for (const auto& u : r.unused) {
    OpenTestcase(&out, suite, u.description);
    out.append(">\n      <skipped");
    AppendAttribute(&out, "message", "recorded but never asked for");
    out.append("/>\n    </testcase>\n");
  }
  out.append("  </testsuite>\n</testsuites>\n");
  return out;
}

}  // namespace wsmock::replayer
