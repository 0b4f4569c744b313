// The public pages: consultations open and published, one consultation with its form (and the
// 区民の声 desk), the receipt lookup and the published result.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/views.h"
#include "consultation/workflow.h"
#include "core/wareki.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// The consultation named by {id}, or the 区民の声 desk on /voice.
Result<Consultation> PageConsultation(RequestContext& context) {
  storage::Database& database = context.app().database();
  if (context.request().path.rfind("/voice", 0) == 0) {
    CIVICDESK_ASSIGN_OR_RETURN(int64_t voice, VoiceDeskId(database));
    return GetConsultation(database, voice);
  }
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  if (consultation.kind != "consultation")
    return Status::NotFound("consultation.not_found", {{"id", std::to_string(id)}});
  return consultation;
}

// The consultation's page with its form; after a refused submission, the form as it was sent
// with `error`'s words above it (and the error's status).
Result<Response> RenderDetail(RequestContext& context, const Status& error,
                              const std::map<std::string, std::string>& form) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, PageConsultation(context));
  bool voice = consultation.kind == "voice";
  json relationships = json::array();
  auto value = [&](const std::string& key) {
    auto found = form.find(key);
    return found == form.end() ? std::string() : found->second;
  };
  for (std::string_view relationship : kRelationships) {
    relationships.push_back(
        {{"value", std::string(relationship)}, {"checked", value("relationship") == relationship}});
  }
  json data = ConsultationView(consultation);
  data["consultation"] = ConsultationView(consultation);
  data["voice"] = voice;
  if (voice) {
    data["consultation"]["open"] = true;
    data["consultation"]["title"] = context.Message("voice_title");
  }
  data["form_action"] = voice ? std::string("/voice/opinions")
                              : "/consultations/" + std::to_string(consultation.id) + "/opinions";
  data["relationships"] = relationships;
  if (!voice) {
    storage::Database& database = context.app().database();
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Meeting> meetings,
                               ListMeetings(database, consultation.id));
    json meeting_rows = json::array();
    for (const Meeting& meeting : meetings) {
      meeting_rows.push_back({{"held_on", WarekiOf(meeting.held_on)},
                              {"district", meeting.district},
                              {"venue", meeting.venue}});
    }
    data["meetings"] = meeting_rows;
    data["has_meetings"] = !meeting_rows.empty();
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<FieldOption> fields,
                               ListFields(database, consultation.id));
    json field_rows = json::array();
    for (const FieldOption& field : fields) {
      if (field.label == kNoField) continue;
      json links = json::array();
      if (Result<std::vector<PlanLink>> parsed = ParsePlanRefs(field.plan_ref); parsed.ok()) {
        for (const PlanLink& link : *parsed)
          links.push_back({{"code", link.code}, {"href", link.href}});
      }
      field_rows.push_back({{"label", field.label}, {"links", links}});
    }
    data["fields"] = field_rows;
  }
  data["form"] = {{"text", value("text")},
                  {"contact_name", value("contact_name")},
                  {"contact_email", value("contact_email")},
                  {"contact_phone", value("contact_phone")},
                  {"contact_address", value("contact_address")}};
  if (!error.ok()) data["error"] = {{"message", context.Format(error)}, {"field", error.field()}};
  return context.Page("consultation/detail",
                      voice ? context.Message("voice_title") : consultation.title, data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

}  // namespace

Result<Response> ListPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  json open = json::array();
  json published = json::array();
  for (const Consultation& consultation : consultations) {
    if (IsOpen(consultation)) open.push_back(ConsultationView(consultation));
    if (consultation.state == "published") published.push_back(ConsultationView(consultation));
  }
  return context.Page("consultation/list", context.Message("consultations_title"),
                      {{"open", open},
                       {"has_open", !open.empty()},
                       {"published", published},
                       {"has_published", !published.empty()}});
}

Result<Response> DetailPage(RequestContext& context) {
  return RenderDetail(context, Status::Ok(), {});
}

Result<Response> SubmitForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation target, PageConsultation(context));
  std::map<std::string, std::string> form = context.request().Form();
  if (!form["website"].empty()) {
    // The honeypot field is hidden from people; only robots fill it in.
    return Status::InvalidArgument("consultation.submission_refused", "website");
  }
  CIVICDESK_RETURN_IF_ERROR(context.app().CheckSubmissionRate(context.request()));
  NewSubmission submission;
  submission.text = form["text"];
  submission.relationship = form["relationship"];
  submission.contact_name = form["contact_name"];
  submission.contact_email = form["contact_email"];
  submission.contact_phone = form["contact_phone"];
  submission.contact_address = form["contact_address"];
  Result<Receipt> receipt =
      Submit(context.app().database(), target.id, submission, Settings{}, ActorOf(context), false);
  if (!receipt.ok()) return RenderDetail(context, receipt.status(), form);
  Result<Consultation> consultation = GetConsultation(context.app().database(), target.id);
  return context.Page(
      "consultation/receipt", context.Message("receipt_title"),
      {{"receipt", receipt->receipt},
       {"consultation", consultation.ok() ? ConsultationView(*consultation) : json::object()}},
      201);
}

Result<Response> ReceiptLookup(RequestContext& context) {
  std::optional<std::string> number = context.request().QueryParam("number");
  json data = {{"number", number.value_or("")}};
  int status_code = 200;
  if (number && !number->empty()) {
    // The lookup form shows a miss inline, beside the number asked for.
    Result<ReceiptStatus> status = FindReceipt(context.app().database(), *number);
    if (status.ok()) {
      data["found"] = {{"receipt", status->receipt},
                       {"consultation", status->consultation_title},
                       {"received", FormatWarekiTimestamp(status->received_at)},
                       {"state_label", context.Message("receipt_state_" + status->state)},
                       {"items", status->items}};
    } else {
      data["error"] = context.Format(status.status());
      status_code = HttpStatusFor(status.status().code());
    }
  }
  return context.Page("consultation/receipt_lookup", context.Message("receipt_lookup_title"), data,
                      status_code);
}

Result<Response> ResultPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(MaySeeResult(context, consultation));
  CIVICDESK_ASSIGN_OR_RETURN(Summary summary, Summarize(database, id));
  const bool collapse = CollapseRequested(context);
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PublishedRow> rows,
                             CollectRows(ResultRows(database, id, collapse)));
  json data = ResultView(context, consultation, summary, rows);
  data["preview"] = consultation.state != "published";
  data["collapsed"] = collapse;
  return context.Page("consultation/result",
                      consultation.title + context.Message("result_title_suffix"), data);
}

// The home page's panel: consultations open now and the latest published results.
Result<std::string> HomePanel(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(context.app().database()));
  json open = json::array();
  std::vector<const Consultation*> published;
  for (const Consultation& consultation : consultations) {
    if (IsOpen(consultation)) open.push_back(ConsultationView(consultation));
    if (consultation.kind == "consultation" && consultation.state == "published")
      published.push_back(&consultation);
  }
  std::sort(published.begin(), published.end(), [](const Consultation* a, const Consultation* b) {
    return a->published_at > b->published_at;
  });
  json latest = json::array();
  for (size_t i = 0; i < published.size() && i < 3; ++i)
    latest.push_back(ConsultationView(*published[i]));
  return context.Fragment("consultation/home_panel", {{"open", open},
                                                      {"has_open", !open.empty()},
                                                      {"latest", latest},
                                                      {"has_latest", !latest.empty()}});
}

}  // namespace civicdesk::consultation
