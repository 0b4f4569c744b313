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
#include "http/import_views.h"
#include "http/message.h"
#include "http/multipart.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr size_t kPreviewRows = 5;
// The message key of each field on the page: import_field_ + field.
constexpr std::string_view kFieldMessages = "import_field_";
const tabular::ImporterSpec& SpecOf(const ImportUpload& upload) {
  return upload.kind == "results" ? ResultsColumns() : OpinionsColumns();
}

std::string ImportAddress(const std::string& token) { return "/staff/imports/" + token; }

// Reads the upload as the mapping step sees it, with `options` (the form's choices).
Result<tabular::Table> Survey(const ImportUpload& upload, tabular::ImportOptions options) {
  options.for_mapping = true;
  options.preview_rows = kPreviewRows;
  options.dry_run = true;
  return tabular::ReadTable(upload.bytes, SpecOf(upload), options);
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
    data["mapping"] =
        http::ImportMappingView(context, survey->report, SpecOf(upload), kFieldMessages);
    data["survey"] = http::ImportReportView(context, survey->report, kFieldMessages);
  } else {
    data["unreadable"] = http::ImportWords(context, survey.status());
    status = status == 200 ? HttpStatusFor(survey.status().code()) : status;
  }
  if (checked != nullptr) data["check"] = http::ImportReportView(context, *checked, kFieldMessages);
  if (!error.ok())
    data["error"] = {{"where", error.field()}, {"words", http::ImportWords(context, error)}};
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
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table plain, Survey(upload, {}));
  Result<tabular::ImportOptions> options =
      http::ImportOptionsFromForm(form, plain.report, SpecOf(upload));
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
       {"report", http::ImportReportView(context, report, kFieldMessages)}});
}

}  // namespace civicdesk::consultation
