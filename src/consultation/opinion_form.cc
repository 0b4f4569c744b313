// The public opinion form of a consultation (/consultations/{id}) and of the 区民の声 desk
// (/voice), in three steps that never lose what was typed and never store it twice:
//   form ─(確認する)→ confirmation page ─(送信する)→ stored, 303 to the receipt's own page
//          ←(修正する)─
// Each empty form carries a one-time token; the opinion is stored under the receipt derived
// from it (intake.h), so back and resend, or a reload, lands on the first receipt. Every refusal
// (too long, the honeypot, too many sends, a closed period) shows the form or the confirmation
// again with the text. The language switch on these POST pages re-posts the form (the layout's
// lang_form), so it keeps the page and the text without JavaScript.
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/intake.h"
#include "consultation/notifications.h"
#include "consultation/setup.h"
#include "consultation/store.h"
#include "consultation/views.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "http/form_errors.h"
#include "mail/address.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// What the form posts. Browsers send line breaks as CRLF; they are kept as LF, as the live
// count sees them.
struct OpinionForm {
  std::string text;
  std::string relationship;
  std::string contact_name;
  std::string contact_email;
  std::string contact_phone;
  std::string contact_address;
  std::string notify_email;  // to hear back (notifications.h)
  std::string website;       // the honeypot: hidden from people and assistive technology
  std::string token;         // the form token (intake.h)
  // The text as the browser sent it (CRLF line breaks): Submit stores `text`'s LF form and keeps
  // in the audit what restores these bytes (NormalizeLineEndings).
  std::string text_received;
};

std::string UnixLineEnds(const std::string& text) { return NormalizeLineEndings(text).text; }

OpinionForm ReadOpinionForm(const RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  return {UnixLineEnds(form["text"]), form["relationship"],
          form["contact_name"],       form["contact_email"],
          form["contact_phone"],      UnixLineEnds(form["contact_address"]),
          form["notify_email"],       form["website"],
          form["form_token"],         form["text"]};
}

NewSubmission SubmissionOf(const OpinionForm& form) {
  NewSubmission submission;
  submission.text = form.text_received.empty() ? form.text : form.text_received;
  submission.relationship = form.relationship;
  submission.contact_name = form.contact_name;
  submission.contact_email = form.contact_email;
  submission.contact_phone = form.contact_phone;
  submission.contact_address = form.contact_address;
  return submission;
}

size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// The consultation named by {id}, or the 区民の声 desk under /voice.
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

// Where the form posts: the send; "/confirm" and "/edit" after it.
std::string FormAction(const Consultation& consultation) {
  return consultation.kind == "voice"
             ? std::string("/voice/opinions")
             : "/consultations/" + std::to_string(consultation.id) + "/opinions";
}

std::string ReceiptAddress(const std::string& receipt) { return "/receipts/" + receipt; }

// What the form, the confirmation and the receipt share: the consultation (the desk titled in
// the reader's language), the limit, the actions and the form's own values.
json FormView(RequestContext& context, const Consultation& consultation, const OpinionForm& form) {
  const bool voice = consultation.kind == "voice";
  json data;
  data["consultation"] = ConsultationView(context, consultation);
  // An empty string would still open the template's section (an empty 対象となる案).
  if (consultation.draft_title.empty()) data["consultation"]["draft_title"] = nullptr;
  data["voice"] = voice;
  if (voice) {
    data["consultation"]["open"] = true;
    data["consultation"]["title"] = context.Message("voice_title");
    data["consultation"]["title_lang"] = context.language();
  }
  const size_t limit = Settings{}.max_opinion_chars;
  data["limit"] = limit;
  data["limit_text"] = GroupThousands(static_cast<int64_t>(limit));
  const std::string action = FormAction(consultation);
  data["send_action"] = action;
  data["confirm_action"] = action + "/confirm";
  data["edit_action"] = action + "/edit";
  data["form_token"] = form.token;
  json relationships = json::array();
  for (std::string_view relationship : kRelationships) {
    // The first choice carries the group's id: the error summary links to it.
    const std::string id = relationships.empty()
                               ? std::string("relationship")
                               : "relationship-" + std::to_string(relationships.size() + 1);
    relationships.push_back({{"value", std::string(relationship)},
                             {"id", id},
                             {"label", RelationshipLabel(context, relationship)},
                             {"checked", form.relationship == relationship}});
  }
  data["relationships"] = relationships;
  data["form"] = {{"text", form.text},
                  {"has_text", !TrimSpaces(form.text).empty()},
                  {"relationship", form.relationship},
                  {"relationship_label", RelationshipLabel(context, form.relationship)},
                  {"has_relationship", !form.relationship.empty()},
                  {"contact_name", form.contact_name},
                  {"contact_email", form.contact_email},
                  {"contact_phone", form.contact_phone},
                  {"contact_address", form.contact_address},
                  {"notify_email", form.notify_email}};
  return data;
}

