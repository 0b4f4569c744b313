// The consultation module's manifest and its route table. The handlers are in pages.cc (public
// HTML), api.cc (JSON), datasets.cc (downloads and open data), staff_pages.cc, staff_items.cc
// and staff_publish.cc (the staff console); the checks on one item or result in access.cc.
#include "consultation/consultation_module.h"

#include <memory>

#include "consultation/handlers.h"
#include "consultation/notifications.h"
#include "consultation/notify_handlers.h"
#include "consultation/store.h"
#include "consultation/triage.h"
#include "core/date.h"
#include "embedded/consultation_files.h"

namespace civicdesk::consultation {
namespace {

using http::Access;
using http::CsrfPolicy;
using http::kPublicPageSeconds;
using http::PublicCache;
using http::TableFormat;

std::vector<http::Route> Routes() {
  return {
      // Public pages. A result before publication is the publishers' preview (MaySeeResult:
      // 404 signed out, 403 for section staff), in every format.
      {"GET", "/consultations", Access::kPublic, PublicCache(kPublicPageSeconds, ListPage)},
      // The opinion form: form → confirm (修正する: edit) → send, 303 to the receipt's page.
      {"GET", "/consultations/{id}", Access::kPublic, DetailPage},
      {"POST", "/consultations/{id}/opinions/edit", Access::kPublic, EditOpinion},
      {"POST", "/consultations/{id}/opinions/confirm", Access::kPublic, ConfirmOpinion},
      {"POST", "/consultations/{id}/opinions", Access::kPublic, SubmitForm},
      {"GET", "/consultations/{id}/result", Access::kPublic,
       PublicCache(kPublicPageSeconds, ResultPage)},
      {"GET", "/consultations/{id}/result.tsv", Access::kPublic,
       ResultTableDownload(TableFormat::kTsv)},
      {"GET", "/consultations/{id}/result.csv", Access::kPublic,
       ResultTableDownload(TableFormat::kCsv)},
      {"GET", "/consultations/{id}/result.xlsx", Access::kPublic,
       ResultTableDownload(TableFormat::kXlsx)},
      {"GET", "/consultations/{id}/result.pdf", Access::kPublic, ResultPdf},
      {"GET", "/receipts", Access::kPublic, ReceiptLookup},
      {"GET", "/receipts/{receipt}", Access::kPublic, ReceiptPage},
      // An address left to hear back, deleted by its resident: from the receipt page, or through
      // the link in a mail (a token that acts once, on that address only).
      {"POST", "/receipts/{receipt}/notification", Access::kPublic, DeleteReceiptNotification},
      {"GET", "/notifications/{token}", Access::kPublic, NotificationPage},
      {"POST", "/notifications/{token}", Access::kPublic, DeleteNotification},
      // Atom feeds: consultations open for opinions, results published.
      {"GET", "/consultations.atom", Access::kPublic,
       PublicCache(kPublicPageSeconds, OpenConsultationsFeed)},
      {"GET", "/consultations/results.atom", Access::kPublic,
       PublicCache(kPublicPageSeconds, ResultsFeed)},
      {"GET", "/voice", Access::kPublic, DetailPage},
      {"POST", "/voice/opinions/edit", Access::kPublic, EditOpinion},
      {"POST", "/voice/opinions/confirm", Access::kPublic, ConfirmOpinion},
      {"POST", "/voice/opinions", Access::kPublic, SubmitForm},

      // JSON API. The summary of an unpublished result: as the result (MaySeeResult).
      {"POST", "/api/v1/consultations/{id}/opinions", Access::kPublic, ApiSubmit,
       CsrfPolicy::kJsonOnly},
      {"GET", "/api/v1/consultations/{id}/summary", Access::kPublic, ApiSummary},
      {"GET", "/api/v1/receipts/{receipt}", Access::kPublic, ApiReceipt},
      {"POST", "/api/v1/voice/opinions", Access::kPublic, ApiSubmit, CsrfPolicy::kJsonOnly},
      {"GET", "/api/v1/voice/monthly", Access::kPublic, ApiVoiceMonthly},

      // The staff console: consultations and their queues. Section staff see only the items
      // routed to their 部/課 and route only where their section triages (MayRoute).
      {"GET", "/staff/consultations", Access::kStaff, ConsultationsPage},
      {"POST", "/staff/consultations", Access::kPublisher, CreateFromForm},
      {"GET", "/staff/consultations/{id}", Access::kStaff, QueuePage},
      {"POST", "/staff/consultations/{id}/bulk", Access::kStaff, BulkAction},
      // Triage: the unrouted opinions, for publishers and the consultation's triage section.
      {"GET", "/staff/consultations/{id}/triage", Access::kStaff, TriagePage},
      {"POST", "/staff/consultations/{id}/triage", Access::kPublisher, SetTriageFromForm},
      {"POST", "/staff/consultations/{id}/triage/route", Access::kStaff, RouteFromTriage},
      {"POST", "/staff/consultations/{id}/triage/auto-route", Access::kPublisher,
       SetAutoRouteFromForm},
      {"POST", "/staff/consultations/{id}/entries", Access::kPublisher, StaffEntry},
      {"POST", "/staff/consultations/{id}/meetings", Access::kPublisher, AddMeetingFromForm},
      {"POST", "/staff/consultations/{id}/fields/{field}", Access::kPublisher, LinkFieldFromForm},
      {"GET", "/staff/consultations/{id}/analysis", Access::kPublisher, AnalysisPage},
      {"POST", "/staff/consultations/{id}/groups", Access::kPublisher, SaveGroupsFromForm},
      {"GET", "/staff/consultations/{id}/publish", Access::kPublisher, PublishPage},
      {"POST", "/staff/consultations/{id}/publish", Access::kPublisher, DoPublish},
      {"POST", "/staff/consultations/{id}/issuer", Access::kPublisher, SetIssuerFromForm},
      // Personal data before publication: the bulk mask, and one click per flag.
      {"POST", "/staff/consultations/{id}/personal-data/mask", Access::kPublisher, MaskAllFlags},
      {"POST", "/staff/personal-data/{id}/mask", Access::kPublisher, MaskFlag},
      {"POST", "/staff/personal-data/{id}/dismiss", Access::kPublisher, DismissFlag},

      // Importing a file as the command line does (import opinions|results): publishers and
      // admins; the upload is its uploader's only (GetImportUpload).
      {"GET", "/staff/imports", Access::kPublisher, ImportPage},
      {"POST", "/staff/imports", Access::kPublisher, UploadImport},
      {"GET", "/staff/imports/{token}", Access::kPublisher, ImportMappingPage},
      {"POST", "/staff/imports/{token}", Access::kPublisher, ConfirmImport},

      // One item: any staff member reaches it; MaySeeItem / MayEditItem then admit section
      // staff to their own section's items only.
      {"GET", "/staff/items/{id}", Access::kStaff, ItemPage},
      {"POST", "/staff/items/{id}", Access::kStaff, SaveItem},
      {"POST", "/staff/items/{id}/accept", Access::kStaff, AcceptSuggested},
      {"POST", "/staff/items/{id}/return", Access::kStaff, ReturnItem},
      {"POST", "/staff/items/{id}/approve", Access::kPublisher, Approve},
      {"POST", "/staff/items/{id}/unapprove", Access::kPublisher, Unapprove},
      {"POST", "/staff/items/{id}/mask", Access::kPublisher, Mask},
      {"POST", "/staff/items/{id}/text", Access::kStaff, SavePublishedText},
      // Corrections of a published item, requested by saving it with a reason: publishers and
      // admins approve (republished with its 訂正履歴) or reject.
      {"POST", "/staff/corrections/{id}/approve", Access::kPublisher, ApproveCorrectionAction},
      {"POST", "/staff/corrections/{id}/reject", Access::kPublisher, RejectCorrectionAction},
      // Section staff split their own submissions, or any when their section triages
      // (MaySplitSubmission).
      {"GET", "/staff/submissions/{id}/split", Access::kStaff, SplitPage},
      {"POST", "/staff/submissions/{id}/split", Access::kStaff, Split},
      {"POST", "/staff/submissions/{id}/merge", Access::kStaff, Merge},
  };
}

}  // namespace

http::Module ConsultationModule() {
  http::Module module;
  // Where the mails' links point and their words: the App's, once installed.
  auto site = std::make_shared<MailSite>();
  module.name = "consultation";
  module.migrations = ConsultationMigrations();
  module.install = [site](http::App& app) -> Status {
    site->catalog = &app.messages();
    site->public_url = app.PublicUrl();
    CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(app, "consultation",
                                                         consultation_files::EmbeddedFilePaths(),
                                                         consultation_files::FindEmbeddedFile));
    app.router().Add(Routes());
    return Status::Ok();
  };
  module.load_initial_data = LoadInitialData;
  // New opinions routed by the classifier's sure suggestions within a few seconds of arrival.
  module.background_tasks.push_back(
      {"auto_route", std::chrono::seconds(10), [](storage::Database& database) -> Status {
         Result<int> routed = AutoRouteOpenConsultations(database);
         return routed.ok() ? Status::Ok() : routed.status();
       }});
  // Those who left an address hear of the result and of their policies' reports (through the
  // outbox: sent only by `serve --smtp-url`); the addresses go a year after publication.
  module.background_tasks.push_back(
      {"notify", std::chrono::seconds(5), [site](storage::Database& database) -> Status {
         if (site->catalog == nullptr) return Status::Ok();
         CIVICDESK_RETURN_IF_ERROR(NotifyPublishedResults(database, *site).status());
         CIVICDESK_RETURN_IF_ERROR(NotifyPolicyReports(database, *site).status());
         return PurgeSubscriptions(database, 365, NowIso8601Utc()).status();
       }});
  module.public_datasets = ConsultationDatasets;
  module.home_panel = HomePanel;
  module.audit_trail = ConsultationAuditTrail;
  // The responding sections of the organisation chart: where section staff are placed.
  module.organisation_units =
      [](storage::Database& database) -> Result<std::vector<std::pair<std::string, std::string>>> {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult rows,
        database.Query("SELECT department, section FROM consultation_org_unit", {}));
    std::vector<std::pair<std::string, std::string>> units;
    for (const auto& row : rows.rows)
      units.emplace_back(storage::AsText(row[0]), storage::AsText(row[1]));
    return units;
  };
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "consultation",
                                     consultation_files::EmbeddedFilePaths(),
                                     consultation_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::consultation
