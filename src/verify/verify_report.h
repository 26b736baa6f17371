// What a verify run found: one Check per recorded answer (and, with
// --compare-updates, per recorded push) and its renderings as text, JSON and
// JUnit XML. Plain values and pure functions; any thread; byte-stable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "verify/json_diff.h"

namespace wsmock::verify {

struct Check {
  enum class Outcome { kMatched, kDiffered, kFailed };
  int64_t connection = 0;  // recorded connection id
  int copy = 1;            // which live copy of it (1-based; see --connections)
  bool update = false;     // a push rather than the answer to a request
  size_t index = 0;        // 1-based: the request's, or the push's, place on the connection
  std::string request;     // description of the request, or of the recorded push
  Outcome outcome = Outcome::kMatched;
  std::vector<Difference> differences;  // kDiffered: in document order
  std::string failure;                  // kFailed: one line, e.g. "no answer within 5 s"
};

struct VerifyReport {
  std::string target;         // the URL verified
  int copies = 1;             // --connections
  std::vector<Check> checks;  // by connection, copy, answers before pushes

  size_t Count(Check::Outcome outcome) const;
  bool all_matched() const { return Count(Check::Outcome::kMatched) == checks.size(); }
};

// At most this many differences of one check are printed; the rest are
// counted ("... and 12 more").
inline constexpr size_t kMaxPrintedDifferences = 20;

// "12 matched, 1 differed, 2 failed"
std::string FormatSummary(const VerifyReport& report);

// A block per check that did not match, then the summary line:
//   connection 1, request 3: getStationById {"stationId":"station_001"}
//     /data/station/status: value changed: recorded "active", actual "error"
//   connection 1, request 4: getStations {}
//     failed: no answer within 5 s
//   12 matched, 1 differed, 1 failed
std::string FormatText(const VerifyReport& report);

// One line of JSON, members in this order, ending in '\n':
// {"target":U,"matched":N,"differed":N,"failed":N,"checks":[{"connection":N,
//  "copy":N,"kind":"answer"|"update","index":N,"request":D,
//  "outcome":"matched"|"differed"|"failed","failure":S|null,
//  "differences":[{"path":P,"kind":K,"recorded":T|null,"actual":T|null}]}]}
// (T: the value's JSON text as a string)
std::string FormatJson(const VerifyReport& report);

// JUnit XML: suite "wsmock verify", a testcase per check, a <failure> with
// the diff or the failure line for each that did not match.
std::string FormatJunit(const VerifyReport& report);

}  // namespace wsmock::verify
