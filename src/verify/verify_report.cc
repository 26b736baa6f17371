#include "verify/verify_report.h"

#include <algorithm>

#include "replayer/junit_xml.h"
#include "util/json.h"

namespace wsmock::verify {
namespace {

constexpr std::string_view kSuite = "wsmock verify";

std::string_view OutcomeName(Check::Outcome outcome) {
  switch (outcome) {
    case Check::Outcome::kMatched:
      return "matched";
    case Check::Outcome::kDiffered:
      return "differed";
    case Check::Outcome::kFailed:
      return "failed";
  }
  return "failed";
}

// "connection 1, request 3" or, with several copies, "connection 1 copy 2, update 1".
std::string Where(const Check& c, int copies) {
  std::string out = "connection " + std::to_string(c.connection);
  if (copies > 1) out += " copy " + std::to_string(c.copy);
  out += c.update ? ", update " : ", request ";
  out += std::to_string(c.index);
  return out;
}

std::string PathText(const Difference& d) { return d.path.empty() ? "(whole message)" : d.path; }

// "/data/x: value changed: recorded 1, actual 2"
std::string DifferenceLine(const Difference& d) {
  std::string line = PathText(d) + ": " + std::string(DiffKindName(d.kind)) + ":";
  if (d.kind != DiffKind::kFieldAdded) line += " recorded " + d.recorded;
  if (d.kind != DiffKind::kFieldAdded && d.kind != DiffKind::kFieldRemoved) line += ",";
  if (d.kind != DiffKind::kFieldRemoved) line += " actual " + d.actual;
  return line;
}

// The indented lines under a check's heading: its differences (at most
// kMaxPrintedDifferences) or its failure.
std::string DetailLines(const Check& c, std::string_view indent) {
  std::string out;
  if (c.outcome == Check::Outcome::kFailed) {
    out.append(indent).append("failed: ").append(c.failure).append("\n");
    return out;
  }
  size_t shown = std::min(c.differences.size(), kMaxPrintedDifferences);
  for (size_t i = 0; i < shown; ++i) {
    out.append(indent).append(DifferenceLine(c.differences[i])).append("\n");
  }
  if (shown < c.differences.size()) {
    out.append(indent).append("... and " + std::to_string(c.differences.size() - shown) +
                              " more\n");
  }
  return out;
}

void AppendStringOrNull(std::string* out, const std::string& s, bool null) {
  if (null) {
    out->append("null");
  } else {
    json::AppendString(out, s);
  }
}

void AppendDifference(std::string* out, const Difference& d) {
  out->append("{\"path\":");
  json::AppendString(out, d.path);
  out->append(",\"kind\":");
  json::AppendString(out, DiffKindName(d.kind));
  out->append(",\"recorded\":");
  AppendStringOrNull(out, d.recorded, d.kind == DiffKind::kFieldAdded);
  out->append(",\"actual\":");
  AppendStringOrNull(out, d.actual, d.kind == DiffKind::kFieldRemoved);
  out->push_back('}');
}

void AppendCheck(std::string* out, const Check& c) {
  out->append("{\"connection\":" + std::to_string(c.connection) +
              ",\"copy\":" + std::to_string(c.copy) + ",\"kind\":");
  out->append(c.update ? "\"update\"" : "\"answer\"");
  out->append(",\"index\":" + std::to_string(c.index) + ",\"request\":");
  json::AppendString(out, c.request);
  out->append(",\"outcome\":");
  json::AppendString(out, OutcomeName(c.outcome));
  out->append(",\"failure\":");
  AppendStringOrNull(out, c.failure, c.outcome != Check::Outcome::kFailed);
  out->append(",\"differences\":[");
  for (size_t i = 0; i < c.differences.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendDifference(out, c.differences[i]);
  }
  out->append("]}");
}

std::string FailureMessage(const Check& c) {
  if (c.outcome == Check::Outcome::kFailed) return c.failure;
  size_t n = c.differences.size();
  std::string m = std::to_string(n) + (n == 1 ? " difference" : " differences");
  if (n > 0) m += ", first: " + DifferenceLine(c.differences[0]);
  return m;
}

}  // namespace

size_t VerifyReport::Count(Check::Outcome outcome) const {
  size_t n = 0;
  for (const Check& c : checks) n += c.outcome == outcome;
  return n;
}

std::string FormatSummary(const VerifyReport& r) {
  return std::to_string(r.Count(Check::Outcome::kMatched)) + " matched, " +
         std::to_string(r.Count(Check::Outcome::kDiffered)) + " differed, " +
         std::to_string(r.Count(Check::Outcome::kFailed)) + " failed";
}

std::string FormatText(const VerifyReport& r) {
  std::string out;
  for (const Check& c : r.checks) {
    if (c.outcome == Check::Outcome::kMatched) continue;
    out.append(Where(c, r.copies) + ": " + c.request + "\n");
    out.append(DetailLines(c, "    "));
  }
  out.append(FormatSummary(r) + "\n");
  return out;
}

std::string FormatJson(const VerifyReport& r) {
  std::string out = "{\"target\":";
  json::AppendString(&out, r.target);
  out.append(",\"matched\":" + std::to_string(r.Count(Check::Outcome::kMatched)) +
             ",\"differed\":" + std::to_string(r.Count(Check::Outcome::kDiffered)) +
             ",\"failed\":" + std::to_string(r.Count(Check::Outcome::kFailed)) + ",\"checks\":[");
  for (size_t i = 0; i < r.checks.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendCheck(&out, r.checks[i]);
  }
  out.append("]}\n");
  return out;
}

std::string FormatJunit(const VerifyReport& r) {
  std::vector<replayer::JunitCase> cases;
  for (const Check& c : r.checks) {
    replayer::JunitCase jc;
    jc.name = Where(c, r.copies) + ": " + c.request;
    if (c.outcome != Check::Outcome::kMatched) {
      jc.result = replayer::JunitCase::Result::kFailed;
      jc.message = FailureMessage(c);
      jc.body = DetailLines(c, "");
    }
    cases.push_back(std::move(jc));
  }
  return replayer::FormatJunitSuite(kSuite, cases);
}

}  // namespace wsmock::verify
