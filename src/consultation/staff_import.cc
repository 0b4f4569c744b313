// The staff import page (/staff/imports): upload a file of opinions (into a consultation) or a
// published result (a new consultation), map its columns with a preview of the first rows,
// check, and confirm. The file stays server-side (import_uploads.h); every step runs the
// importers of the command line through the shared pipeline (core/tabular_import.h), so a
// column that carries data and maps to nothing refuses the confirmation until it is mapped or
// ignored, whatever the form sent.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/import_columns.h"
#include "consultation/import_uploads.h"
#include "consultation/opinions_import.h"
#include "consultation/publishing.h"
#include "consultation/results_import.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "http/message.h"
#include "http/multipart.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr size_t kPreviewRows = 5;
constexpr std::string_view kIgnore = "ignore";
constexpr std::string_view kFieldPrefix = "field:";

const tabular::ImporterSpec& SpecOf(const ImportUpload& upload) {
  return upload.kind == "results" ? ResultsColumns() : OpinionsColumns();
}

std::string ImportAddress(const std::string& token) { return "/staff/imports/" + token; }

// 「列N」: the name the pipeline gives a column without a header; such a column can only be
// ignored (mapping goes by header).
bool HasHeader(const std::string& name, size_t number) {
  return name != "列" + std::to_string(number);
}

// The field the importer's synonym table gives `header`, or "".
std::string SynonymField(const std::string& header, const tabular::ImporterSpec& spec) {
  const std::string key = tabular::HeaderKey(header);
  for (const tabular::FieldSpec& field : spec.fields) {
    if (tabular::HeaderKey(field.field) == key) return field.field;
    for (const std::string& synonym : field.headers)
      if (tabular::HeaderKey(synonym) == key) return field.field;
  }
  return "";
}

// The staff member's choice for each column of the mapping form (column_N: field:NAME, ignore,
// or nothing), as the pipeline's options. InvalidArgument naming column_N for a field the
// importer does not have.
Result<tabular::ImportOptions> OptionsFromForm(const std::map<std::string, std::string>& form,
                                               const std::vector<std::string>& columns,
                                               const tabular::ImporterSpec& spec) {
  tabular::ImportOptions options;
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string name = "column_" + std::to_string(c + 1);
    auto chosen = form.find(name);
    if (chosen == form.end() || chosen->second.empty()) continue;
    const std::string& header = columns[c];
    if (chosen->second == kIgnore) {
      if (HasHeader(header, c + 1)) options.mapping[header] = "";
      options.ignored_columns.push_back(header);
      continue;
    }
    const std::string field = chosen->second.rfind(kFieldPrefix, 0) == 0
                                  ? chosen->second.substr(kFieldPrefix.size())
                                  : std::string();
    const bool known = std::any_of(spec.fields.begin(), spec.fields.end(),
                                   [&](const tabular::FieldSpec& f) { return f.field == field; });
    if (!known || !HasHeader(header, c + 1)) {
      return Status::InvalidArgument("consultation.import_choice_invalid",
                                     {{"column", std::to_string(c + 1)}}, name);
    }
    // What the synonyms say already is no choice (the report marks only real choices).
    if (SynonymField(header, spec) != field) options.mapping[header] = field;
  }
  return options;
}

// The words of a pipeline message on the web: the command line's advice (--mapping,
// --ignore-column) becomes the page's.
std::string WebWords(const RequestContext& context, const Status& status) {
  if (status.message_id() == "core.import_unmapped_column" ||
      status.message_id() == "core.import_column_missing") {
    Status web(status.code(), "consultation.web_" + status.message_id().substr(5), status.args(),
               status.field());
    return context.Format(web);
  }
  return context.Format(status);
}

// 「3列目「受付日」」 / "column 3 “受付日”"; 「5行目」 / "row 5".
std::string ColumnLabel(const RequestContext& context, int64_t column, const std::string& header) {
  return context.Format(Status(StatusCode::kOk, "consultation.import_column_label",
                               {{"column", std::to_string(column)}, {"header", header}}));
}
std::string RowLabel(const RequestContext& context, int64_t row) {
  return context.Format(
      Status(StatusCode::kOk, "consultation.import_row_label", {{"row", std::to_string(row)}}));
}

