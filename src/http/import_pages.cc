// The site's import page for every module's importers (Module::importers, importers.h):
// /staff/imports/tables lists them, a file is uploaded for one, its columns are mapped with a
// preview of the first rows, checked (the importer's dry run) and confirmed once. The file stays
// server-side (import_uploads.h) for its uploader only; every step runs the module's own
// importer through the shared pipeline, so a column that carries data and maps to nothing
// refuses the confirmation until it is mapped or ignored, whatever the form sent.
#include <nlohmann/json.hpp>

#include "core/text_normalize.h"
#include "http/import_uploads.h"
#include "http/import_views.h"
#include "http/multipart.h"
#include "http/site_handlers.h"

namespace civicdesk::http {
namespace {

using nlohmann::json;

constexpr size_t kPreviewRows = 5;
constexpr size_t kMaxLabelBytes = 200;

std::string ImportAddress(const std::string& token) { return "/staff/imports/tables/" + token; }

// The importer of `kind`, if the signed-in staff member may use it: InvalidArgument naming
// "kind" when no module declares it, PermissionDenied when its access is above theirs.
Result<const Importer*> MayImport(RequestContext& context, const std::string& kind) {
  const Importer* importer = context.app().FindImporter(kind);
  if (importer == nullptr) return Status::InvalidArgument("http.import_kind_invalid", "kind");
  if (!context.HasAccess(importer->access))
    return Status::PermissionDenied("http.import_not_allowed");
  return importer;
}

int64_t UserId(const RequestContext& context) {
  return context.principal() ? context.principal()->user_id : 0;
}

// Reads the upload as the mapping step sees it, with `options` (the form's choices).
Result<tabular::Table> Survey(const Importer& importer, const Upload& upload,
                              tabular::ImportOptions options) {
  options.for_mapping = true;
  options.preview_rows = kPreviewRows;
  options.dry_run = true;
  return tabular::ReadTable(upload.bytes, importer.spec(), options);
}

// The module's importer; `report` is what it read, also when it refused.
Result<int64_t> Run(RequestContext& context, const Importer& importer, const Upload& upload,
                    const tabular::ImportOptions& options, tabular::Report& report) {
  ImportJob job{upload.bytes, upload.filename, upload.label,
                context.principal() ? context.principal()->login : ""};
  Result<tabular::Report> imported = importer.run(context.app().database(), job, options, &report);
  if (!imported.ok()) return imported.status();
  report = std::move(*imported);
  return report.rows_written;
}

json ImporterView(const RequestContext& context, const Importer& importer) {
  return {{"kind", importer.kind},
          {"title", context.Message(importer.title)},
          {"help", context.Message(importer.help)},
          {"has_label", !importer.label_message.empty()},
          {"label", importer.label_message.empty() ? "" : context.Message(importer.label_message)}};
}

// The mapping page of `token`: the survey under `options`, what the last check or confirmation
// said (`checked`, `error`), answered with `status`.
Response RenderMapping(RequestContext& context, const std::string& token, const Importer& importer,
                       const Upload& upload, const tabular::ImportOptions& options,
                       const tabular::Report* checked, const Status& error, int status) {
  json data = {{"address", ImportAddress(token)},
               {"filename", upload.filename},
               {"label", upload.label},
               {"has_label", !upload.label.empty()},
               {"importer", ImporterView(context, importer)},
               {"imported", upload.state != "pending"},
               {"result_address", importer.result_address},
               {"result_label", context.Message(importer.result_label)}};
  Result<tabular::Table> survey = Survey(importer, upload, options);
  if (survey.ok()) {
    data["mapping"] =
        ImportMappingView(context, survey->report, importer.spec(), importer.field_messages);
    data["survey"] = ImportReportView(context, survey->report, importer.field_messages);
  } else {
    data["unreadable"] = ImportWords(context, survey.status());
    status = status == 200 ? HttpStatusFor(survey.status().code()) : status;
  }
  if (checked != nullptr)
    data["check"] = ImportReportView(context, *checked, importer.field_messages);
  if (!error.ok())
    data["error"] = {{"where", error.field()}, {"words", ImportWords(context, error)}};
  return context.Page("http/table_import_mapping", context.Message("import_mapping_title"), data,
                      status);
}

}  // namespace

Result<Response> TableImportPage(RequestContext& context) {
  json importers = json::array();
  for (const Importer& importer : context.app().importers())
    if (context.HasAccess(importer.access)) importers.push_back(ImporterView(context, importer));
  return context.Page("http/table_import", context.Message("table_import_title"),
                      {{"importers", importers}, {"max_kb", kMaxUploadBytes / 1000}});
}

Result<Response> UploadTable(RequestContext& context) {
  const Request& request = context.request();
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FormPart> parts,
                             ParseMultipart(request.body, request.Header("content-type")));
  Upload upload;
  bool has_file = false;
  for (FormPart& part : parts) {
    if (part.name == "kind") upload.kind = part.body;
    if (part.name == "label") upload.label = TrimSpaces(part.body);
    if (part.name == "file" && part.is_file) {
      has_file = !part.body.empty();
      upload.filename = part.filename;
      upload.bytes = std::move(part.body);
    }
  }
  CIVICDESK_ASSIGN_OR_RETURN(const Importer* importer, MayImport(context, upload.kind));
  if (!has_file) return Status::InvalidArgument("http.import_file_required", "file");
  if (upload.bytes.size() > kMaxUploadBytes) {
    return Status(StatusCode::kInvalidArgument, "http.import_file_too_large",
                  {{"kb", std::to_string(kMaxUploadBytes / 1000)}}, "file");
  }
  if (importer->label_message.empty()) {
    upload.label.clear();
  } else if (upload.label.empty() || !IsValidUtf8(upload.label) ||
             upload.label.size() > kMaxLabelBytes) {
    return Status::InvalidArgument("http.import_label_required", "label");
  }
  if (!IsValidUtf8(upload.filename)) upload.filename.clear();
  CIVICDESK_ASSIGN_OR_RETURN(std::string token,
                             SaveUpload(context.app().database(), UserId(context), upload));
  return RedirectResponse(ImportAddress(token));
}

