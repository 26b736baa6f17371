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

// With kSelfSigned the certificate is made here, in memory (cert_pem).
// `log` must outlive the call.
Result<server::TlsConfig> ResolveTls(TlsMode mode, const std::string& cert, const std::string& key,
                                     Logger* log);

}  // namespace wsmock::app
