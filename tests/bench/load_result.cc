#include "load_result.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace wsmock::bench {
namespace {

void Append(std::string* out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void Append(std::string* out, const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buf, sizeof(buf), format, args);
  va_end(args);
  if (n > 0) out->append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1));
}

double Micros(int64_t nanos) { return static_cast<double>(nanos) / 1000.0; }

int64_t Median(std::vector<int64_t> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[(values.size() - 1) / 2];
}

}  // namespace

std::string ToJsonLine(const LoadResult& r) {
  std::string out = "{\"mode\":\"" + r.mode + "\"";
  Append(&out, ",\"connections\":%d,\"inflight\":%d,\"opened\":%d", r.connections, r.inflight,
         r.opened);
  Append(&out, ",\"failed_connections\":%d,\"dropped_connections\":%d", r.failed_connections,
         r.dropped_connections);
  Append(&out, ",\"open_s\":%.3f,\"seconds\":%.3f", r.open_seconds, r.seconds);
  Append(&out, ",\"responses\":%" PRIu64 ",\"rate\":%.1f,\"bytes\":%" PRIu64, r.responses,
         r.rate(), r.bytes);
  Append(&out, ",\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f",
         Micros(r.p50_ns), Micros(r.p90_ns), Micros(r.p99_ns), Micros(r.max_ns));
  Append(&out, ",\"messages\":%" PRIu64 ",\"error_frames\":%" PRIu64, r.messages, r.error_frames);
  Append(&out, ",\"client_cpu\":%.2f", r.client_cpu);
  if (r.mode == "fanout") {
    Append(&out, ",\"spread_us\":%.1f,\"push_bytes\":%" PRIu64 ",\"push_missing\":%d",
           Micros(Median(r.spreads_ns)), r.push_bytes, r.push_missing);
    out += ",\"spreads_us\":[";
    for (size_t i = 0; i < r.spreads_ns.size(); ++i) {
      Append(&out, "%s%.1f", i > 0 ? "," : "", Micros(r.spreads_ns[i]));
    }
    out += "]";
  }
  if (r.mode == "first-handshake") {
    Append(&out, ",\"handshake_us\":%" PRId64 ",\"attempts\":%d", r.handshake_us, r.attempts);
  }
  out += "}";
  return out;
}

}  // namespace wsmock::bench
