#include "app/cli.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stop_token>
#include <thread>

#include "app/analysis_commands.h"
#include "app/facilities_commands.h"
#include "app/import_commands.h"
#include "app/messages.h"
#include "app/modules.h"
#include "app/partners_commands.h"
#include "app/serve_command.h"
#include "consultation/corrections.h"
#include "consultation/pdf_export.h"
#include "consultation/publication.h"
#include "consultation/published_text.h"
#include "consultation/publishing.h"
#include "consultation/results_import.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "consultation/xlsx_export.h"
#include "core/date.h"
#include "core/log.h"
#include "http/client_address.h"
#include "http/server.h"
#include "plan/actuals.h"
#include "plan/administrative_evaluation.h"
#include "plan/evaluation.h"
#include "plan/import_columns.h"
#include "storage/backup.h"
#include "storage/migrations.h"

namespace civicdesk::app {
namespace {

// Each command's synopsis (its syntax) and the catalog id of what it does.
struct CommandUsage {
  const char* synopsis;
  const char* description;
};

constexpr CommandUsage kCommands[] = {
    {"  serve       --db URL [--host 127.0.0.1] [--port 8080] [--threads N] [--secure-cookies]\n"
     "              [--submit-limit 20] [--public-url https://HOST] [--trusted-proxy ADDRESS]\n"
     "              [--personal-data-days N] [--timeout 30] [--max-connections 10000]\n"
     "              [--smtp-url smtp://HOST:PORT] [--mail-from ADDRESS] [--smtp-ca FILE]\n"
     "              [--smtp-retry-seconds 60]",
     "app.usage_serve"},
    {"  db migrate  --db URL", "app.usage_db_migrate"},
    {"  db status   --db URL", "app.usage_db_status"},
    {"  db check    --db URL", "app.usage_db_check"},
    {"  db backup   FILE --db URL", "app.usage_db_backup"},
    {"  db restore  FILE --db URL [--force]", "app.usage_db_restore"},
    {"  user add    --db URL --login NAME --name DISPLAY_NAME --role admin|publisher|section\n"
     "              [--department DEPARTMENT --section SECTION] [--password-file FILE]",
     "app.usage_user_add"},
    {"  consultation create --db URL --title TEXT --opens YYYY-MM-DD --closes YYYY-MM-DD\n"
     "              [--draft TEXT] [--fields \"FIELD1|FIELD2\"] [--minimum-days 30]",
     "app.usage_consultation_create"},
    {"  consultation purge-personal-data --db URL --days N", "app.usage_consultation_purge"},
    {"  import results FILE.txt|.csv|.tsv|.xlsx --db URL [--dry-run] [--mapping FILE.json]\n"
     "              [--ignore-column NAME]... [--progress] [--issuer KIND] [--issuer-name NAME]",
     "app.usage_import_results"},
    {"  import opinions FILE.csv|.tsv|.xlsx --db URL [--title TEXT] [--dry-run]\n"
     "              [--mapping FILE.json] [--ignore-column NAME]... [--progress]",
     "app.usage_import_opinions"},
    {"  analyze ID --db URL [--json] [--save-groups] [--evaluate] [--group-threshold 0.1]\n"
     "              [--near-duplicate-threshold 0.6] [--min-campaign-size 3]",
     "app.usage_analyze"},
    {"  publish ID --db URL [--format tsv|csv|xlsx|pdf] [--output FILE] [--collapse-form-letters]\n"
     "              [--close-early YYYY-MM-DD]",
     "app.usage_publish"},
    {"  kpi set-actual CODE --fiscal-year YYYY (--value N | --survey 3.9/23.7/53.3/9.8/3.5/5.7)\n"
     "              --db URL [--source TEXT] [--segment 在住|在勤 (a KPI with segments)]",
     "app.usage_kpi_set_actual"},
    {"  kpi import FILE (--db URL | --dry-run) [--mapping FILE.json] [--ignore-column NAME]...",
     "app.usage_kpi_import"},
    {"  kpi set-owner CODE --department DEPARTMENT --section SECTION --db URL",
     "app.usage_kpi_set_owner"},
    {"  evaluation import FILE --dataset NAME --db URL [--dry-run] [--mapping FILE.json] "
     "[--ignore-column NAME]",
     "app.usage_evaluation_import"},
    {"  facilities project (--input FILE.csv|FILE.xlsx | --db URL)\n"
     "              [--policy soumu|longlife80|FILE.json] [--from 2025] [--years 40]\n"
     "              [--by category|district|facility|kind] [--format csv|xlsx|works]\n"
     "              [--output FILE]",
     "app.usage_facilities_project"},
    {"  facilities level (--input FILE | --db URL) [--policy ...] [--from] [--years]\n"
     "              [--cap-yen N] [--heuristic] [--format text|json]",
     "app.usage_facilities_level"},
    {"  facilities import FILE (--db URL | --dry-run) [--mapping FILE.json]\n"
     "              [--ignore-column NAME]... [--progress]",
     "app.usage_facilities_import"},
    {"  facilities export --db URL [--format csv|xlsx] [--output FILE]",
     "app.usage_facilities_export"},
    {"  partners import FILE (--db URL | --dry-run) [--mapping FILE.json]\n"
     "              [--ignore-column NAME]... [--progress]",
     "app.usage_partners_import"},
    {"  version", "app.usage_version"},
};

// Every command's synopsis, each followed by what it does in Japanese and in English.
std::string Usage() {
  const http::MessageCatalog& catalog = CliCatalog();
  std::string usage = Say("app.usage") + ": civicdesk COMMAND [OPTIONS]\n\n";
  for (const CommandUsage& command : kCommands) {
    usage += std::string(command.synopsis) + "\n";
    for (const char* language : {"ja", "en"})
      usage += "              " + catalog.Get(language, command.description) + "\n";
  }
  return usage + "\nDB URL: sqlite:PATH | postgresql://USER@HOST:PORT/DBNAME\n";
}

}  // namespace

std::string CommandUsageOf(std::string_view command) {
  const http::MessageCatalog& catalog = CliCatalog();
  std::string usage;
  for (const CommandUsage& entry : kCommands) {
    const std::string_view synopsis = entry.synopsis;
    if (synopsis.substr(2, command.size() + 1) != std::string(command) + " ") continue;
    usage += std::string(synopsis) + "\n";
    for (const char* language : {"ja", "en"})
      usage += "              " + catalog.Get(language, entry.description) + "\n";
  }
  return usage;
}

namespace {

constexpr char kVersion[] = "civicdesk 0.1.0";

// An import warning's words: text as the importer wrote it, or a Status's catalog words.
[[maybe_unused]] std::string WarningText(const std::string& warning) { return warning; }
[[maybe_unused]] std::string WarningText(const Status& warning) { return Words(warning); }

// civicdesk consultation purge-personal-data --db URL --days N
int PurgeCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  Result<Arguments> arguments = Arguments::Parse({words.begin() + 1, words.end()}, {"db", "days"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  if (Result<std::string> days = arguments->Require("days"); !days.ok())
    return Fail(err, days.status());
  Result<int> days = ParseInt(*arguments, "days", 0, 0, 36500);
  if (!days.ok()) return Fail(err, days.status());
  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  Result<consultation::PurgeReport> purged = consultation::PurgePersonalData(
      **database, *days, NowIso8601Utc(), consultation::Actor{0, "system"});
  if (!purged.ok()) return Fail(err, purged.status());
  out << Say("app.purge_report", {{"consultations", std::to_string(purged->consultations)},
                                  {"spans", std::to_string(purged->spans)},
                                  {"contacts", std::to_string(purged->contacts)}})
      << "\n";
  return 0;
}

// civicdesk db backup FILE --db URL / db restore FILE --db URL [--force]
int BackupCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  const bool restore = words[0] == "restore";
  if (words.size() < 2 || words[1].rfind("--", 0) == 0) {
    return Fail(err, Status::InvalidArgument("app.backup_file_expected", "FILE"));
  }
  const std::string& file = words[1];
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 2, words.end()}, {"db"},
                       restore ? std::vector<std::string>{"force"} : std::vector<std::string>{});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<std::string> url = arguments->Require("db");
  if (!url.ok()) return Fail(err, url.status());
  if (!restore) {
    if (Status written = storage::BackupDatabase(*url, file); !written.ok())
      return Fail(err, written);
    out << Say("app.backup_written", {{"file", file}}) << "\n";
    return 0;
  }
  if (Status restored = storage::RestoreDatabase(*url, file, arguments->Has("force"));
      !restored.ok()) {
    return Fail(err, restored);
  }
  out << Say("app.backup_restored", {{"file", file}}) << "\n";
  return 0;
}

int DbCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (!words.empty() && (words[0] == "backup" || words[0] == "restore"))
    return BackupCommand(words, out, err);
  if (words.empty() || (words[0] != "migrate" && words[0] != "status" && words[0] != "check")) {
    err << "civicdesk: " << Say("app.db_subcommand_expected") << "\n" << Usage();
    return 2;
  }
  Result<Arguments> arguments = Arguments::Parse({words.begin() + 1, words.end()}, {"db"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<std::unique_ptr<storage::Database>> database =
      OpenMigrated(*arguments, out, words[0] == "migrate");
  if (!database.ok()) return Fail(err, database.status());
  if (words[0] == "check") {
    // SQLite checks every page and index and the foreign keys; PostgreSQL keeps its own
    // consistency (WAL, checksums), so there the check is that the database answers.
    const bool sqlite = (*database)->backend() == storage::Backend::kSqlite;
    for (const char* sql :
         sqlite ? std::vector<const char*>{"PRAGMA integrity_check", "PRAGMA foreign_key_check"}
                : std::vector<const char*>{"SELECT 'ok'"}) {
      Result<storage::QueryResult> result = (*database)->Query(sql);
      if (!result.ok()) return Fail(err, result.status());
      const bool clean =
          std::string(sql) == "PRAGMA foreign_key_check"
              ? result->rows.empty()
              : result->rows.size() == 1 && storage::AsText(result->rows[0][0]) == "ok";
      if (!clean) {
        err << "civicdesk: " << Say("app.db_check_failed", {{"check", sql}}) << "\n";
        for (const auto& row : result->rows) err << "  " << storage::AsText(row[0]) << "\n";
        return 1;
      }
    }
    out << "ok\n";
    return 0;
  }
  if (words[0] == "status") {
    Result<std::vector<storage::AppliedMigration>> applied =
        storage::ListAppliedMigrations(**database);
    if (!applied.ok()) return Fail(err, applied.status());
    for (const storage::AppliedMigration& migration : *applied) {
      out << migration.module << "\t" << migration.version << "\t" << migration.applied_at << "\t"
          << migration.name << "\n";
    }
  }
  return 0;
}

int UserCommand(const std::vector<std::string>& words, std::istream& in, std::ostream& out,
                std::ostream& err) {
  if (words.empty() || words[0] != "add") {
    err << "civicdesk: " << Say("app.user_subcommand_expected") << "\n" << Usage();
    return 2;
  }
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 1, words.end()},
                       {"db", "login", "name", "role", "department", "section", "password-file"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  http::NewUser user;
  for (const char* required : {"login", "name", "role"}) {
    if (Result<std::string> value = arguments->Require(required); !value.ok())
      return Fail(err, value.status());
  }
  user.login = arguments->Get("login");
  user.display_name = arguments->Get("name");
  Result<http::Role> role = http::ParseRole(arguments->Get("role"));
  if (!role.ok()) return Fail(err, AsBadInput(role.status()).WithField("--role"));
  user.role = *role;
  user.department = arguments->Get("department");
  user.section = arguments->Get("section");
  if (arguments->Has("password-file")) {
    std::ifstream file(arguments->Get("password-file"));
    if (!file) {
      return Fail(err, Status::InvalidArgument("app.file_unopenable", "--password-file"));
    }
    std::getline(file, user.password);
  } else {
    std::getline(in, user.password);
  }
  if (!user.password.empty() && user.password.back() == '\r') user.password.pop_back();

  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  http::Accounts accounts(**database);
  Result<int64_t> id = accounts.Add(user);
  if (!id.ok()) {
    // Name the CLI option the failing field came from; the password comes from standard input.
    const Status failed = id.status();
    const std::string& field = failed.field();
    std::string option = field.empty() || field == "password" ? field : "--" + field;
    return Fail(err, failed.WithField(option));
  }
  out << Say("app.user_added", {{"login", user.login}, {"id", std::to_string(*id)}}) << "\n";
  return 0;
}

int ConsultationCommand(const std::vector<std::string>& words, std::ostream& out,
                        std::ostream& err) {
  if (!words.empty() && words[0] == "purge-personal-data") return PurgeCommand(words, out, err);
  if (words.empty() || words[0] != "create") {
    err << "civicdesk: " << Say("app.consultation_subcommand_expected") << "\n" << Usage();
    return 2;
  }
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 1, words.end()},
                       {"db", "title", "opens", "closes", "draft", "fields", "minimum-days"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  for (const char* required : {"title", "opens", "closes"}) {
    if (Result<std::string> value = arguments->Require(required); !value.ok())
      return Fail(err, value.status());
  }
  Result<int> minimum = ParseInt(*arguments, "minimum-days", 30, 1, 366);
  if (!minimum.ok()) return Fail(err, minimum.status());
  consultation::NewConsultation input;
  input.title = arguments->Get("title");
  input.draft_title = arguments->Get("draft");
  input.opens_on = arguments->Get("opens");
  input.closes_on = arguments->Get("closes");
  std::string fields = arguments->Get("fields");
  for (size_t start = 0; !fields.empty() && start <= fields.size();) {
    size_t end = fields.find('|', start);
    std::string field =
        fields.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!field.empty()) input.fields.push_back(field);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  consultation::Settings settings;
  settings.minimum_period_days = *minimum;
  Result<int64_t> id = consultation::CreateConsultation(**database, input, settings);
  if (!id.ok()) {
    const Status failed = id.status();
    return Fail(err, failed.field().empty() ? failed : failed.WithField("--" + failed.field()));
  }
  out << *id << "\n";
  return 0;
}

// civicdesk kpi set-actual CODE --fiscal-year 2023 --value 71.9 --db URL [--source TEXT]
// civicdesk kpi set-owner CODE --department 部 --section 課 --db URL
int KpiCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.size() < 2 ||
      (words[0] != "set-actual" && words[0] != "set-owner" && words[0] != "import") ||
      words[1].rfind("--", 0) == 0) {
    err << "civicdesk: " << Say("app.kpi_expected") << "\n";
    return 2;
  }
  const std::string& code = words[1];
  if (words[0] == "import") {
    ImportCommandSpec importer;
    importer.columns = &plan::KpiActualsColumns();
    importer.written_message = "app.actuals_imported";
    importer.needs_shipped_data = true;
    importer.run = [](storage::Database& database, std::string_view bytes,
                      const tabular::ImportOptions& options, tabular::Report* refused) {
      return plan::ImportKpiActuals(database, bytes, plan::KpiEditor{"cli", "", ""}, options,
                                    refused);
    };
    return RunImportCommand(words[1], {words.begin() + 2, words.end()}, importer, out, err);
  }
  if (words[0] == "set-owner") {
    Result<Arguments> arguments =
        Arguments::Parse({words.begin() + 2, words.end()}, {"db", "department", "section"});
    if (!arguments.ok()) return Fail(err, arguments.status());
    Result<std::string> department = arguments->Require("department");
    if (!department.ok()) return Fail(err, department.status());
    Result<std::string> section = arguments->Require("section");
    if (!section.ok()) return Fail(err, section.status());
    Result<std::unique_ptr<storage::Database>> database =
        OpenMigrated(*arguments, out, false, /*load_data=*/true);
    if (!database.ok()) return Fail(err, database.status());
    Status owned = plan::SetKpiOwner(**database, code, *department, *section, "cli");
    return owned.ok() ? 0 : Fail(err, owned);
  }
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 2, words.end()},
                       {"db", "fiscal-year", "value", "source", "survey", "segment"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<int> fiscal_year = ParseInt(*arguments, "fiscal-year", 0, 1900, 2200);
  if (!fiscal_year.ok()) return Fail(err, fiscal_year.status());
  if (!arguments->Has("fiscal-year"))
    return Fail(err, Status::InvalidArgument("app.option_required", "--fiscal-year"));
  // A satisfaction survey's distribution gives the value (満足 + まあ満足).
  std::string source = arguments->Get("source");
  if (arguments->Has("survey")) {
    if (arguments->Has("value")) {
      return Fail(err, Status::InvalidArgument("app.value_or_survey", "--survey"));
    }
    Result<std::vector<plan::SurveyAnswer>> answers =
        plan::ParseSurveyShares(arguments->Get("survey"));
    if (!answers.ok()) return Fail(err, answers.status().WithField("--survey"));
    char share[32];
    std::snprintf(share, sizeof(share), "%.1f", plan::SatisfiedShare(*answers).value_or(0));
    arguments->Set("value", share);
    // Stored with the actual, as the plan's own sources are written (data, not interface).
    source += (source.empty() ? "" : " ") + std::string("（満足+まあ満足）");
  }
  Result<std::string> value_text = arguments->Require("value");
  if (!value_text.ok()) return Fail(err, value_text.status());
  double value = 0;
  auto [end, error] =
      std::from_chars(value_text->data(), value_text->data() + value_text->size(), value);
  if (value_text->empty() || error != std::errc() ||
      end != value_text->data() + value_text->size()) {
    return Fail(
        err, Status::InvalidArgument("app.value_not_number", {{"value", *value_text}}, "--value"));
  }
  Result<std::unique_ptr<storage::Database>> database =
      OpenMigrated(*arguments, out, false, /*load_data=*/true);
  if (!database.ok()) return Fail(err, database.status());
  Status saved = plan::SetKpiActual(**database, code, *fiscal_year, value, source,
                                    plan::KpiEditor{"cli", "", ""}, arguments->Get("segment"));
  if (!saved.ok()) {
    std::string option = saved.field();  // fiscal_year → --fiscal-year
    std::replace(option.begin(), option.end(), '_', '-');
    return Fail(err, option.empty() ? saved : saved.WithField("--" + option));
  }
  Result<plan::Kpi> kpi = plan::FindKpi(**database, code);
  Result<std::vector<plan::KpiActual>> actuals = plan::ListKpiActuals(**database, code);
  if (kpi.ok() && actuals.ok()) {
    plan::KpiEvaluation evaluation = plan::EvaluateKpi(*kpi, *actuals);
    const std::string segment = arguments->Get("segment");
    out << code << " " << *fiscal_year << " " << (segment.empty() ? "" : segment + " ")
        << *value_text << " → " << plan::KpiStatusLabel(evaluation.status) << " / "
        << plan::KpiStatusName(evaluation.status) << "\n";
    // A KPI with segments: each segment's evaluation on its own line.
    for (const plan::SegmentEvaluation& part : evaluation.segments)
      out << "  " << part.segment << " → " << plan::KpiStatusLabel(part.evaluation.status) << " / "
          << plan::KpiStatusName(part.evaluation.status) << "\n";
  }
  return 0;
}

