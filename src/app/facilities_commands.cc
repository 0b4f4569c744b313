#include "app/facilities_commands.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/import_commands.h"
#include "app/messages.h"
#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/xlsx_writer.h"
#include "facilities/import_columns.h"
#include "facilities/levelling.h"
#include "facilities/registry_io.h"
#include "facilities/report.h"
#include "facilities/store.h"
#include "http/table_response.h"

namespace civicdesk::app {
namespace {

using facilities::Facility;
using facilities::LifecyclePolicy;

constexpr char kFacilitiesUsage[] =
    "civicdesk facilities project (--input FILE.csv|FILE.xlsx | --db URL)\n"
    "    [--policy soumu|longlife80|FILE.json] [--from 2025] [--years 40]\n"
    "    [--by category|district|facility|kind] [--format csv|xlsx|works] [--output FILE]\n"
    "civicdesk facilities level (--input FILE | --db URL) [--policy ...] [--from] [--years]\n"
    "    [--cap-yen N] [--heuristic] [--format text|json]\n"
    "civicdesk facilities import FILE.csv|.tsv|.xlsx (--db URL | --dry-run) [--mapping FILE.json]\n"
    "    [--ignore-column NAME]... [--progress]\n"
    "civicdesk facilities export --db URL [--format csv|xlsx] [--output FILE]\n";

int CurrentYear() { return static_cast<int>(TodayInJapan().year()); }

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<std::vector<Facility>> ReadRegistryFile(const std::string& path) {
  if (EndsWith(path, ".xlsx")) return facilities::ReadFacilitiesXlsx(path, CurrentYear());
  Result<std::unique_ptr<std::ifstream>> file = OpenInputFile(path);
  if (!file.ok()) return file.status();
  return facilities::ReadFacilitiesCsv(**file, CurrentYear());
}

// What project and level work on: the registry and the policy, from files or the database.
struct Inputs {
  std::vector<Facility> facilities;
  LifecyclePolicy policy;
  facilities::ProjectionOptions options;
};

Result<Inputs> LoadInputs(const Arguments& arguments, std::ostream& out) {
  Inputs inputs;
  const std::string policy_name = arguments.Get("policy", "soumu");
  std::unique_ptr<storage::Database> database;
  if (arguments.Has("input")) {
    Result<std::vector<Facility>> registry = ReadRegistryFile(arguments.Get("input"));
    if (!registry.ok()) return AsBadInput(registry.status()).WithContext(arguments.Get("input"));
    inputs.facilities = std::move(*registry);
  } else if (arguments.Has("db")) {
    Result<std::unique_ptr<storage::Database>> opened = OpenMigrated(arguments, out, false);
    if (!opened.ok()) return opened.status();
    database = std::move(*opened);
    Result<facilities::Registry> registry = facilities::LoadRegistry(*database);
    if (!registry.ok()) return registry.status();
    inputs.facilities = std::move(registry->facilities);
  } else {
    return Status::InvalidArgument("app.input_or_db", "--input");
  }
  if (EndsWith(policy_name, ".json")) {
    Result<std::unique_ptr<std::ifstream>> file = OpenInputFile(policy_name);
    if (!file.ok()) return file.status();
    nlohmann::json body = nlohmann::json::parse(**file, nullptr, false);
    if (body.is_discarded()) return Status::InvalidArgument("app.not_json", "--policy");
    Result<LifecyclePolicy> policy = facilities::PolicyFromJson(body);
    if (!policy.ok()) return AsBadInput(policy.status()).WithContext(policy_name);
    inputs.policy = *policy;
  } else if (database != nullptr) {
    Result<facilities::StoredPolicy> stored = facilities::FindPolicy(*database, policy_name);
    if (!stored.ok()) return AsBadInput(stored.status()).WithField("--policy");
    inputs.policy = stored->policy;
  } else if (policy_name == "soumu") {
    inputs.policy = facilities::SoumuPolicy();
  } else if (policy_name == "longlife80") {
    inputs.policy = facilities::LongLife80Policy();
  } else {
    return Status::InvalidArgument("app.policy_unknown", "--policy");
  }
  Result<int> from =
      ParseInt(arguments, "from", FiscalYear::Containing(TodayInJapan()).year(), 1990, 2200);
  if (!from.ok()) return from.status();
  Result<int> years = ParseInt(arguments, "years", 40, 1, 200);
  if (!years.ok()) return years.status();
  inputs.options = {*from, *years};
  return inputs;
}

Status WriteOutput(const Arguments& arguments, const std::string& bytes, std::ostream& out) {
  if (!arguments.Has("output")) {
    out << bytes;
    return Status::Ok();
  }
  std::ofstream file(arguments.Get("output"), std::ios::binary);
  file << bytes;
  if (!file) return Status::InvalidArgument("app.file_unwritable", "--output");
  return Status::Ok();
}

int Project(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  Result<Arguments> arguments =
      Arguments::Parse(words, {"input", "db", "policy", "from", "years", "by", "format", "output"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<Inputs> inputs = LoadInputs(*arguments, out);
  if (!inputs.ok()) return Fail(err, inputs.status());
  Result<facilities::Grouping> grouping = facilities::ParseGrouping(arguments->Get("by"));
  if (!grouping.ok()) return Fail(err, AsBadInput(grouping.status()).WithField("--by"));
  const std::string format = arguments->Get("format", "csv");
  if (format != "csv" && format != "xlsx" && format != "works") {
    return Fail(err, Status::InvalidArgument("app.project_format_invalid", "--format"));
  }
  const auto works = facilities::ScheduleWorks(inputs->facilities, inputs->policy, inputs->options);
  const auto rows =
      facilities::CostByFacilityAndYear(inputs->facilities, works, inputs->policy, inputs->options);
  const facilities::GroupedCosts costs =
      *grouping == facilities::Grouping::kWorkKind
          ? facilities::GroupCostsByWorkKind(inputs->facilities, works, inputs->policy,
                                             inputs->options)
          : facilities::GroupCosts(inputs->facilities, rows, *grouping, inputs->options);
  const std::string by = arguments->Get("by", "category");
  const std::string column = by.empty() ? "category" : by;
  std::ostringstream text;
  if (format == "works") {
    // Through the one table writer: formula cells in a facility's name are guarded.
    http::Table table;
    table.columns = {"facility_id", "facility", "kind",    "due_year",
                     "start_year",  "years",    "overdue", "cost_yen"};
    table.number_columns = {"due_year", "start_year", "years", "overdue", "cost_yen"};
    table.rows = [&](const http::DatasetRowWriter& write) -> Status {
      for (const facilities::PlannedWork& work : works) {
        const Facility& facility = inputs->facilities[work.facility];
        const int years = work.overdue ? inputs->policy.backlog_spread_years : work.duration_years;
        CIVICDESK_RETURN_IF_ERROR(write(
            {facility.id, facility.name, std::string(facilities::WorkKindName(work.kind)),
             std::to_string(work.due_year), std::to_string(work.start_year), std::to_string(years),
             work.overdue ? "1" : "0", std::to_string(work.cost_yen)}));
      }
      return Status::Ok();
    };
    if (Status written = http::WriteTable(table, http::TableFormat::kCsv, text); !written.ok())
      return Fail(err, written);
  } else if (format == "csv") {
    facilities::WriteGroupedCsv(costs, column, text);
  } else {
    if (!arguments->Has("output"))
      return Fail(err, Status::InvalidArgument("app.xlsx_needs_output", "--output"));
    XlsxSheet sheet{"将来経費", {"year", column, "cost_yen"}, {}};
    for (size_t y = 0; y < costs.Totals().size(); ++y) {
      for (size_t s = 0; s < costs.series.size(); ++s) {
        sheet.rows.push_back({std::to_string(costs.from_year + static_cast<int>(y)),
                              costs.labels[s], std::to_string(costs.series[s][y])});
      }
    }
    Result<std::string> bytes = XlsxWorkbookBytes({sheet});
    if (!bytes.ok()) return Fail(err, bytes.status());
    text << *bytes;
  }
  if (Status written = WriteOutput(*arguments, text.str(), out); !written.ok())
    return Fail(err, written);
  return 0;
}

int Level(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  Result<Arguments> arguments = Arguments::Parse(
      words, {"input", "db", "policy", "from", "years", "cap-yen", "format"}, {"heuristic"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<Inputs> inputs = LoadInputs(*arguments, out);
  if (!inputs.ok()) return Fail(err, inputs.status());
  facilities::LevellingOptions options;
  options.allow_exact = !arguments->Has("heuristic");
  if (arguments->Has("cap-yen")) {
    std::optional<int64_t> cap = ParseWholeNumber(arguments->Get("cap-yen"), 1);
    if (!cap) {
      return Fail(err, Status::InvalidArgument("app.cap_yen_invalid", "--cap-yen"));
    }
    options.yearly_cap_yen = *cap;
  }
  const std::string format = arguments->Get("format", "text");
  if (format != "text" && format != "json")
    return Fail(err, Status::InvalidArgument("app.level_format_invalid", "--format"));
  const auto works = facilities::ScheduleWorks(inputs->facilities, inputs->policy, inputs->options);
  const auto rows =
      facilities::CostByFacilityAndYear(inputs->facilities, works, inputs->policy, inputs->options);
  const facilities::LevellingResult result =
      facilities::LevelWorks(works, rows, inputs->policy, inputs->options, options);
  if (format == "json") {
    nlohmann::json moves = nlohmann::json::array();
    for (const facilities::LevellingMove& move : result.moves) {
      const facilities::PlannedWork& work = works[move.work];
      moves.push_back({{"facility_id", inputs->facilities[work.facility].id},
                       {"kind", facilities::WorkKindName(work.kind)},
                       {"from_year", move.from_year},
                       {"to_year", move.to_year},
                       {"latest_allowed", move.latest_allowed},
                       {"cost_yen", work.cost_yen},
                       {"from_year_total_before", move.from_year_total_before},
                       {"from_year_total_after", move.from_year_total_after}});
    }
    out << nlohmann::json{{"method", result.method},
                          {"proven_optimal", result.proven_optimal},
                          {"objective", result.objective},
                          {"lower_bound", result.lower_bound},
                          {"gap", result.gap},
                          {"peak_before", result.peak_before},
                          {"peak_after", result.peak_after},
                          {"excess_before", result.excess_before},
                          {"excess_after", result.excess_after},
                          {"before", result.before},
                          {"after", result.after},
                          {"moves", moves}}
               .dump(2)
        << "\n";
    return 0;
  }
  out << "method " << result.method << (result.proven_optimal ? " (optimal)" : "") << "\n"
      << "peak_yen " << result.peak_before << " -> " << result.peak_after << "\n";
  if (options.yearly_cap_yen)
    out << "excess_yen " << result.excess_before << " -> " << result.excess_after << "\n";
  char gap[32];
  std::snprintf(gap, sizeof(gap), "%.2f%%", result.gap * 100);
  out << "lower_bound_yen " << result.lower_bound << " gap " << gap << "\n";
  for (const facilities::LevellingMove& move : result.moves) {
    const facilities::PlannedWork& work = works[move.work];
    out << "move " << inputs->facilities[work.facility].id << " "
        << facilities::WorkKindName(work.kind) << " " << move.from_year << " -> " << move.to_year
        << " (latest " << move.latest_allowed << "): year " << move.from_year << " total "
        << move.from_year_total_before << " -> " << move.from_year_total_after << "\n";
  }
  return 0;
}

int Import(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty() || words[0].rfind("--", 0) == 0) {
    err << "civicdesk: " << Say("app.facilities_import_expected") << "\n" << kFacilitiesUsage;
    return 2;
  }
  ImportCommandSpec importer;
  importer.columns = &facilities::FacilitiesColumns();
  importer.written_message = "app.facilities_imported";
  importer.run = [](storage::Database& database, std::string_view bytes,
                    const tabular::ImportOptions& options, tabular::Report* refused) {
    return facilities::ImportFacilities(database, bytes, CurrentYear(), options, "cli", refused);
  };
  return RunImportCommand(words[0], {words.begin() + 1, words.end()}, importer, out, err);
}

int Export(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  Result<Arguments> arguments = Arguments::Parse(words, {"db", "format", "output"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  const std::string format = arguments->Get("format", "csv");
  if (format != "csv" && format != "xlsx")
    return Fail(err, Status::InvalidArgument("app.export_format_invalid", "--format"));
  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  Result<facilities::Registry> registry = facilities::LoadRegistry(**database);
  if (!registry.ok()) return Fail(err, registry.status());
  std::string bytes;
  if (format == "csv") {
    std::ostringstream csv;
    facilities::WriteFacilitiesCsv(registry->facilities, csv);
    bytes = csv.str();
  } else {
    if (!arguments->Has("output"))
      return Fail(err, Status::InvalidArgument("app.xlsx_needs_output", "--output"));
    XlsxSheet sheet{"施設", {}, facilities::FacilityRows(registry->facilities)};
    for (const char* column : facilities::kFacilityColumns) sheet.header.emplace_back(column);
    Result<std::string> workbook = XlsxWorkbookBytes({sheet});
    if (!workbook.ok()) return Fail(err, workbook.status());
    bytes = std::move(*workbook);
  }
  if (Status written = WriteOutput(*arguments, bytes, out); !written.ok())
    return Fail(err, written);
  return 0;
}

}  // namespace

int FacilitiesCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  const std::string sub = words.empty() ? "" : words[0];
  const std::vector<std::string> rest =
      words.empty() ? std::vector<std::string>{}
                    : std::vector<std::string>(words.begin() + 1, words.end());
  if (sub == "project") return Project(rest, out, err);
  if (sub == "level") return Level(rest, out, err);
  if (sub == "import") return Import(rest, out, err);
  if (sub == "export") return Export(rest, out, err);
  err << "civicdesk: " << Say("app.facilities_subcommand_expected") << "\n" << kFacilitiesUsage;
  return 2;
}

}  // namespace civicdesk::app