json Messages(const RequestContext& context, const std::vector<Status>& statuses) {
  json list = json::array();
  for (const Status& status : statuses)
    list.push_back({{"where", status.field()}, {"words", WebWords(context, status)}});
  return list;
}

// What the report template (consultation/import_report) reads.
json ReportView(const RequestContext& context, const tabular::Report& report) {
  json mapped = json::array();
  for (const tabular::MappedColumn& column : report.mapped) {
    mapped.push_back({{"label", ColumnLabel(context, column.column, column.header)},
                      {"field", context.Message("import_field_" + column.field)},
                      {"by_mapping", column.by_mapping}});
  }
  json unused = json::array();
  for (const tabular::UnusedColumn& column : report.unused) {
    unused.push_back({{"label", ColumnLabel(context, column.column, column.header)},
                      {"has_data", column.has_data},
                      {"ignored", column.ignored}});
  }
  json changes = json::array();
  for (const tabular::CellChange& change : report.changes) {
    changes.push_back({{"row", change.row},
                       {"column", change.column},
                       {"before", change.before},
                       {"after", change.after},
                       {"reason", context.Message(change.reason)}});
  }
  auto notes = [&context](const std::vector<tabular::Note>& list) {
    json out = json::array();
    for (const tabular::Note& note : list)
      out.push_back({{"label", RowLabel(context, note.row)}, {"text", note.text}});
    return out;
  };
  return {{"format", std::string(tabular::FormatName(report.format))},
          {"encoding", std::string(tabular::EncodingName(report.encoding))},
          {"header_row", report.header_row},
          {"rows_read", report.rows_read},
          {"rows_written", report.rows_written},
          {"dry_run", report.dry_run},
          {"mapped", mapped},
          {"unused", unused},
          {"changes", changes},
          {"has_changes", !changes.empty()},
          {"notes_above", notes(report.notes_above)},
          {"notes_below", notes(report.notes_below)},
          {"repeated_headers", report.repeated_headers},
          {"has_repeated_headers", report.repeated_headers > 0},
          {"has_unused", !unused.empty()},
          {"has_notes_above", !report.notes_above.empty()},
          {"has_notes_below", !report.notes_below.empty()},
          {"has_warnings", !report.warnings.empty()},
          {"warnings", Messages(context, report.warnings)},
          {"errors", Messages(context, report.errors)},
          {"has_errors", !report.errors.empty()}};
}

// The mapping form: every column with its header, its field (a select), whether it needs a
// decision, and its first values; the preview table of the first rows as the file has them.
json MappingView(const RequestContext& context, const tabular::Report& survey,
                 const tabular::ImporterSpec& spec) {
  json columns = json::array();
  for (size_t c = 0; c < survey.columns.size(); ++c) {
    const auto number = static_cast<int64_t>(c + 1);
    std::string field;
    for (const tabular::MappedColumn& mapped : survey.mapped)
      if (mapped.column == number) field = mapped.field;
    bool has_data = false;
    bool ignored = false;
    for (const tabular::UnusedColumn& unused : survey.unused) {
      if (unused.column != number) continue;
      has_data = unused.has_data;
      ignored = unused.ignored;
    }
    const bool needs_decision = field.empty() && has_data && !ignored;
    const bool header = HasHeader(survey.columns[c], c + 1);
    json options = json::array();
    options.push_back({{"value", ""},
                       {"label", context.Message("import_choice_none")},
                       {"selected", field.empty() && !ignored}});
    if (header) {
      for (const tabular::FieldSpec& spec_field : spec.fields) {
        options.push_back({{"value", std::string(kFieldPrefix) + spec_field.field},
                           {"label", context.Message("import_field_" + spec_field.field)},
                           {"selected", spec_field.field == field}});
      }
    }
    options.push_back({{"value", std::string(kIgnore)},
                       {"label", context.Message("import_choice_ignore")},
                       {"selected", ignored || (field.empty() && !has_data)}});
    json values = json::array();
    for (const tabular::SourceRow& row : survey.preview)
      values.push_back(c < row.cells.size() ? row.cells[c] : "");
    columns.push_back({{"label", ColumnLabel(context, number, survey.columns[c])},
                       {"name", "column_" + std::to_string(number)},
                       {"header", survey.columns[c]},
                       {"options", options},
                       {"needs_decision", needs_decision},
                       {"has_values", !values.empty()},
                       {"values", values}});
  }
  json rows = json::array();
  for (const tabular::SourceRow& row : survey.preview) {
    json cells = json::array();
    for (size_t c = 0; c < survey.columns.size(); ++c)
      cells.push_back(c < row.cells.size() ? row.cells[c] : "");
    rows.push_back({{"line", row.line}, {"cells", cells}});
  }
  return {{"columns", columns}, {"preview_rows", rows}, {"headers", survey.columns}};
}