Result<Response> TableMappingPage(RequestContext& context) {
  const std::string token = context.request().PathParam("token");
  CIVICDESK_ASSIGN_OR_RETURN(Upload upload,
                             GetUpload(context.app().database(), token, UserId(context)));
  CIVICDESK_ASSIGN_OR_RETURN(const Importer* importer, MayImport(context, upload.kind));
  return RenderMapping(context, token, *importer, upload, {}, nullptr, Status::Ok(), 200);
}

// action=check: the importer's dry run under the form's mapping (never writes);
// action=confirm: the import itself, once per upload (a second is 409).
Result<Response> ConfirmTableImport(RequestContext& context) {
  const std::string token = context.request().PathParam("token");
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Upload upload, GetUpload(database, token, UserId(context)));
  CIVICDESK_ASSIGN_OR_RETURN(const Importer* importer, MayImport(context, upload.kind));
  std::map<std::string, std::string> form = context.request().Form();
  const bool confirm = form["action"] == "confirm";
  if (!confirm && form["action"] != "check")
    return Status::InvalidArgument("http.import_action_invalid", "action");
  if (upload.state != "pending") return Status::Conflict("http.import_already_confirmed");
  CIVICDESK_ASSIGN_OR_RETURN(tabular::Table plain, Survey(*importer, upload, {}));
  Result<tabular::ImportOptions> options =
      ImportOptionsFromForm(form, plain.report, importer->spec());
  if (!options.ok())
    return RenderMapping(context, token, *importer, upload, {}, nullptr, options.status(), 422);
  options->dry_run = !confirm;
  tabular::Report report;
  if (!confirm) {
    Result<int64_t> checked = Run(context, *importer, upload, *options, report);
    return RenderMapping(context, token, *importer, upload, *options, &report, checked.status(),
                         checked.ok() ? 200 : 422);
  }
  CIVICDESK_RETURN_IF_ERROR(ClaimUpload(database, token));
  Result<int64_t> imported = Run(context, *importer, upload, *options, report);
  if (!imported.ok()) {
    CIVICDESK_RETURN_IF_ERROR(FinishUpload(database, token, false, 0));
    const int status = HttpStatusFor(imported.status().code());
    return RenderMapping(context, token, *importer, upload, *options, &report, imported.status(),
                         status >= 500 ? status : (status == 409 ? 409 : 422));
  }
  CIVICDESK_RETURN_IF_ERROR(FinishUpload(database, token, true, *imported));
  return context.Page("http/table_import_done", context.Message("import_done_title"),
                      {{"lead", context.Format(Status(StatusCode::kOk, "http.import_done_lead",
                                                      {{"count", std::to_string(*imported)}}))},
                       {"filename", upload.filename},
                       {"importer", ImporterView(context, *importer)},
                       {"result_address", importer->result_address},
                       {"result_label", context.Message(importer->result_label)},
                       {"report", ImportReportView(context, report, importer->field_messages)}});
}

}  // namespace civicdesk::http
