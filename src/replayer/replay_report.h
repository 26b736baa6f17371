// What a replay run asked for and got: the value ReplayIndex::MakeReport
// builds, and its three renderings (stderr text, JSON, JUnit XML). Plain
// values and pure functions; any thread. Output is byte-stable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wsmock::replayer {

struct ReplayReport {
  // Keys are replay keys (match_key.h); descriptions are DescribeKey's line.
  struct Matched {
    std::string key, description;
    int64_t count = 0;  // requests answered from this key
  };
  std::vector<Matched> matched;  // sorted by key
  struct Unmatched {
    std::string key, description;
    std::string closest;  // description of the closest recorded key; empty when none
    int64_t count = 0;
  };
  std::vector<Unmatched> unmatched;  // by first occurrence
  struct Unused {
    std::string key, description;
  };
  std::vector<Unused> unused;  // recorded keys never asked for, sorted by key
  // replay --record-missing: requests the recording could not answer that
  // were answered by the upstream or the generator and appended to the file.
  std::vector<Matched> recorded;  // by first occurrence; count = requests recorded
  bool record_missing = false;    // the run recorded missing answers: say so
  int64_t requests_total = 0;     // matched + recorded + unmatched
  int64_t requests_matched = 0;
  int64_t requests_recorded = 0;
};

// "replay: 12 requests, 11 matched, 1 unmatched, 2 recorded requests never
// asked for", then one indented line per unmatched and unused key. With
// record_missing: "replay: 12 requests, 9 matched, 2 recorded now, 1
// unmatched, ..." and a line per key recorded now.
std::string FormatText(const ReplayReport& report);

// One line of JSON, members in this order, ending in '\n':
// {"requests":N,"matched":N,"unmatched":[{"request":D,"count":N,"closest":D|null}],
//  "unused":[{"request":D}]}   (D: a key's description)
// With record_missing, "recorded":[{"request":D,"count":N}] follows "unused".
std::string FormatJson(const ReplayReport& report);

// JUnit XML: one <testsuite> named `suite_name` ("wsmock replay" when empty)
// with a passing testcase per matched key and per key recorded now, a
// <failure> per unmatched key (naming the closest recorded key) and a
// <skipped> per unused key.
// REQUIRES: suite_name is printable UTF-8 (descriptions already are).
std::string FormatJunit(const ReplayReport& report, std::string_view suite_name);

}  // namespace wsmock::replayer
