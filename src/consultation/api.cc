// The JSON API: opinions in, a receipt's status, a result's summary and the 区民の声 desk by
// month. Failures are answered by App as {"error": {code, message_id, message, field}}.
#include <nlohmann/json.hpp>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/intake.h"
#include "consultation/notifications.h"
#include "consultation/store.h"
#include "consultation/views.h"
#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"

namespace civicdesk::consultation {

using http::RequestContext;
using http::Response;
using nlohmann::json;

Result<Response> ApiSubmit(RequestContext& context) {
  bool voice = context.request().path.rfind("/api/v1/voice/", 0) == 0;
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id,
                             voice ? VoiceDeskId(context.app().database()) : context.PathId("id"));
  json body = json::parse(context.request().body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return Status::InvalidArgument("consultation.body_not_object", "body");
  NewSubmission submission;
  std::string notify_email;  // to hear back (notifications.h), in `language`
  std::string language = context.language();
  for (auto [key, target] : {std::pair<const char*, std::string*>{"text", &submission.text},
                             {"channel", &submission.channel},
                             {"district", &submission.district},
                             {"relationship", &submission.relationship},
                             {"notify_email", &notify_email},
                             {"language", &language}}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    if (!body[key].is_string()) return Status::InvalidArgument("consultation.must_be_string", key);
    *target = body[key].get<std::string>();
  }
  if (language != "ja" && language != "en")
    return Status::InvalidArgument("consultation.language_invalid", "language");
  if (!body.contains("text")) return Status::InvalidArgument("consultation.text_required", "text");
  CIVICDESK_RETURN_IF_ERROR(context.app().CheckSubmissionRate(context.request()));
  CIVICDESK_ASSIGN_OR_RETURN(Receipt receipt,
                             SubmitWithNotice(context.app().database(), id, submission, Settings{},
                                              ActorOf(context), false, notify_email, language));
  return context.Json(201, {{"receipt", receipt.receipt}});
}

Result<Response> ApiReceipt(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(
      ReceiptStatus status,
      FindReceipt(context.app().database(),
                  NormalizeReceiptNumber(context.request().PathParam("receipt"))));
  return context.Json(200, {{"receipt", status.receipt},
                            {"consultation_id", status.consultation_id},
                            {"consultation", status.consultation_title},
                            {"received_at", status.received_at},
                            {"status", status.state},
                            {"items", status.items}});
}

// A result's blocks 1 and 2; before publication only for publishers and admins (404 to the
// public), as the result itself.
Result<Response> ApiSummary(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(MaySeeResult(context, consultation));
  CIVICDESK_ASSIGN_OR_RETURN(Summary summary, Summarize(database, id));
  return context.Json(200, SummaryJson(summary));
}

// GET /api/v1/voice/monthly?fiscal_year=2025: the desk's items per month of the 年度, by
// channel and by field, with each channel's share (seed 001: e-mail was 52.6% in 令和元年度).
Result<Response> ApiVoiceMonthly(RequestContext& context) {
  int fiscal_year = FiscalYear::Containing(TodayInJapan()).year();
  if (std::optional<std::string> requested = context.request().QueryParam("fiscal_year")) {
    std::optional<int64_t> year = ParseWholeNumber(*requested, 1989, 2200);
    if (!year) return Status::InvalidArgument("consultation.fiscal_year_invalid", "fiscal_year");
    fiscal_year = static_cast<int>(*year);
  }
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(int64_t voice, VoiceDeskId(database));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<MonthlyCount> months,
                             MonthlyCounts(database, voice, fiscal_year));
  json body = MonthlyJson(months);
  body["fiscal_year"] = fiscal_year;
  body["fiscal_year_label"] = FormatWarekiFiscalYear(FiscalYear(fiscal_year));
  return context.Json(200, body);
}

}  // namespace civicdesk::consultation
