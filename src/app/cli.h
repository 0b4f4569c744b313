#ifndef CIVICDESK_APP_CLI_H_
#define CIVICDESK_APP_CLI_H_

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace civicdesk::app {

// Command-line arguments after the command words: "--name value" or "--name=value" options, and
// bare flags listed in `flags`.
class Arguments {
 public:
  // InvalidArgument naming the first unknown option or a value-less option.
  static Result<Arguments> Parse(const std::vector<std::string>& words,
                                 const std::vector<std::string>& options,
                                 const std::vector<std::string>& flags = {});

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = {}) const;
  // InvalidArgument naming the option when it is missing.
  Result<std::string> Require(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

// Runs the civicdesk command line: `civicdesk COMMAND ...`. Returns the process exit code:
// 0 on success, 1 when the operation failed, 2 for a usage error. Messages go to `out`/`err`.
int RunCli(const std::vector<std::string>& words, std::istream& in, std::ostream& out,
           std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_CLI_H_
