#include "load_options.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <map>
#include <sstream>

namespace wsmock::bench {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A request file usually ends with a newline an editor added; the server
// would see it as part of the message.
std::string WithoutTrailingNewlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::vector<std::string> NonEmptyLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line = WithoutTrailingNewlines(line);
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// ws://HOST:PORT/PATH; the client speaks plain ws only.
Status ParseUrl(const std::string& url, LoadOptions* options) {
  const std::string scheme = "ws://";
  if (url.rfind(scheme, 0) != 0) return Status::InvalidArgument("--url must start with ws://");
  const std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  options->path = slash == std::string::npos ? "/" : rest.substr(slash);
  const size_t colon = authority.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--url needs a port");
  options->host = authority.substr(0, colon);
  try {
    options->port = std::stoi(authority.substr(colon + 1));
  } catch (const std::exception&) {
    return Status::InvalidArgument("--url has a bad port");
  }
  if (options->port <= 0 || options->port > 65535) {
    return Status::InvalidArgument("--url port out of range");
  }
  return Status::Ok();
}

struct RawArgs {
  std::string url;
  std::string mode = "rate";
  std::string message_file, message_text, message_lines;
};

Status Finish(const RawArgs& raw, LoadOptions* options) {
  WSMOCK_RETURN_IF_ERROR(ParseUrl(raw.url, options));
  if (!raw.message_text.empty()) options->messages.push_back(raw.message_text);
  if (!raw.message_file.empty()) {
    Result<std::string> text = ReadFile(raw.message_file);
    if (!text.ok()) return text.status();
    options->messages.push_back(WithoutTrailingNewlines(*text));
  }
  if (!raw.message_lines.empty()) {
    Result<std::string> text = ReadFile(raw.message_lines);
    if (!text.ok()) return text.status();
    for (std::string& line : NonEmptyLines(*text)) options->messages.push_back(std::move(line));
  }
  const bool sends = options->mode == Mode::kRate || options->mode == Mode::kLatency;
  if (sends && options->messages.empty()) {
    return Status::InvalidArgument("give the request: --message, --message-text or --message-lines");
  }
  if (options->mode == Mode::kLatency) options->connections = options->inflight = 1;
  if (options->requests > 0) options->warmup = 0;  // an exact count has no warm-up
  return Status::Ok();
}

}  // namespace

Result<LoadOptions> ParseLoadOptions(int argc, char** argv) {
  LoadOptions options;
  RawArgs raw;
  CLI::App app{"wsmock_load: WebSocket load client for wsmock benchmarks", "wsmock_load"};
  const std::map<std::string, Mode> modes = {{"rate", Mode::kRate},
                                             {"latency", Mode::kLatency},
                                             {"idle", Mode::kIdle},
                                             {"fanout", Mode::kFanout},
                                             {"first-handshake", Mode::kFirstHandshake}};
  app.add_option("--url", raw.url, "ws://HOST:PORT/PATH")->required();
  app.add_option("--mode", options.mode, "rate|latency|idle|fanout|first-handshake")
      ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case));
  app.add_option("--connections", options.connections)->check(CLI::Range(1, 1000000));
  app.add_option("--inflight", options.inflight)->check(CLI::Range(1, 4096));
  app.add_option("--warmup", options.warmup, "seconds")->check(CLI::Range(0.0, 3600.0));
  app.add_option("--duration", options.duration, "seconds")->check(CLI::Range(0.0, 86400.0));
  app.add_option("--requests", options.requests, "send exactly N requests, then stop");
  app.add_option("--message", raw.message_file, "file holding the request");
  app.add_option("--message-text", raw.message_text, "the request; {{id}} becomes a number");
  app.add_option("--message-lines", raw.message_lines, "file, one request a line, round robin");
  app.add_option("--save-reply", options.save_reply, "write the first measured message here");
  app.add_option("--pushes", options.pushes)->check(CLI::Range(1, 1000));
  app.add_option("--timeout", options.timeout, "seconds")->check(CLI::Range(0.1, 3600.0));
  app.add_option("--connect-window", options.connect_window)->check(CLI::Range(1, 100000));
  app.add_option("--start-us", options.start_us, "CLOCK_REALTIME microseconds of the start");
  app.add_option("command", options.command, "first-handshake: server command after --");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return Status::NotFound(app.help());
  } catch (const CLI::ParseError& e) {
    return Status::InvalidArgument(e.what());
  }
  WSMOCK_RETURN_IF_ERROR(Finish(raw, &options));
  return options;
}

}  // namespace wsmock::bench
