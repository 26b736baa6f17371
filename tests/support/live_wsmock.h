// Starting a real wsmock on loopback and talking to it, for the tests that run
// the binary: the arguments, the process and a client, each failing the
// calling test with the reason when it cannot be had, and what a session file
// holds afterwards.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/session_store.h"
#include "support/server_process.h"
#include "support/ws_client.h"

namespace wsmock::testing {

// The seed README's three requests: the map's, the list's and one station's.
extern const std::vector<std::string> kSeedRequests;

// `args` plus --host 127.0.0.1 --port 0 (and --no-ssl unless `tls`).
std::vector<std::string> OnLoopback(std::vector<std::string> args, bool tls = false);

// The wsmock started with `args`, or null after a test failure naming why.
std::unique_ptr<ServerProcess> StartOrFail(const std::vector<std::string>& args);

// A plain ws client of `server` on /ws, or null after a test failure.
std::unique_ptr<WsClient> ConnectOrFail(const ServerProcess& server);

// The next message of `client` that is not an update push (nullopt after
// 5 s without one, or past 50 updates).
std::optional<std::string> NextReply(WsClient* client);

// Sends each request on one new connection to `server` and collects the
// replies in order, skipping update pushes.
std::vector<std::string> AskAll(const ServerProcess& server,
                                const std::vector<std::string>& requests);

// `reply` without its top-level requestId member, for comparing a replayed
// reply with the recorded one.
std::string WithoutRequestId(const std::string& reply);

// A session file as the tests look at it: every session, and the connections
// and messages of one of them (the first or the last).
struct Recording {
  std::vector<store::SessionInfo> sessions;
  std::vector<store::ConnectionRow> connections;
  std::vector<store::MessageRow> messages;
};
enum class WhichSession { kFirst, kLast };
Recording ReadRecording(const std::string& path, WhichSession which);

// Runs `sql` on `path` with plain SQLite, bypassing wsmock (the way to make
// files wsmock did not write), waiting out the locks of a wsmock using it.
// Fails the calling test with SQLite's message when the SQL fails.
void ExecSql(const std::string& path, const std::string& sql);

}  // namespace wsmock::testing