// The form's controls as the resident sees them (for the error summary): a Status field name,
// the control's id and its visible label.
const std::map<std::string, http::FormControl>& OpinionControls() {
  static const auto* const controls = new std::map<std::string, http::FormControl>{
      {"text", {"text", "form_text"}},
      {"relationship", {"relationship", "form_relationship"}},
      {"contact_email", {"contact_email", "form_contact_email"}},
      {"notify_email", {"notify_email", "form_notify_email"}},
      {"contact", {"contact_name", "form_contact"}}};
  return *controls;
}

// A refusal: the error summary and the words beside the field (http/form_errors.h), or a banner
// when it names no field; `error.receipt` when the form was sent before.
void AddError(RequestContext& context, const Status& error, json& data) {
  if (error.ok()) return;
  data.update(http::FormErrorView(context, error, OpinionControls()));
  data["error"] = {{"message", context.Format(error)}};
  for (const auto& [name, value] : error.args()) {
    if (name == "receipt") data["error"]["receipt"] = value;
  }
}

// The consultation's page with its form holding `form`; after a refusal, `error`'s words above
// it (and the error's status). A form without a token gets a new one.
Result<Response> RenderForm(RequestContext& context, const Consultation& consultation,
                            OpinionForm form, const Status& error) {
  if (!IsFormToken(form.token)) form.token = NewFormToken();
  const bool voice = consultation.kind == "voice";
  json data = FormView(context, consultation, form);
  data["lang_form"] = {{"form", "opinion-form"}, {"action", data["edit_action"]}};
  if (!voice) {
    storage::Database& database = context.app().database();
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Meeting> meetings,
                               ListMeetings(database, consultation.id));
    json meeting_rows = json::array();
    for (const Meeting& meeting : meetings) {
      meeting_rows.push_back({{"held_on", DateOf(context, meeting.held_on)},
                              {"district", DistrictLabel(context, meeting.district)},
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
  AddError(context, error, data);
  return context.Page("consultation/detail",
                      voice ? context.Message("voice_title") : consultation.title, data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// The confirmation page (確認画面): exactly what will be sent, with 修正する and 送信する; the
// fields travel on as hidden inputs with the token.
Response RenderConfirm(RequestContext& context, const Consultation& consultation,
                       const OpinionForm& form, const Status& error) {
  json data = FormView(context, consultation, form);
  data["lang_form"] = {{"form", "opinion-form"}, {"action", data["confirm_action"]}};
  const std::string text = TrimSpaces(form.text);
  data["text"] = text;
  data["characters"] = GroupThousands(static_cast<int64_t>(CharacterCount(text)));
  json contacts = json::array();
  for (const auto& [label, value] : {std::pair{"form_contact_name", &form.contact_name},
                                     {"form_contact_email", &form.contact_email},
                                     {"form_contact_phone", &form.contact_phone},
                                     {"form_contact_address", &form.contact_address},
                                     {"form_notify_email", &form.notify_email}}) {
    contacts.push_back(
        {{"label", context.Message(label)}, {"value", *value}, {"has_value", !value->empty()}});
  }
  data["contacts"] = contacts;
  AddError(context, error, data);
  return context.Page("consultation/confirm", context.Message("confirm_title"), data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

// The confirmation page when `form` may be sent; the form again with the refusal otherwise.
Result<Response> ConfirmOrRefuse(RequestContext& context, const Consultation& consultation,
                                 OpinionForm form) {
  if (!IsFormToken(form.token)) form.token = NewFormToken();
  Status checked = CheckSubmission(context.app().database(), consultation.id, SubmissionOf(form),
                                   Settings{}, false);
  if (checked.ok() && !form.notify_email.empty())
    checked = mail::CheckAddress(form.notify_email, "notify_email").status();
  if (!checked.ok()) return RenderForm(context, consultation, std::move(form), checked);
  return RenderConfirm(context, consultation, form, Status::Ok());
}

// The honeypot was filled: a person (an autofill, a screen magnifier) keeps the text and is
// asked, in neutral words, to check and send again; the field comes back empty.
Result<Response> AskAgain(RequestContext& context, const Consultation& consultation,
                          OpinionForm form) {
  form.website.clear();
  return RenderForm(context, consultation, std::move(form),
                    Status::InvalidArgument("consultation.form_check_again"));
}

// When this form's token has a receipt already: the same opinion goes to that receipt (a resend,
// a reload); a different text keeps it on a fresh form, saying it was not stored.
Result<std::optional<Response>> SentBefore(RequestContext& context,
                                           const Consultation& consultation,
                                           const OpinionForm& form, const std::string& receipt) {
  Result<SubmissionCopy> copy = GetSubmissionCopy(context.app().database(), receipt);
  if (!copy.ok()) {
    if (copy.status().code() == StatusCode::kNotFound) return std::optional<Response>();
    return copy.status();
  }
  // Stored with LF line endings (NormalizeLineEndings); a browser sends the textarea with CRLF.
  if (copy->consultation_id == consultation.id &&
      copy->text == NormalizeLineEndings(TrimSpaces(form.text)).text)
    return std::optional<Response>(http::RedirectResponse(ReceiptAddress(receipt)));
  OpinionForm fresh = form;
  fresh.token.clear();
  CIVICDESK_ASSIGN_OR_RETURN(
      Response page,
      RenderForm(context, consultation, std::move(fresh),
                 Status::Conflict("consultation.form_already_sent", {{"receipt", receipt}})));
  return std::optional<Response>(std::move(page));
}

// The lookup form, with a miss in the error summary and beside the number asked for.
Response RenderLookup(RequestContext& context, const std::string& number, const Status& miss) {
  json data = {{"number", number}};
  if (!miss.ok()) {
    data.update(http::FormErrorView(context, miss.WithField("number"),
                                    {{"number", {"number", "receipt_number"}}}));
  }
  return context.Page("consultation/receipt_lookup", context.Message("receipt_lookup_title"), data,
                      miss.ok() ? 200 : HttpStatusFor(miss.code()));
}

bool IsCanonicalReceipt(const std::string& number) {
  return number.size() == 17 && number.rfind("CD-", 0) == 0;
}

}  // namespace

Result<Response> DetailPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, PageConsultation(context));
  return RenderForm(context, consultation, {}, Status::Ok());
}

Result<Response> EditOpinion(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, PageConsultation(context));
  OpinionForm form = ReadOpinionForm(context);
  form.website.clear();
  return RenderForm(context, consultation, std::move(form), Status::Ok());
}

Result<Response> ConfirmOpinion(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, PageConsultation(context));
  OpinionForm form = ReadOpinionForm(context);
  if (!form.website.empty()) return AskAgain(context, consultation, std::move(form));
  return ConfirmOrRefuse(context, consultation, std::move(form));
}

Result<Response> SubmitForm(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, PageConsultation(context));
  OpinionForm form = ReadOpinionForm(context);
  if (!form.website.empty()) return AskAgain(context, consultation, std::move(form));
  // Sent without passing the confirmation (an old page, a script): confirm first.
  if (!IsFormToken(form.token)) return ConfirmOrRefuse(context, consultation, std::move(form));
  const std::string receipt = ReceiptForFormToken(form.token);
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<Response> again,
                             SentBefore(context, consultation, form, receipt));
  if (again) return std::move(*again);
  if (Status allowed = context.app().CheckSubmissionRate(context.request()); !allowed.ok())
    return RenderConfirm(context, consultation, form, allowed);
  NewSubmission submission = SubmissionOf(form);
  submission.receipt = receipt;
  Result<Receipt> stored =
      SubmitWithNotice(context.app().database(), consultation.id, submission, Settings{},
                       ActorOf(context), false, form.notify_email, context.language());
  if (!stored.ok()) {
    // The same form sent twice at once: the second collides with the first's receipt.
    if (stored.status().code() == StatusCode::kConflict) {
      CIVICDESK_ASSIGN_OR_RETURN(std::optional<Response> raced,
                                 SentBefore(context, consultation, form, receipt));
      if (raced) return std::move(*raced);
    }
    return RenderForm(context, consultation, std::move(form), stored.status());
  }
  return http::RedirectResponse(ReceiptAddress(stored->receipt));
}

