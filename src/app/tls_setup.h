// Chooses ws or wss from the serve options, the way the seed did when no
// flag says otherwise: wss when cert.pem and cert.key are in the working
// directory, plain ws (and a log line saying why) when they are not.
#pragma once

#include <string>

#include "app/serve_options.h"
#include "server/ws_server.h"
#include "util/log.h"
#include "util/status.h"

namespace wsmock::app {

// With kSelfSigned and a non-empty `cert_out`, the generated certificate is
// written there first (ReplaceFileAtomically); a failure to write it is the
// error, e.g. "--self-signed-cert-out: cannot write d/c.pem: No such file or
// directory". `log` must outlive the call.
Result<server::TlsConfig> ResolveTls(TlsMode mode, const std::string& cert, const std::string& key,
                                     const std::string& cert_out, Logger* log);

}  // namespace wsmock::app
