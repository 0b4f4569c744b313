#include "surveys/population_import.h"

#include <array>
#include <set>
#include <tuple>

#include "core/number_format.h"
#include "core/text_normalize.h"
#include "surveys/store.h"

namespace civicdesk::surveys {

namespace {

Status AtLine(int64_t line, const std::string& column, std::string message_id,
              MessageArgs args = {}) {
  return Status::InvalidArgument(std::move(message_id), std::move(args))
      .WithField("line " + std::to_string(line) + ": " + column);
}

}  // namespace

const tabular::ImporterSpec& PopulationColumns() {
  static const tabular::ImporterSpec spec{
      "survey-population",
      {
          {"district", {"地区", "地区名", "地域", "総合支所", "district"}, false, false},
          {"age_band", {"年齢区分", "年齢", "年代", "年齢階級", "age_band", "age"}, false, false},
          {"residence", {"在住在勤", "在住・在勤", "在住/在勤", "区分", "residence"}, false, false},
          {"population", {"人口", "人数", "母集団", "population"}, true, true},
      }};
  return spec;
}

Result<tabular::Report> ImportPopulation(storage::Database& database, std::string_view bytes,
                                         const std::string& label,
                                         const tabular::ImportOptions& options,
                                         const std::string& login, tabular::Report* refused) {
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table table,
                             tabular::ReadTable(bytes, PopulationColumns(), options));
  Population population;
  population.label = TrimSpaces(label);
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  const std::array<const char*, 3> dimensions = {"district", "age_band", "residence"};
  for (const tabular::Record& record : table.records) {
    PopulationCell cell;
    cell.district = TrimSpaces(table.Value(record, "district"));
    cell.age_band = TrimSpaces(table.Value(record, "age_band"));
    cell.residence = TrimSpaces(table.Value(record, "residence"));
    for (const char* dimension : dimensions) {
      if (!table.Has(dimension)) continue;
      if (TrimSpaces(table.Value(record, dimension)).empty())
        table.report.errors.push_back(AtLine(record.line, dimension, "surveys.population_empty"));
    }
    std::optional<int64_t> people =
        ParseWholeNumber(TrimSpaces(table.Value(record, "population")), 0, 1'000'000'000);
    if (!people) {
      table.report.errors.push_back(AtLine(record.line, "population", "surveys.population_number"));
      continue;
    }
    cell.population = *people;
    if (!seen.insert({cell.district, cell.age_band, cell.residence}).second) {
      table.report.errors.push_back(
          AtLine(record.line, "population", "surveys.population_twice",
                 {{"cell", cell.district + " " + cell.age_band + " " + cell.residence}}));
      continue;
    }
    population.cells.push_back(std::move(cell));
  }
  if (population.label.empty())
    table.report.errors.push_back(
        Status::InvalidArgument("surveys.population_label_required", "label"));
  if (table.records.empty())
    table.report.errors.push_back(
        AtLine(table.report.header_row + 1, "population", "surveys.population_no_rows"));
  if (!table.report.errors.empty()) {
    if (refused != nullptr) *refused = table.report;
    return tabular::FirstError(table.report);
  }
  if (options.dry_run) return std::move(table.report);
  CIVICDESK_RETURN_IF_ERROR(SavePopulation(database, population, login).status());
  table.report.rows_written = static_cast<int64_t>(population.cells.size());
  return std::move(table.report);
}

http::Importer PopulationImporter() {
  http::Importer importer;
  importer.kind = "survey-population";
  importer.title = "surveys_population_import_title";
  importer.help = "surveys_population_import_help";
  importer.field_messages = "surveys_population_field_";
  importer.label_message = "surveys_population_label";
  importer.spec = PopulationColumns;
  importer.run = [](storage::Database& database, const http::ImportJob& job,
                    const tabular::ImportOptions& options, tabular::Report* refused) {
    return ImportPopulation(database, job.bytes, job.label, options, job.login, refused);
  };
  importer.result_address = "/staff/surveys";
  importer.result_label = "surveys_population_import_result";
  return importer;
}

}  // namespace civicdesk::surveys