// civicdesk evaluation import FILE --dataset NAME --db URL (import_commands.h)
int EvaluationCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  return EvaluationImportCommand(words, out, err);
}

int PublishCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty() || words[0].rfind("--", 0) == 0) {
    err << "civicdesk: " << Say("app.publish_expected") << "\n" << Usage();
    return 2;
  }
  int64_t id = 0;
  auto [end, error] = std::from_chars(words[0].data(), words[0].data() + words[0].size(), id);
  if (error != std::errc() || end != words[0].data() + words[0].size() || id <= 0) {
    return Fail(err, Status::InvalidArgument("app.consultation_id_invalid", "ID"));
  }
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 1, words.end()}, {"db", "format", "output", "close-early"},
                       {"collapse-form-letters"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  std::string format = arguments->Get("format", "tsv");
  if (format != "tsv" && format != "csv" && format != "xlsx" && format != "pdf") {
    return Fail(err, Status::InvalidArgument("app.publish_format_invalid", "--format"));
  }
  if ((format == "xlsx" || format == "pdf") && !arguments->Has("output")) {
    return Fail(err, Status::InvalidArgument("app.output_required", "--output"));
  }
  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  Result<consultation::Consultation> consultation = consultation::GetConsultation(**database, id);
  if (!consultation.ok()) return Fail(err, consultation.status());
  if (consultation->state != "published") {
    // Before the period's end only with an explicit early close (the new closing day).
    consultation::PublishOptions options;
    options.close_early_on = arguments->Get("close-early");
    if (Status published =
            consultation::Publish(**database, id, consultation::Actor{0, "cli"}, options);
        !published.ok()) {
      // A bad --close-early date is a usage error (exit code 2).
      if (published.code() == StatusCode::kInvalidArgument && published.field() == "close_early_on")
        return Fail(err, published.WithField("--close-early"));
      // Refused publication is a conflict with the consultation's state (exit code 1).
      Status conflict(StatusCode::kConflict, published.message_id(), published.args(),
                      published.field() == "close_early_on" ? "--close-early" : "");
      return Fail(
          err, published.context().empty() ? conflict : conflict.WithContext(published.context()));
    }
  }
  // Once a correction was approved, every format carries the 訂正履歴.
  Result<bool> corrected = consultation::HasApprovedCorrections(**database, id);
  if (!corrected.ok()) return Fail(err, corrected.status());
  // Rows stream from the database into the writer: a million items keep memory flat.
  consultation::RowSource rows = consultation::PublishedRowSource(**database, id);
  if (arguments->Has("collapse-form-letters"))
    rows = consultation::CollapseFormLetters(std::move(rows));
  // The documents speak in the words of the consultation's issuer (市民意見, 県の考え方, …).
  const consultation::IssuerWords issuer_words =
      consultation::DocumentWords(CliCatalog(), *consultation);
  if (format == "xlsx" || format == "pdf") {
    Result<consultation::Summary> summary = consultation::Summarize(**database, id);
    if (!summary.ok()) return Fail(err, summary.status());
    const std::string output = arguments->Get("output");
    Status written =
        format == "xlsx"
            ? consultation::WriteXlsx(output, consultation->title, issuer_words, *summary, rows,
                                      *corrected)
            : consultation::WritePdf(output, consultation->title, issuer_words, *summary, rows);
    return written.ok() ? 0 : Fail(err, written);
  }
  consultation::TableFormat table =
      format == "csv" ? consultation::TableFormat::kCsv : consultation::TableFormat::kTsv;
  Status written;
  if (arguments->Has("output")) {
    std::ofstream file(arguments->Get("output"), std::ios::binary);
    if (!file) {
      return Fail(err, Status::InvalidArgument("app.file_unwritable", "--output"));
    }
    written = consultation::WriteTable(rows, table, *corrected, file, issuer_words);
  } else {
    written = consultation::WriteTable(rows, table, *corrected, out, issuer_words);
  }
  return written.ok() ? 0 : Fail(err, written);
}

}  // namespace

