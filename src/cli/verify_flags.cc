#include "cli/subcommand.h"

namespace wsmock::cli {

// `wsmock verify` is being written (issue #4); until then it is not listed.
void AddVerifyCommand(CLI::App* /*root*/, SubcommandTable* /*table*/) {}

}  // namespace wsmock::cli