// Reads the upload as the mapping step sees it, with `options` (the form's choices).
Result<tabular::Table> Survey(const ImportUpload& upload, tabular::ImportOptions options) {
  options.for_mapping = true;
  options.preview_rows = kPreviewRows;
  options.dry_run = true;
  return tabular::ReadTable(upload.bytes, SpecOf(upload), options);
}

// The upload's columns as named by the file's header, before any choice.
Result<std::vector<std::string>> ColumnsOf(const ImportUpload& upload) {
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table table, Survey(upload, {}));
  return table.report.columns;
}

// The importer, as the command line runs it; `report` is what it read (also when it refused).
Result<int64_t> RunImporter(storage::Database& database, const ImportUpload& upload,
                            const Actor& actor, const tabular::ImportOptions& options,
                            tabular::Report& report) {
  if (upload.kind == "results") {
    Result<ImportReport> imported = ImportResults(database, upload.bytes, actor, options, &report);
    if (!imported.ok()) return imported.status();
    report = imported->table;
    for (const Status& warning : imported->warnings) report.warnings.push_back(warning);
    return imported->consultation_id;
  }
  Result<OpinionsImportReport> imported =
      ImportOpinionsInto(database, upload.consultation_id, upload.bytes, actor, options, &report);
  if (!imported.ok()) return imported.status();
  report = imported->table;
  return imported->consultation_id;
}

// The mapping page of `token`: the survey under `options`, what the last check or
// confirmation said (`checked`, `error`), answered with `status`.
Result<Response> RenderMapping(RequestContext& context, const std::string& token,
                               const ImportUpload& upload, const tabular::ImportOptions& options,
                               const tabular::Report* checked, const Status& error, int status) {
  storage::Database& database = context.app().database();
  json data = {{"token", token},
               {"address", ImportAddress(token)},
               {"filename", upload.filename},
               {"results", upload.kind == "results"},
               {"imported", upload.state != "pending"},
               {"has_imported_consultation", upload.imported_consultation_id != 0},
               {"imported_consultation_id", upload.imported_consultation_id},
               {"rows_written", upload.rows_written}};
  if (upload.kind == "opinions") {
    CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                               GetConsultation(database, upload.consultation_id));
    data["consultation"] = {{"id", consultation.id}, {"title", consultation.title}};
  }
  Result<tabular::Table> survey = Survey(upload, options);
  if (survey.ok()) {
    data["mapping"] = MappingView(context, survey->report, SpecOf(upload));
    data["survey"] = ReportView(context, survey->report);
  } else {
    data["unreadable"] = WebWords(context, survey.status());
    status = status == 200 ? HttpStatusFor(survey.status().code()) : status;
  }
  if (checked != nullptr) data["check"] = ReportView(context, *checked);
  if (!error.ok()) data["error"] = {{"where", error.field()}, {"words", WebWords(context, error)}};
  return context.Page("consultation/staff_import_mapping", context.Message("import_mapping_title"),
                      data, status);
}

}  // namespace

Result<Response> ImportPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  json open = json::array();
  for (const Consultation& consultation : consultations) {
    if (consultation.state == "published") continue;
    open.push_back({{"id", consultation.id}, {"title", consultation.title}});
  }
  return context.Page("consultation/staff_import", context.Message("import_title"),
                      {{"consultations", open}, {"max_kb", kMaxImportUploadBytes / 1000}});
}

