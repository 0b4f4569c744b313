#include "app/import_commands.h"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/messages.h"
#include "consultation/import_columns.h"
#include "consultation/issuer.h"
#include "consultation/opinions_import.h"
#include "consultation/results_import.h"
#include "plan/administrative_evaluation.h"
#include "plan/evaluation_columns.h"

namespace civicdesk::app {
namespace {

// `text` on one line and at most `limit` characters (UTF-8 safe), for a report line.
std::string Shown(const std::string& text, size_t limit = 40) {
  std::string shown;
  size_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80 && ++characters > limit) return shown + "…";
    if (text[i] == '\n') {
      shown += "↵";
    } else if (text[i] != '\r') {
      shown.push_back(text[i]);
    }
  }
  return shown;
}

// Rows per second and the time left, to stderr at most once a second.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  void operator()(int64_t done, int64_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1) && done < total) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const int64_t eta =
        rate > 0 ? static_cast<int64_t>(static_cast<double>(total - done) / rate) : 0;
    err_ << "civicdesk: "
         << Say("core.import_progress", {{"done", std::to_string(done)},
                                         {"total", std::to_string(total)},
                                         {"rate", std::to_string(static_cast<int64_t>(rate))},
                                         {"eta", std::to_string(eta)}})
         << "\n";
  }

 private:
  std::ostream& err_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

Result<std::string> ReadBytes(const std::string& path) {
  CIVICDESK_ASSIGN_OR_RETURN(std::unique_ptr<std::ifstream> file, OpenInputFile(path));
  // Read straight into one string of the file's size (a stream copy held the file twice).
  std::string bytes;
  std::array<char, 1 << 16> chunk;
  if (file->seekg(0, std::ios::end); file->good()) {
    if (const std::streamoff size = file->tellg(); size > 0)
      bytes.reserve(static_cast<size_t>(size));
    file->seekg(0, std::ios::beg);
  }
  file->clear();
  while (file->read(chunk.data(), chunk.size()) || file->gcount() > 0)
    bytes.append(chunk.data(), static_cast<size_t>(file->gcount()));
  return bytes;
}

// --dry-run, --ignore-column and --mapping (a JSON file read against `spec`), as every import
// command takes them; the caller sets progress, whose Progress it owns.
Result<tabular::ImportOptions> ImportOptionsOf(const Arguments& arguments,
                                               const tabular::ImporterSpec& spec) {
  tabular::ImportOptions options;
  options.dry_run = arguments.Has("dry-run");
  options.ignored_columns = arguments.GetAll("ignore-column");
  if (arguments.Has("mapping")) {
    CIVICDESK_ASSIGN_OR_RETURN(std::string mapping_file, ReadBytes(arguments.Get("mapping")));
    Result<std::map<std::string, std::string>> mapping =
        tabular::ParseMappingJson(mapping_file, spec);
    if (!mapping.ok()) return mapping.status().WithContext(arguments.Get("mapping"));
    options.mapping = std::move(*mapping);
  }
  return options;
}

void PrintReport(std::ostream& stream, const tabular::Report& report) {
  for (const std::string& line : ReportLines(report)) stream << line << "\n";
}

