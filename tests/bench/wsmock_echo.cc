// wsmock_echo: the bare libwebsockets reference server of the benchmarks,
// kept as small as lws's v4.1.6 minimal examples so that it shows what the
// WebSocket stack itself costs. It answers every whole message with the
// same bytes, or with the bytes of --reply-file; --broadcast-every pushes
// --broadcast-file to every client from one shared buffer. No logging.
// Prints "listening on PORT" on stdout once it listens; SIGTERM ends it.
#include <CLI/CLI.hpp>
#include <libwebsockets.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Context-wide state, reached through the context's user pointer.
struct Shared {
  std::string reply;  // LWS_PRE bytes of headroom, then the reply; empty: echo
  std::string push;   // the same for the broadcast payload
  uint64_t push_generation = 0;
  int64_t every_us = 0;
};

// `sul` first, so the pointer lws hands back converts to the slot.
struct BroadcastTimer {
  lws_sorted_usec_list_t sul;
  lws_context* context;
  const lws_protocols* protocol;
  Shared* shared;
};

// One connection's state; lws's per-session data holds a pointer to it.
struct Session {
  std::string partial;               // LWS_PRE + the message being received
  std::vector<std::string> echoes;   // LWS_PRE + message, oldest first from `next`
  size_t next = 0;
  uint32_t replies_due = 0;
  uint64_t push_generation = 0;
  bool pending() const { return replies_due > 0 || next < echoes.size(); }
};

struct PerSession {
  Session* session;
};

int Write(lws* wsi, std::string& buffer) {
  const size_t size = buffer.size() - LWS_PRE;
  auto* payload = reinterpret_cast<unsigned char*>(buffer.data()) + LWS_PRE;
  return lws_write(wsi, payload, size, LWS_WRITE_TEXT) < static_cast<int>(size) ? -1 : 0;
}

void OnReceive(lws* wsi, const Shared& shared, Session* s, const void* in, size_t len) {
  if (shared.reply.empty()) {
    if (s->partial.empty()) s->partial.assign(LWS_PRE, '\0');
    s->partial.append(static_cast<const char*>(in), len);
  }
  if (!lws_is_final_fragment(wsi)) return;
  if (shared.reply.empty()) {
    s->echoes.push_back(std::move(s->partial));
    s->partial.clear();
  } else {
    ++s->replies_due;
  }
  lws_callback_on_writable(wsi);
}

// One lws_write per WRITEABLE, as lws asks: a push first, then answers.
int OnWriteable(lws* wsi, Shared* shared, Session* s) {
  int result = 0;
  if (s->push_generation != shared->push_generation) {
    s->push_generation = shared->push_generation;
    result = Write(wsi, shared->push);
  } else if (s->replies_due > 0) {
    --s->replies_due;
    result = Write(wsi, shared->reply);
  } else if (s->next < s->echoes.size()) {
    result = Write(wsi, s->echoes[s->next++]);
    if (s->next == s->echoes.size()) {
      s->echoes.clear();
      s->next = 0;
    }
  }
  if (result == 0 && (s->pending() || s->push_generation != shared->push_generation)) {
    lws_callback_on_writable(wsi);
  }
  return result;
}

int Callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  auto* shared = static_cast<Shared*>(lws_context_user(lws_get_context(wsi)));
  auto* pss = static_cast<PerSession*>(user);
  switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
      pss->session = new Session();
      pss->session->push_generation = shared->push_generation;
      return 0;
    case LWS_CALLBACK_RECEIVE:
      OnReceive(wsi, *shared, pss->session, in, len);
      return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return pss->session != nullptr ? OnWriteable(wsi, shared, pss->session) : 0;
    case LWS_CALLBACK_CLOSED:
      delete pss->session;
      pss->session = nullptr;
      return 0;
    default:
      return 0;
  }
}

void OnBroadcast(lws_sorted_usec_list_t* sul) {
  auto* timer = reinterpret_cast<BroadcastTimer*>(sul);
  ++timer->shared->push_generation;
  lws_callback_on_writable_all_protocol(timer->context, timer->protocol);
  lws_sul_schedule(timer->context, 0, &timer->sul, OnBroadcast, timer->shared->every_us);
}

bool ReadWithHeadroom(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = std::string(LWS_PRE, '\0') + text.str();
  return true;
}

void DropLwsLog(int, const char*) {}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string host = "127.0.0.1", reply_file, broadcast_file;
  double broadcast_every = 0;
  size_t rx_buffer = 64 * 1024;
  CLI::App app{"wsmock_echo: bare libwebsockets reference server", "wsmock_echo"};
  app.add_option("--port", port, "0 = any free port")->check(CLI::Range(0, 65535));
  app.add_option("--host", host);
  app.add_option("--reply-file", reply_file, "answer every message with these bytes");
  app.add_option("--broadcast-every", broadcast_every, "seconds")->check(CLI::Range(0.0, 3600.0));
  app.add_option("--broadcast-file", broadcast_file, "payload pushed to every client");
  app.add_option("--rx-buffer", rx_buffer, "lws rx_buffer_size (also the largest write); 0 = lws default")
      ->check(CLI::Range(0, 16 << 20));
  CLI11_PARSE(app, argc, argv);

  Shared shared;
  if (!reply_file.empty() && !ReadWithHeadroom(reply_file, &shared.reply)) {
    std::fprintf(stderr, "wsmock_echo: cannot read %s\n", reply_file.c_str());
    return 1;
  }
  if (broadcast_every > 0 && !ReadWithHeadroom(broadcast_file, &shared.push)) {
    std::fprintf(stderr, "wsmock_echo: --broadcast-every needs a readable --broadcast-file\n");
    return 1;
  }
  shared.every_us = static_cast<int64_t>(broadcast_every * 1e6);

  lws_set_log_level(LLL_ERR, DropLwsLog);
  lws_protocols protocols[2] = {};  // outlives the context, as lws requires
  protocols[0].name = "wsmock-echo";
  protocols[0].callback = Callback;
  protocols[0].per_session_data_size = sizeof(PerSession);
  // lws also cuts every socket write to this size, so the lws default
  // (4 KB) would send a 40 KB reply in ten poll passes; wsmock uses 64 KB.
  protocols[0].rx_buffer_size = rx_buffer;
  lws_context_creation_info info{};
  info.port = port;
  info.iface = host.c_str();
  info.protocols = protocols;
  info.user = &shared;
  info.options = LWS_SERVER_OPTION_DISABLE_IPV6 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
  lws_context* context = lws_create_context(&info);
  if (context == nullptr) {
    std::fprintf(stderr, "wsmock_echo: cannot listen on %s:%d\n", host.c_str(), port);
    return 1;
  }
  std::printf("listening on %d\n",
              lws_get_vhost_listen_port(lws_get_vhost_by_name(context, "default")));
  std::fflush(stdout);

  BroadcastTimer timer{};
  timer.context = context;
  timer.protocol = &protocols[0];
  timer.shared = &shared;
  if (shared.every_us > 0) lws_sul_schedule(context, 0, &timer.sul, OnBroadcast, shared.every_us);
  while (lws_service(context, 0) >= 0) {
  }
  lws_context_destroy(context);
  return 0;
}
