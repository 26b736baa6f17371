#include "replayer/replay_report.h"

#include "replayer/junit_xml.h"
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

std::string FailureMessage(const ReplayReport::Unmatched& u) {
  std::string m = "no recorded answer (asked " + std::to_string(u.count) + "x)";
  m.append(u.closest.empty() ? "; nothing recorded" : "; closest recorded: " + u.closest);
  return m;
}

}  // namespace

std::string FormatText(const ReplayReport& r) {
  std::string out =
      "replay: " + Requests(r.requests_total) + ", " + std::to_string(r.requests_matched) +
      " matched, " +
      (r.record_missing ? std::to_string(r.requests_recorded) + " recorded now, " : "") +
      std::to_string(r.requests_total - r.requests_matched - r.requests_recorded) + " unmatched, " +
      std::to_string(r.unused.size()) + " recorded " +
      (r.unused.size() == 1 ? "request" : "requests") + " never asked for\n";
  for (const auto& m : r.recorded) {
    out.append("  recorded now (" + std::to_string(m.count) + "x): " + m.description + "\n");
  }
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
  out.push_back(']');
  if (r.record_missing) {
    out.append(",\"recorded\":[");
    for (size_t i = 0; i < r.recorded.size(); ++i) {
      out.append(i == 0 ? "{\"request\":" : ",{\"request\":");
      json::AppendString(&out, r.recorded[i].description);
      out.append(",\"count\":" + std::to_string(r.recorded[i].count) + "}");
    }
    out.push_back(']');
  }
  out.append("}\n");
  return out;
}

std::string FormatJunit(const ReplayReport& r, std::string_view suite_name) {
  std::vector<JunitCase> cases;
  for (const auto& m : r.matched)
    cases.push_back({m.description, JunitCase::Result::kPassed, "", ""});
  for (const auto& m : r.recorded) {
    cases.push_back({m.description, JunitCase::Result::kPassed, "", ""});
  }
  for (const auto& u : r.unmatched) {
    cases.push_back({u.description, JunitCase::Result::kFailed, FailureMessage(u), ""});
  }
  for (const auto& u : r.unused) {
    cases.push_back(
        {u.description, JunitCase::Result::kSkipped, "recorded but never asked for", ""});
  }
  return FormatJunitSuite(suite_name.empty() ? kDefaultSuite : suite_name, cases);
}

}  // namespace wsmock::replayer