// A database for a dry run without --db: an empty SQLite file, removed afterwards. The
// importers never touch it in a dry run; it only stands in for the reference they take.
class ScratchDatabase {
 public:
  ScratchDatabase()
      : path_(std::filesystem::temp_directory_path() /
              ("civicdesk-dry-run-" + std::to_string(::getpid()) + ".db")) {}
  ~ScratchDatabase() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix, ignored);
  }
  std::string url() const { return "sqlite:" + path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::vector<std::string> ReportLines(const tabular::Report& report) {
  std::vector<std::string> lines;
  lines.push_back(Say("core.import_report_file",
                      {{"format", std::string(tabular::FormatName(report.format))},
                       {"encoding", std::string(tabular::EncodingName(report.encoding))},
                       {"header_row", std::to_string(report.header_row)}}));
  lines.push_back(
      Say("core.import_report_rows", {{"read", std::to_string(report.rows_read)},
                                      {"written", std::to_string(report.rows_written)}}));
  if (report.dry_run) lines.push_back(Say("core.import_report_dry_run"));
  for (const tabular::MappedColumn& column : report.mapped) {
    lines.push_back("  " + Say(column.by_mapping ? "core.import_report_mapped_by_file"
                                                 : "core.import_report_mapped",
                               {{"header", Shown(column.header)},
                                {"column", std::to_string(column.column)},
                                {"field", column.field}}));
  }
  for (const tabular::UnusedColumn& column : report.unused) {
    lines.push_back(
        "  " + Say(column.ignored && column.has_data ? "core.import_report_ignored"
                                                     : "core.import_report_unused_empty",
                   {{"header", Shown(column.header)}, {"column", std::to_string(column.column)}}));
  }
  for (const tabular::CellChange& change : report.changes) {
    lines.push_back("  " +
                    Say("core.import_report_change", {{"row", std::to_string(change.row)},
                                                      {"column", Shown(change.column)},
                                                      {"before", Shown(change.before)},
                                                      {"after", Shown(change.after)},
                                                      {"reason", ""}}) +
                    " (" + Say(change.reason) + ")");
  }
  if (report.repeated_headers > 0) {
    lines.push_back("  " + Say("core.import_report_repeated_headers",
                               {{"count", std::to_string(report.repeated_headers)}}));
  }
  for (const tabular::Note& note : report.notes_above) {
    lines.push_back("  " + Say("core.import_report_note_above", {{"row", std::to_string(note.row)},
                                                                 {"text", Shown(note.text, 60)}}));
  }
  for (const tabular::Note& note : report.notes_below) {
    lines.push_back("  " + Say("core.import_report_note_below", {{"row", std::to_string(note.row)},
                                                                 {"text", Shown(note.text, 60)}}));
  }
  for (const Status& warning : report.warnings)
    lines.push_back("  " + Say("core.import_report_warning") + ": " + Words(warning));
  for (const Status& error : report.errors)
    lines.push_back("  " + Say("core.import_report_error") + ": " + Words(error));
  if (!report.errors.empty()) {
    lines.push_back(
        Say("core.import_report_errors", {{"count", std::to_string(report.errors.size())}}));
  }
  return lines;
}

int RunImportCommand(const std::string& path, const std::vector<std::string>& words,
                     const ImportCommandSpec& importer, std::ostream& out, std::ostream& err) {
  Result<Arguments> arguments =
      Arguments::Parse(words, {"db", "mapping", "ignore-column"}, {"dry-run", "progress"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<std::string> bytes = ReadBytes(path);
  if (!bytes.ok()) return Fail(err, bytes.status());
  Result<tabular::ImportOptions> read_options = ImportOptionsOf(*arguments, *importer.columns);
  if (!read_options.ok()) return Fail(err, read_options.status());
  tabular::ImportOptions settings = std::move(*read_options);
  Progress progress(err, arguments->Has("progress") || (&err == &std::cerr && ::isatty(2) == 1));
  settings.progress = [&progress](int64_t done, int64_t total) { progress(done, total); };

  ScratchDatabase scratch;
  const bool scratched = settings.dry_run && !arguments->Has("db");
  if (scratched) arguments->Set("db", scratch.url());
  Result<std::unique_ptr<storage::Database>> database =
      scratched && !importer.needs_shipped_data
          ? storage::Database::Open(arguments->Get("db"))
          : OpenMigrated(*arguments, out, false, importer.needs_shipped_data);
  if (!database.ok()) return Fail(err, database.status());
  tabular::Report refused;
  Result<tabular::Report> report = importer.run(**database, *bytes, settings, &refused);
  if (!report.ok()) {
    if (!refused.errors.empty()) {
      PrintReport(err, refused);
      return 2;
    }
    return Fail(err, report.status().WithContext(path));
  }
  PrintReport(settings.dry_run ? out : err, *report);
  if (!settings.dry_run) {
    out << Say(importer.written_message, {{"count", std::to_string(report->rows_written)}}) << "\n";
  }
  return 0;
}

int ImportCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  const bool results = !words.empty() && words[0] == "results";
  const bool opinions = !words.empty() && words[0] == "opinions";
  if ((!results && !opinions) || words.size() < 2 || words[1].rfind("--", 0) == 0) {
    err << "civicdesk: "
        << Say(opinions ? "app.import_opinions_expected" : "app.import_results_expected") << "\n";
    return 2;
  }
  const std::string& path = words[1];
  std::vector<std::string> option_names = {"db", "mapping", "ignore-column"};
  if (opinions) option_names.push_back("title");
  if (results) option_names.insert(option_names.end(), {"issuer", "issuer-name"});
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 2, words.end()}, option_names, {"dry-run", "progress"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  // Checked before anything is read: a bad --issuer must not leave an imported result behind.
  if (Status issuer = consultation::CheckIssuer(arguments->Get("issuer", "ward"),
                                                arguments->Get("issuer-name"));
      !issuer.ok()) {
    return Fail(err,
                issuer.WithField(issuer.field() == "issuer_kind" ? "--issuer" : "--issuer-name"));
  }
  // Opinions are read from the file a part at a time (a docket of a million is 300 MB); the
  // file is only opened here, so that a missing one is refused before anything else.
  Result<std::string> bytes = std::string();
  if (results) {
    bytes = ReadBytes(path);
  } else if (Result<std::unique_ptr<std::ifstream>> file = OpenInputFile(path); !file.ok()) {
    bytes = file.status();
  }
  if (!bytes.ok()) return Fail(err, bytes.status());

  const tabular::ImporterSpec& spec =
      results ? consultation::ResultsColumns() : consultation::OpinionsColumns();
  Result<tabular::ImportOptions> read_options = ImportOptionsOf(*arguments, spec);
  if (!read_options.ok()) return Fail(err, read_options.status());
  tabular::ImportOptions options = std::move(*read_options);
  Progress progress(err, arguments->Has("progress") || (&err == &std::cerr && ::isatty(2) == 1));
  options.progress = [&progress](int64_t done, int64_t total) { progress(done, total); };

  ScratchDatabase scratch;
  if (options.dry_run && !arguments->Has("db")) arguments->Set("db", scratch.url());
  Result<std::unique_ptr<storage::Database>> database =
      options.dry_run ? storage::Database::Open(arguments->Get("db"))
                      : OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());

  const consultation::Actor actor{0, "cli"};
  tabular::Report refused;
  Result<tabular::Report> report = Status::Ok();
  int64_t consultation_id = 0;
  std::vector<Status> warnings;
  if (results) {
    Result<consultation::ImportReport> imported =
        consultation::ImportResults(**database, *bytes, actor, options, &refused);
    if (imported.ok()) {
      consultation_id = imported->consultation_id;
      warnings = imported->warnings;
      report = std::move(imported->table);
      // --issuer / --issuer-name say whose words the result uses when the file does not.
      if (!options.dry_run && (arguments->Has("issuer") || arguments->Has("issuer-name"))) {
        if (Status set = consultation::SetIssuer(**database, consultation_id,
                                                 arguments->Get("issuer", imported->issuer_kind),
                                                 arguments->Get("issuer-name"), actor);
            !set.ok()) {
          return Fail(err,
                      set.WithField(set.field() == "issuer_kind" ? "--issuer" : "--issuer-name"));
        }
        std::erase_if(warnings, [](const Status& warning) {
          return warning.message_id() == "consultation.results_issuer_unknown";
        });
      }
    } else {
      report = imported.status();
    }
  } else {
    std::string title = arguments->Get("title", path);
    if (size_t slash = title.rfind('/'); !arguments->Has("title") && slash != std::string::npos)
      title = title.substr(slash + 1);
    Result<consultation::OpinionsImportReport> imported = consultation::ImportOpinionsFrom(
        **database, tabular::ByteSource{{}, path}, title, actor, options, &refused);
    if (imported.ok()) {
      consultation_id = imported->consultation_id;
      report = std::move(imported->table);
    } else {
      report = imported.status();
    }
  }
  if (!report.ok()) {
    if (!refused.errors.empty()) {
      PrintReport(err, refused);
      return 2;
    }
    return Fail(err, report.status().WithContext(path));
  }
  for (const Status& warning : warnings) report->warnings.push_back(warning);
  PrintReport(options.dry_run ? out : err, *report);
  if (!options.dry_run) {
    err << "civicdesk: "
        << Say("app.items_imported", {{"count", std::to_string(report->rows_written)}}) << "\n";
    out << consultation_id << "\n";
  }
  return 0;
}

int EvaluationImportCommand(const std::vector<std::string>& words, std::ostream& out,
                            std::ostream& err) {
  if (words.size() < 2 || words[0] != "import" || words[1].rfind("--", 0) == 0) {
    err << "civicdesk: " << Say("app.evaluation_import_expected") << "\n";
    return 2;
  }
  const std::string& path = words[1];
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 2, words.end()},
                       {"db", "dataset", "mapping", "ignore-column"}, {"dry-run", "progress"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<std::string> dataset = arguments->Require("dataset");
  if (!dataset.ok()) return Fail(err, dataset.status());
  Result<std::string> bytes = ReadBytes(path);
  if (!bytes.ok()) return Fail(err, bytes.status());
  Result<tabular::ImportOptions> read_options =
      ImportOptionsOf(*arguments, plan::EvaluationColumns());
  if (!read_options.ok()) return Fail(err, read_options.status());
  tabular::ImportOptions options = std::move(*read_options);
  Progress progress(err, arguments->Has("progress") || (&err == &std::cerr && ::isatty(2) == 1));
  options.progress = [&progress](int64_t done, int64_t total) { progress(done, total); };
  ScratchDatabase scratch;
  if (options.dry_run && !arguments->Has("db")) arguments->Set("db", scratch.url());
  Result<std::unique_ptr<storage::Database>> database =
      options.dry_run ? storage::Database::Open(arguments->Get("db"))
                      : OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  tabular::Report refused;
  Result<tabular::Report> report =
      plan::ImportProjectEvaluations(**database, *bytes, *dataset, "cli", options, &refused);
  if (!report.ok()) {
    if (!refused.errors.empty()) {
      PrintReport(err, refused);
      return 2;
    }
    return Fail(err, report.status().WithContext(path));
  }
  PrintReport(options.dry_run ? out : err, *report);
  if (!options.dry_run) {
    out << Say("app.evaluations_imported", {{"count", std::to_string(report->rows_written)}})
        << "\n";
  }
  return 0;
}

}  // namespace civicdesk::app