Result<Response> ReceiptLookup(RequestContext& context) {
  std::string typed = context.request().QueryParam("number").value_or("");
  if (TrimSpaces(typed).empty()) return RenderLookup(context, typed, Status::Ok());
  const std::string number = NormalizeReceiptNumber(typed);
  Result<ReceiptStatus> found = FindReceipt(context.app().database(), number);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return RenderLookup(context, typed, found.status());
  }
  return http::RedirectResponse(ReceiptAddress(found->receipt));
}

Result<Response> ReceiptPage(RequestContext& context) {
  const std::string typed = context.request().PathParam("receipt");
  const std::string number = NormalizeReceiptNumber(typed);
  if (number != typed && IsCanonicalReceipt(number))
    return http::RedirectResponse(ReceiptAddress(number));
  storage::Database& database = context.app().database();
  Result<ReceiptStatus> status = FindReceipt(database, number);
  if (!status.ok()) {
    if (status.status().code() != StatusCode::kNotFound) return status.status();
    return RenderLookup(context, typed, status.status());
  }
  CIVICDESK_ASSIGN_OR_RETURN(SubmissionCopy copy, GetSubmissionCopy(database, number));
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                             GetConsultation(database, copy.consultation_id));
  OpinionForm sent;
  sent.text = copy.text;
  sent.relationship = copy.relationship;
  json data = FormView(context, consultation, sent);
  data["receipt"] = status->receipt;
  data["received"] = FormatTimestampIn(context.language(), status->received_at);
  data["state_label"] = context.Message("receipt_state_" + status->state);
  data["consultation_href"] = consultation.kind == "voice"
                                  ? std::string("/voice")
                                  : "/consultations/" + std::to_string(consultation.id);
  data["text"] = copy.text;
  data["characters"] = GroupThousands(static_cast<int64_t>(CharacterCount(copy.text)));
  json contacts = json::array();
  for (const auto& [label, given] : {std::pair{"form_contact_name", copy.gave_name},
                                     {"form_contact_email", copy.gave_email},
                                     {"form_contact_phone", copy.gave_phone},
                                     {"form_contact_address", copy.gave_address}}) {
    contacts.push_back({{"label", context.Message(label)}, {"given", given}});
  }
  data["contacts"] = contacts;
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<std::string> notify,
                             MaskedSubscriptionOf(database, status->receipt));
  if (notify)
    data["notify"] = {{"masked", *notify},
                      {"action", ReceiptAddress(status->receipt) + "/notification"}};
  if (context.request().QueryParam("notification") == "deleted") data["notify_deleted"] = true;
  return context.Page("consultation/receipt", context.Message("receipt_title"), data);
}

}  // namespace civicdesk::consultation