int Fail(std::ostream& err, const Status& status) {
  err << "civicdesk: " << Words(status) << "\n";
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<std::unique_ptr<storage::Database>> OpenMigrated(const Arguments& arguments,
                                                        std::ostream& out, bool announce,
                                                        bool load_data) {
  Result<std::string> url = arguments.Require("db");
  if (!url.ok()) return url.status();
  Result<std::unique_ptr<storage::Database>> database = storage::Database::Open(*url);
  if (!database.ok()) return database.status();
  std::vector<storage::ModuleMigrations> migrations;
  for (const http::Module& module : AllModules()) migrations.push_back(module.migrations);
  int applied = 0;
  Status prepared = (*database)->WithStartupLock([&](storage::Database& locked) -> Status {
    Result<int> migrated = storage::Migrate(locked, migrations);
    if (!migrated.ok()) return migrated.status();
    applied = *migrated;
    for (const http::Module& module : AllModules()) {
      if (!module.load_builtin_data) continue;
      if (Status loaded = module.load_builtin_data(locked); !loaded.ok())
        return loaded.WithContext(module.name);
    }
    return load_data ? LoadShippedData(locked) : Status::Ok();
  });
  if (!prepared.ok()) return prepared;
  if (announce) out << Say("app.migrations_applied", {{"count", std::to_string(applied)}}) << "\n";
  return database;
}

Result<std::unique_ptr<std::ifstream>> OpenInputFile(const std::string& path) {
  // A directory opens as a stream on Linux but reads nothing and reports a nonsense size.
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    return Status::InvalidArgument("app.file_unopenable", path);
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) return Status::InvalidArgument("app.file_unopenable", path);
  return file;
}

