#ifndef CIVICDESK_CONSULTATION_HANDLERS_H_
#define CIVICDESK_CONSULTATION_HANDLERS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"
#include "http/table_response.h"
#include "storage/database.h"

// The handlers the route table of consultation_module.cc names, and the parts of its manifest.
// Access is declared on each route; the checks on one item or result (access.h) come first in
// the handler.
namespace civicdesk::consultation {

// pages.cc: the list (/consultations), the result (/consultations/{id}/result, MaySeeResult)
// and the home page's panel.
Result<http::Response> ListPage(http::RequestContext& context);
Result<http::Response> ResultPage(http::RequestContext& context);
Result<std::string> HomePanel(http::RequestContext& context);

// opinion_form.cc: a consultation with its form (/consultations/{id}, and the 区民の声 desk on
// /voice) with a one-time token; the form again with what was posted (…/opinions/edit: 修正する
// and the language switch); the confirmation page (…/opinions/confirm); the send
// (…/opinions: stored once per token, 303 to the receipt); a receipt's own page with the copy
// of what was sent (/receipts/{receipt}) and the lookup (/receipts?number=, tolerant of case,
// spaces and full width, 303 to the receipt's page).
Result<http::Response> DetailPage(http::RequestContext& context);
Result<http::Response> EditOpinion(http::RequestContext& context);
Result<http::Response> ConfirmOpinion(http::RequestContext& context);
Result<http::Response> SubmitForm(http::RequestContext& context);
Result<http::Response> ReceiptPage(http::RequestContext& context);
Result<http::Response> ReceiptLookup(http::RequestContext& context);

// api.cc: opinions in (POST /api/v1/consultations/{id}/opinions, /api/v1/voice/opinions), a
// receipt's status, a result's summary (MaySeeResult) and the desk's monthly counts.
Result<http::Response> ApiSubmit(http::RequestContext& context);
Result<http::Response> ApiReceipt(http::RequestContext& context);
Result<http::Response> ApiSummary(http::RequestContext& context);
Result<http::Response> ApiVoiceMonthly(http::RequestContext& context);

// datasets.cc: the result's table as `format` (/consultations/{id}/result.tsv, .csv, .xlsx)
// and as PDF, streamed, each after MaySeeResult; and the public datasets for the open-data
// catalog (each published result, the organisation chart).
http::Handler ResultTableDownload(http::TableFormat format);
Result<http::Response> ResultPdf(http::RequestContext& context);
Result<std::vector<http::PublicDataset>> ConsultationDatasets(http::App& app);

// staff_pages.cc: the list of consultations (/staff/consultations), creating one, the queue of
// one consultation with its filters (section staff see their own items only), bulk actions on
// ticked items, staff entry of opinions, meetings and the fields' plan links.
Result<http::Response> ConsultationsPage(http::RequestContext& context);
Result<http::Response> CreateFromForm(http::RequestContext& context);
Result<http::Response> QueuePage(http::RequestContext& context);
Result<http::Response> BulkAction(http::RequestContext& context);
Result<http::Response> StaffEntry(http::RequestContext& context);
Result<http::Response> AddMeetingFromForm(http::RequestContext& context);
Result<http::Response> LinkFieldFromForm(http::RequestContext& context);

// staff_import.cc: importing a file (/staff/imports, publishers and admins): the upload form
// (opinions into an unpublished consultation, or a published result as a new one), the upload
// (multipart, kept server-side for its uploader only: import_uploads.h), the mapping page with
// a preview of the first rows (/staff/imports/{token}; another staff member's token is 404),
// and its form: check (a dry run) or confirm (once; a second is 409), showing the report.
Result<http::Response> ImportPage(http::RequestContext& context);
Result<http::Response> UploadImport(http::RequestContext& context);
Result<http::Response> ImportMappingPage(http::RequestContext& context);
Result<http::Response> ConfirmImport(http::RequestContext& context);

// staff_items.cc: one item (/staff/items/{id}: MaySeeItem; saving and accepting suggestions:
// MayEditItem; saving a published item requests a correction; each with its place in the
// queue, previous and next under the queue's filter, and "save and next"), approving it and
// taking the approval away (/staff/items/{id}/approve|unapprove), approving or
// rejecting a correction (/staff/corrections/{id}/approve|reject), splitting or merging a
// submission (MaySplitSubmission: section staff their own, or any when they triage), and sending
// an item back to triage with a reason (/staff/items/{id}/return: MayEditItem).
Result<http::Response> ItemPage(http::RequestContext& context);
Result<http::Response> SaveItem(http::RequestContext& context);
Result<http::Response> AcceptSuggested(http::RequestContext& context);
Result<http::Response> Approve(http::RequestContext& context);
Result<http::Response> Unapprove(http::RequestContext& context);
Result<http::Response> ApproveCorrectionAction(http::RequestContext& context);
Result<http::Response> RejectCorrectionAction(http::RequestContext& context);
Result<http::Response> SplitPage(http::RequestContext& context);
Result<http::Response> Split(http::RequestContext& context);
Result<http::Response> Merge(http::RequestContext& context);
Result<http::Response> ReturnItem(http::RequestContext& context);

// staff_triage.cc: the triage queue of a consultation (/staff/consultations/{id}/triage: MayRoute
// with the consultation — publishers and its triage section) with the suggestions chosen in
// advance, routing from it (…/triage/route), who triages (POST …/triage, publishers), and for
// the queue page how many opinions wait and who routes them (with why, for section staff whose
// queue is empty: `queue_empty`).
struct Consultation;
Result<http::Response> TriagePage(http::RequestContext& context);
Result<http::Response> SetTriageFromForm(http::RequestContext& context);
Result<http::Response> SetAutoRouteFromForm(http::RequestContext& context);
Result<http::Response> RouteFromTriage(http::RequestContext& context);
Result<nlohmann::json> TriageSummary(http::RequestContext& context,
                                     const Consultation& consultation, bool queue_empty);

// staff_publish.cc: the checks before publication with personal data to mask, publishing, and
// the analysis of form letters and similar opinions with saving its groups.
Result<http::Response> PublishPage(http::RequestContext& context);
Result<http::Response> DoPublish(http::RequestContext& context);
Result<http::Response> SetIssuerFromForm(http::RequestContext& context);
Result<http::Response> Mask(http::RequestContext& context);
Result<http::Response> AnalysisPage(http::RequestContext& context);
Result<http::Response> SaveGroupsFromForm(http::RequestContext& context);

// staff_personal_data.cc: personal data before publication (personal_data_flags.h): one click
// masks a flag (/staff/personal-data/{id}/mask) or marks it not personal data (.../dismiss);
// the bulk mask takes every open flag of a consultation
// (/staff/consultations/{id}/personal-data/mask). Each goes back to the publish page, or to the
// item's page when the form names the item. PersonalDataView is the publish page's list of open
// flags (at most 500, with each item's No), PersonalDataFlagJson one flag as pages show it.
struct PersonalDataFlag;
Result<http::Response> MaskFlag(http::RequestContext& context);
Result<http::Response> DismissFlag(http::RequestContext& context);
Result<http::Response> MaskAllFlags(http::RequestContext& context);
Result<nlohmann::json> PersonalDataView(http::RequestContext& context, int64_t consultation_id);
// Every flag over one item (open, masked, dismissed), for its page; can_mask for publishers.
Result<nlohmann::json> ItemPersonalDataView(http::RequestContext& context, int64_t item_id);
nlohmann::json PersonalDataFlagJson(http::RequestContext& context, const PersonalDataFlag& flag);

// staff_published_text.cc: the published text on an item's page (published_text.h) — the
// difference from the original and the editor (POST /staff/items/{id}/text, MayEditItem; for an
// item of a published result it requests a correction with its reason).
struct Item;
Result<nlohmann::json> PublishedTextSection(http::RequestContext& context, const Item& item);
Result<http::Response> SavePublishedText(http::RequestContext& context);
// staff_items.cc: the item's page with a refused change's words (and what was typed).
Result<http::Response> ItemPageWithError(http::RequestContext& context, const Status& error);
// initial_data.cc: Minato's organisation chart and the published result of seed 000, loaded
// into an empty database.
Status LoadInitialData(storage::Database& database);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_HANDLERS_H_
