// Redaction of one message row before it is stored (record) or imported:
// the payload goes through a json::Redactor, and a row it changed has its
// action and requestId read again from the redacted bytes, so no column
// keeps a value the payload no longer shows. Pure; any thread.
#pragma once

#include "store/session_store.h"
#include "util/json_redact.h"

namespace wsmock::recorder {

// Returns whether `row` changed. Text and binary payloads alike are redacted
// when they are JSON; anything else, or JSON without the fields, is left as
// it is. The kind is kept: it names the message's role, not its content.
bool RedactMessage(const json::Redactor& redactor, store::MessageRow* row);

}  // namespace wsmock::recorder