Status LoadShippedData(storage::Database& database) {
  for (const http::Module& module : AllModules()) {
    if (!module.load_initial_data) continue;
    if (Status loaded = module.load_initial_data(database); !loaded.ok())
      return loaded.WithContext(module.name);
  }
  return Status::Ok();
}

Result<int> ParseInt(const Arguments& arguments, const std::string& name, int fallback, int low,
                     int high) {
  if (!arguments.Has(name)) return fallback;
  std::string text = arguments.Get(name);
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < low ||
      value > high) {
    return Status::InvalidArgument(
        "app.whole_number_range",
        {{"low", std::to_string(low)}, {"high", std::to_string(high)}, {"value", text}},
        "--" + name);
  }
  return value;
}

Result<Arguments> Arguments::Parse(const std::vector<std::string>& words,
                                   const std::vector<std::string>& options,
                                   const std::vector<std::string>& flags) {
  Arguments arguments;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.rfind("--", 0) != 0 || word.size() < 3) {
      return Status::InvalidArgument("app.unexpected_argument", {{"word", word}}, word);
    }
    std::string name = word.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
      has_value = true;
    }
    bool is_flag = std::find(flags.begin(), flags.end(), name) != flags.end();
    bool is_option = std::find(options.begin(), options.end(), name) != options.end();
    if (!is_flag && !is_option) {
      return Status::InvalidArgument("app.unknown_option", "--" + name);
    }
    if (is_option && !has_value) {
      if (i + 1 >= words.size()) {
        return Status::InvalidArgument("app.option_needs_value", "--" + name);
      }
      value = words[++i];
    }
    arguments.values_[name] = is_flag ? "1" : value;
    arguments.all_values_[name].push_back(arguments.values_[name]);
  }
  return arguments;
}