Result<Response> UploadImport(RequestContext& context) {
  const http::Request& request = context.request();
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::FormPart> parts,
                             http::ParseMultipart(request.body, request.Header("content-type")));
  ImportUpload upload;
  bool has_file = false;
  for (http::FormPart& part : parts) {
    if (part.name == "kind") upload.kind = part.body;
    if (part.name == "consultation") {
      std::optional<int64_t> id = ParseWholeNumber(TrimSpaces(part.body));
      upload.consultation_id = id.value_or(0);
    }
    if (part.name == "file" && part.is_file) {
      has_file = !part.body.empty();
      upload.filename = part.filename;
      upload.bytes = std::move(part.body);
    }
  }
  if (upload.kind != "opinions" && upload.kind != "results")
    return Status::InvalidArgument("consultation.import_kind_invalid", "kind");
  if (!has_file) return Status::InvalidArgument("consultation.import_file_required", "file");
  if (upload.bytes.size() > kMaxImportUploadBytes) {
    return Status(StatusCode::kInvalidArgument, "consultation.import_file_too_large",
                  {{"kb", std::to_string(kMaxImportUploadBytes / 1000)}}, "file");
  }
  if (!IsValidUtf8(upload.filename)) upload.filename.clear();
  storage::Database& database = context.app().database();
  if (upload.kind == "opinions") {
    if (upload.consultation_id <= 0)
      return Status::InvalidArgument("consultation.import_consultation_required", "consultation");
    CIVICDESK_RETURN_IF_ERROR(GetConsultation(database, upload.consultation_id).status());
    CIVICDESK_RETURN_IF_ERROR(RefuseIfConsultationPublished(database, upload.consultation_id,
                                                            "consultation.import_published"));
  } else {
    upload.consultation_id = 0;
  }
  CIVICDESK_ASSIGN_OR_RETURN(std::string token,
                             SaveImportUpload(database, ActorOf(context).user_id, upload));
  return http::RedirectResponse(ImportAddress(token));
}

Result<Response> ImportMappingPage(RequestContext& context) {
  const std::string token = context.request().PathParam("token");
  CIVICDESK_ASSIGN_OR_RETURN(ImportUpload upload, GetImportUpload(context.app().database(), token,
                                                                  ActorOf(context).user_id));
  return RenderMapping(context, token, upload, {}, nullptr, Status::Ok(), 200);
}

// action=check: the importer's dry run under the form's mapping (never writes);
// action=confirm: the import itself, once per upload (a second is 409).
Result<Response> ConfirmImport(RequestContext& context) {
  const std::string token = context.request().PathParam("token");
  storage::Database& database = context.app().database();
  const Actor actor = ActorOf(context);
  CIVICDESK_ASSIGN_OR_RETURN(ImportUpload upload, GetImportUpload(database, token, actor.user_id));
  std::map<std::string, std::string> form = context.request().Form();
  const bool confirm = form["action"] == "confirm";
  if (!confirm && form["action"] != "check")
    return Status::InvalidArgument("consultation.import_action_invalid", "action");
  if (upload.state != "pending") return Status::Conflict("consultation.import_already_confirmed");
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<std::string> columns, ColumnsOf(upload));
  Result<tabular::ImportOptions> options = OptionsFromForm(form, columns, SpecOf(upload));
  if (!options.ok())
    return RenderMapping(context, token, upload, {}, nullptr, options.status(), 422);
  options->dry_run = !confirm;
  tabular::Report report;
  if (!confirm) {
    Result<int64_t> checked = RunImporter(database, upload, actor, *options, report);
    return RenderMapping(context, token, upload, *options, &report, checked.status(),
                         checked.ok() ? 200 : 422);
  }
  CIVICDESK_RETURN_IF_ERROR(ClaimImportUpload(database, token));
  Result<int64_t> imported = RunImporter(database, upload, actor, *options, report);
  if (!imported.ok()) {
    CIVICDESK_RETURN_IF_ERROR(FinishImportUpload(database, token, 0, 0));
    const int status = HttpStatusFor(imported.status().code());
    return RenderMapping(context, token, upload, *options, &report, imported.status(),
                         status >= 500 ? status : (status == 409 ? 409 : 422));
  }
  CIVICDESK_RETURN_IF_ERROR(FinishImportUpload(database, token, *imported, report.rows_written));
  return context.Page(
      "consultation/staff_import_done", context.Message("import_done_title"),
      {{"consultation_id", *imported},
       {"lead", context.Format(Status(StatusCode::kOk, "consultation.import_done_lead",
                                      {{"count", std::to_string(report.rows_written)}}))},
       {"filename", upload.filename},
       {"report", ReportView(context, report)}});
}

}  // namespace civicdesk::consultation
