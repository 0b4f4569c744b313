#ifndef CIVICDESK_APP_CLI_H_
#define CIVICDESK_APP_CLI_H_

#include <fstream>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

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
  // Every value a repeatable option was given, in order (--ignore-column A --ignore-column B).
  std::vector<std::string> GetAll(const std::string& name) const;
  // Sets an option's value (a command that derives one option from another).
  void Set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  // InvalidArgument naming the option when it is missing.
  Result<std::string> Require(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
};

// Helpers shared by the command files.
// The synopsis and description (Japanese, English) of `command` ("analyze", "db migrate") as
// the usage prints them; "" for an unknown command.
std::string CommandUsageOf(std::string_view command);
// Prints "civicdesk: <message>" and returns the exit code for `status` (2 bad input, 1 else).
int Fail(std::ostream& err, const Status& status);
// Opens --db and applies every module's migrations, loads every module's built-in data
// (load_builtin_data), and with `load_data` every module's shipped data, all under the database's
// start-up lock (Database::WithStartupLock): any number of processes may start at once on an empty
// or outdated database; one migrates and loads while the others wait, then find it done.
Result<std::unique_ptr<storage::Database>> OpenMigrated(const Arguments& arguments,
                                                        std::ostream& out, bool announce,
                                                        bool load_data = false);
// Opens an input file for reading; InvalidArgument naming the path when it cannot.
Result<std::unique_ptr<std::ifstream>> OpenInputFile(const std::string& path);

// Loads every module's shipped data (the Minato plan, ...) into a database that lacks it. Not
// locked: OpenMigrated(..., load_data = true) calls it under the start-up lock.
Status LoadShippedData(storage::Database& database);
// The integer option --name within [low, high], or `fallback` when absent.
Result<int> ParseInt(const Arguments& arguments, const std::string& name, int fallback, int low,
                     int high);

// Runs the civicdesk command line: `civicdesk COMMAND ...`. Returns the process exit code:
// 0 on success, 1 when the operation failed, 2 for a usage error. Messages go to `out`/`err`.
int RunCli(const std::vector<std::string>& words, std::istream& in, std::ostream& out,
           std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_CLI_H_
