#include "surveys/surveys_module.h"

#include "embedded/minato_surveys.h"
#include "embedded/surveys_files.h"
#include "surveys/handlers.h"
#include "surveys/population_import.h"
#include "surveys/store.h"

namespace civicdesk::surveys {
namespace {

using http::Access;
using http::kPublicPageSeconds;
using http::PublicCache;

std::vector<http::Route> Routes() {
  return {
      {"GET", "/surveys", Access::kPublic, PublicCache(kPublicPageSeconds, IndexPage)},
      {"GET", "/surveys/{id}", Access::kPublic, FormPage},
      {"POST", "/surveys/{id}", Access::kPublic, SubmitAnswers},
      // The language switch of the form: what was chosen, shown again in the other language.
      {"POST", "/surveys/{id}/edit", Access::kPublic, FormPage},
      {"GET", "/surveys/{id}/thanks", Access::kPublic, ThanksPage},
      {"GET", "/surveys/{id}/results", Access::kPublic,
       PublicCache(kPublicPageSeconds, ResultsPage)},
      {"GET", "/surveys/{id}/results.csv", Access::kPublic, ResultsDownload},
      {"GET", "/surveys/{id}/results.xlsx", Access::kPublic, ResultsDownload},
      // Any staff member reads the surveys and their results; publishers define and open them.
      {"GET", "/staff/surveys", Access::kStaff, StaffSurveysPage},
      {"POST", "/staff/surveys/definitions", Access::kPublisher, UploadDefinition},
      {"GET", "/staff/surveys/{id}", Access::kStaff, StaffSurveyPage},
      {"POST", "/staff/surveys/{id}/status", Access::kPublisher, ChangeStatus},
      {"GET", "/staff/surveys/{id}/results", Access::kStaff, StaffResultsPage},
      {"GET", "/staff/surveys/{id}/paper", Access::kStaff, PaperForm},
      {"POST", "/staff/surveys/{id}/paper", Access::kStaff, SavePaper},
  };
}

Status LoadInitial(storage::Database& database) {
  std::optional<std::string_view> text = minato_surveys::FindEmbeddedFile("surveys.json");
  if (!text) return Status::Internal("surveys.shipped_invalid");
  return LoadShippedSurveys(database, *text);
}

}  // namespace

http::Module SurveysModule() {
  http::Module module;
  module.name = "surveys";
  module.migrations = SurveysMigrations();
  module.importers = {PopulationImporter()};
  module.install = [](http::App& app) -> Status {
    CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(
        app, "surveys", surveys_files::EmbeddedFilePaths(), surveys_files::FindEmbeddedFile));
    app.router().Add(Routes());
    return Status::Ok();
  };
  module.load_initial_data = LoadInitial;
  module.public_datasets = Datasets;
  module.audit_trail = SurveysAuditTrail;
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "surveys", surveys_files::EmbeddedFilePaths(),
                                     surveys_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::surveys
