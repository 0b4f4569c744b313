#include "app/partners_commands.h"

#include <map>

#include "app/cli.h"
#include "app/messages.h"
#include "core/csv.h"
#include "partners/codes.h"
#include "partners/store.h"

namespace civicdesk::app {

int PartnersCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.size() < 2 || words[0] != "import" || words[1].rfind("--", 0) == 0) {
    err << "civicdesk: " << Say("app.partners_import_expected") << "\n";
    return 2;
  }
  Result<Arguments> arguments = Arguments::Parse({words.begin() + 2, words.end()}, {"db"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<std::unique_ptr<std::ifstream>> file = OpenInputFile(words[1]);
  if (!file.ok()) return Fail(err, file.status());
  std::vector<partners::Partner> partners;
  std::vector<partners::Agreement> agreements;
  std::map<std::string, size_t> column;
  Status read = ForEachCsvRow(**file, [&](std::vector<std::string>& cells, int64_t line) -> Status {
    const std::string where = words[1] + ": line " + std::to_string(line);
    if (line == 1) {
      if (!cells.empty()) StripUtf8Bom(cells[0]);
      for (size_t c = 0; c < cells.size(); ++c) column[cells[c]] = c;
      for (const char* required : {"code", "prefecture", "name"}) {
        if (!column.contains(required))
          return Status::InvalidArgument("app.column_missing", required).WithContext(where);
      }
      return Status::Ok();
    }
    auto cell = [&](const char* name) -> std::string {
      auto found = column.find(name);
      return found == column.end() || found->second >= cells.size() ? "" : cells[found->second];
    };
    Result<std::string> code =
        partners::ValidateLocalGovernmentCode(cell("code"), where + ": code");
    if (!code.ok()) return code.status();
    if (cell("name").empty())
      return Status::InvalidArgument("app.name_empty", "name").WithContext(where);
    if (cell("prefecture").empty())
      return Status::InvalidArgument("app.prefecture_empty", "prefecture").WithContext(where);
    partners.push_back({*code, cell("prefecture"), cell("name"), ""});
    if (!cell("agreement_type").empty()) {
      agreements.push_back({*code, cell("agreement_type"), cell("agreement_title"),
                            cell("signed_on"), "active", words[1]});
    }
    return Status::Ok();
  });
  if (!read.ok()) return Fail(err, read);
  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  if (Status imported = partners::ImportPartners(**database, partners, agreements, "cli");
      !imported.ok())
    return Fail(err, imported);
  out << partners.size() << "\n";
  return 0;
}

}  // namespace civicdesk::app
