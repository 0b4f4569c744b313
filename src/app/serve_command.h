#ifndef CIVICDESK_APP_SERVE_COMMAND_H_
#define CIVICDESK_APP_SERVE_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace civicdesk::app {

// civicdesk serve --db URL [--port 8080] … [--smtp-url smtp://HOST:PORT] [--mail-from ADDRESS]
// [--smtp-ca FILE] [--smtp-retry-seconds 60]: serves until SIGINT or SIGTERM; the exit code.
int Serve(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_SERVE_COMMAND_H_