std::vector<std::string> Arguments::GetAll(const std::string& name) const {
  auto found = all_values_.find(name);
  return found == all_values_.end() ? std::vector<std::string>() : found->second;
}

std::string Arguments::Get(const std::string& name, const std::string& fallback) const {
  auto found = values_.find(name);
  return found == values_.end() ? fallback : found->second;
}

Result<std::string> Arguments::Require(const std::string& name) const {
  auto found = values_.find(name);
  if (found == values_.end() || found->second.empty()) {
    return Status::InvalidArgument("app.option_required", "--" + name);
  }
  return found->second;
}

int RunCli(const std::vector<std::string>& words, std::istream& in, std::ostream& out,
           std::ostream& err) {
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    (words.empty() ? err : out) << Usage();
    return words.empty() ? 2 : 0;
  }
  const std::string& command = words[0];
  std::vector<std::string> rest(words.begin() + 1, words.end());
  if (command == "serve") return Serve(rest, out, err);
  if (command == "db") return DbCommand(rest, out, err);
  if (command == "user") return UserCommand(rest, in, out, err);
  if (command == "consultation") return ConsultationCommand(rest, out, err);
  if (command == "import") return ImportCommand(rest, out, err);
  if (command == "analyze") return AnalyzeCommand(rest, out, err);
  if (command == "publish") return PublishCommand(rest, out, err);
  if (command == "kpi") return KpiCommand(rest, out, err);
  if (command == "evaluation") return EvaluationCommand(rest, out, err);
  if (command == "facilities") return FacilitiesCommand(rest, out, err);
  if (command == "partners") return PartnersCommand(rest, out, err);
  if (command == "version" || command == "--version") {
    out << kVersion << "\n";
    return 0;
  }
  err << "civicdesk: " << Say("app.unknown_command", {{"command", command}}) << "\n" << Usage();
  return 2;
}

}  // namespace civicdesk::app
