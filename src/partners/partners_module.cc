#include "partners/partners_module.h"

#include "core/date.h"
#include "embedded/minato_partners.h"
#include "embedded/partners_files.h"
#include "partners/handlers.h"
#include "partners/store.h"
#include "partners/table_imports.h"

namespace civicdesk::partners {
namespace {

using http::Access;
using http::CsrfPolicy;
using http::kPublicPageSeconds;
using http::PublicCache;

std::vector<http::Route> Routes() {
  return {
      {"GET", "/partners", Access::kPublic, PublicCache(kPublicPageSeconds, IndexPage)},
      {"GET", "/partners/agreements", Access::kPublic,
       PublicCache(kPublicPageSeconds, AgreementsPage)},
      {"GET", "/partners/marche", Access::kPublic, PublicCache(kPublicPageSeconds, MarchePage)},
      {"GET", "/partners/marche.ics", Access::kPublic, MarcheCalendar},
      {"GET", "/partners/marche/{event}", Access::kPublic, MarcheEventCalendar},
      {"GET", "/workation", Access::kPublic, WorkationPage},
      {"GET", "/workation/estimate", Access::kPublic, EstimatePage},
      {"POST", "/workation/apply", Access::kPublic, ApplyForm},
      {"GET", "/workation/draws/{year}", Access::kPublic, DrawPage},
      {"GET", "/api/v1/workation/programmes/{year}", Access::kPublic, ProgrammeApi},
      {"POST", "/api/v1/workation/estimate", Access::kPublic, EstimateApi, CsrfPolicy::kJsonOnly},
      // Any staff member reads the applications; publishers and admins change them.
      {"GET", "/staff/workation", Access::kStaff, StaffWorkationPage},
      {"GET", "/staff/workation/applications.csv", Access::kStaff, ApplicationsCsv},
      {"GET", "/staff/workation/applications.xlsx", Access::kStaff, ApplicationsXlsx},
      {"POST", "/staff/workation/programme", Access::kPublisher, SaveProgrammeForm},
      {"POST", "/staff/workation/select", Access::kPublisher, SelectForm},
      {"POST", "/staff/workation/applications/{id}/{action}", Access::kPublisher,
       ApplicationAction},
      {"GET", "/staff/partners", Access::kPublisher, StaffPartnersPage},
      {"POST", "/staff/partners/exchanges", Access::kPublisher, AddExchangeForm},
      {"POST", "/staff/partners/agreements", Access::kPublisher, AddAgreementForm},
  };
}

// The shipped data, then what a database from before issue 17 lacks: business keys for the
// applications already stored (duplicates marked) and commitments for open programmes.
Status LoadInitial(storage::Database& database) {
  std::optional<std::string_view> json_text = minato_partners::FindEmbeddedFile("partners.json");
  if (!json_text) return Status::Internal("partners.json is not embedded");
  CIVICDESK_RETURN_IF_ERROR(LoadShippedPartners(database, *json_text));
  CIVICDESK_RETURN_IF_ERROR(KeyEarlierApplications(database).status());
  return CommitOpenProgrammes(database, TodayInJapan()).status();
}

}  // namespace

http::Module PartnersModule() {
  http::Module module;
  module.name = "partners";
  module.importers = {PartnersImporter()};
  module.migrations = PartnersMigrations();
  module.install = [](http::App& app) -> Status {
    CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(
        app, "partners", partners_files::EmbeddedFilePaths(), partners_files::FindEmbeddedFile));
    app.router().Add(Routes());
    return Status::Ok();
  };
  module.load_initial_data = LoadInitial;
  module.public_datasets = Datasets;
  module.audit_trail = PartnersAuditTrail;
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "partners", partners_files::EmbeddedFilePaths(),
                                     partners_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::partners
