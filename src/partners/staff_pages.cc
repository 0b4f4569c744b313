#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"
#include "partners/expenses_form.h"
#include "partners/form_numbers.h"
#include "partners/handlers.h"
#include "partners/partners_import.h"
#include "partners/views.h"

namespace civicdesk::partners {
namespace {

using http::Access;
using http::RequestContext;
using http::Response;
using nlohmann::json;

// /staff/workation for ?year= (the current programme's year by default), with `extra` (a form's
// error) over it. Publishers and admins also get the forms that change things.
Result<Response> RenderStaffWorkation(RequestContext& context, json extra = json::object(),
                                      int status = 200) {
  storage::Database& database = context.app().database();
  // The page opens on this fiscal year. A year with no programme yet shows the latest
  // programme's rules in the settings form (saving creates the year) and links to the years
  // that have one.
  CIVICDESK_ASSIGN_OR_RETURN(Programme latest, CurrentProgramme(database));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Programme> programmes, ListProgrammes(database));
  CIVICDESK_ASSIGN_OR_RETURN(int year,
                             YearParam(context, FiscalYear::Containing(TodayInJapan()).year()));
  Programme programme = latest;
  programme.fiscal_year = year;
  programme.opens.clear();
  programme.closes.clear();
  bool has_programme = false;
  json other_years = json::array();
  for (const Programme& candidate : programmes) {
    if (candidate.fiscal_year == year) {
      programme = candidate;
      has_programme = true;
      continue;
    }
    other_years.push_back(
        {{"year", candidate.fiscal_year},
         {"label", FormatFiscalYearIn(context.language(), FiscalYear(candidate.fiscal_year))}});
  }
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Application> applications,
                             ListApplications(database, year));
  Result<std::vector<Partner>> partners = ListPartners(database);
  const auto by_code = PartnersByCode(partners.ok() ? *partners : std::vector<Partner>{});
  const bool manage = context.HasAccess(Access::kPublisher);
  json rows = json::array();
  int eligible = 0;
  for (const Application& application : applications) {
    if (application.status == ApplicationStatus::kReceived) ++eligible;
    rows.push_back(
        {{"id", application.id},
         {"number", application.number},
         {"business", application.business_name},
         {"corporate_number",
          application.corporate_number.empty() ? "—" : application.corporate_number},
         {"destination", PartnerLabel(by_code, application.destination_code)},
         {"staff_count", application.staff_count},
         {"nights", application.planned_nights},
         {"status", StatusLabel(context, application.status)},
         {"note", application.eligibility_note},
         {"subsidy", application.subsidy_yen ? GroupThousands(*application.subsidy_yen) : ""},
         {"report_url", application.report_url},
         {"can_approve", manage && application.status == ApplicationStatus::kSelected},
         {"can_report", manage && application.status == ApplicationStatus::kApproved},
         {"can_publish", manage && application.status == ApplicationStatus::kReported}});
  }
  Result<std::optional<Draw>> draw = FindDraw(database, year);
  const std::optional<int> capacity = programme.Capacity();
  const Result<Date> closes = ParseIsoDate(programme.closes);
  json data = {{"programme", ProgrammeView(context, programme)},
               {"year", year},
               {"has_programme", has_programme},
               {"other_years", other_years},
               {"has_other_years", !other_years.empty()},
               {"applications", rows},
               {"has_applications", !rows.empty()},
               {"eligible", eligible},
               {"oversubscribed", capacity && eligible > *capacity},
               {"can_select", manage && eligible > 0 && !(draw.ok() && draw->has_value())},
               {"drawn", draw.ok() && draw->has_value()},
               {"window_closed", closes.ok() && *closes < TodayInJapan()},
               {"lottery", CommitmentView(database, year)},
               {"manage", manage},
               {"csrf_token", context.csrf_token()}};
  for (auto& [key, value] : extra.items()) data[key] = value;
  return context.Page("partners/staff_workation", context.Message("partners_staff_title"), data,
                      status);
}

// A refused workation form: bad input or a conflict is shown inline on /staff/workation; any
// other failure is App's error page.
Result<Response> StaffError(RequestContext& context, const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kConflict) {
    return RenderStaffWorkation(
        context, {{"error", context.Format(status)}, {"error_field", status.field()}},
        status.code() == StatusCode::kConflict ? 409 : 422);
  }
  return status;
}

// /staff/partners with `extra` (a form's error) over it.
Result<Response> RenderStaffPartners(RequestContext& context, json extra = json::object(),
                                     int status = 200) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Partner> partners, ListPartners(context.app().database()));
  json choices = json::array();
  for (const Partner& partner : partners)
    choices.push_back({{"code", partner.code}, {"label", partner.prefecture + partner.name}});
  json offices = json::array();
  for (const char* office : kOffices)
    if (std::string(office).size() > 0) offices.push_back(office);
  json data = {{"partners", choices}, {"offices", offices}, {"csrf_token", context.csrf_token()}};
  for (auto& [key, value] : extra.items()) data[key] = value;
  return context.Page("partners/staff_partners", context.Message("partners_staff_partners_title"),
                      data, status);
}

// A refused partners form: bad input is shown inline on /staff/partners.
Result<Response> PartnersFormError(RequestContext& context, const Status& status) {
  if (status.code() != StatusCode::kInvalidArgument) return status;
  return RenderStaffPartners(
      context, {{"error", context.Format(status)}, {"error_field", status.field()}}, 422);
}

// The expenses typed into the report box, reported for application `id`.
Status ReportFromForm(RequestContext& context, int64_t id, const std::string& text) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<StaffExpense> staff, ParseExpensesForm(text));
  return ReportExpenses(context.app().database(), id, staff, context.principal()->login).status();
}

}  // namespace

Result<Response> StaffWorkationPage(RequestContext& context) {
  return RenderStaffWorkation(context);
}

Result<Response> SaveProgrammeForm(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  Result<int> year = FiscalYearNumber(form["year"]);
  if (!year.ok()) return StaffError(context, year.status());
  // A new year starts from the latest programme's rules, conditions and destinations.
  Result<Programme> existing = FindProgramme(context.app().database(), *year);
  Programme programme;
  if (existing.ok()) {
    programme = *existing;
  } else {
    CIVICDESK_ASSIGN_OR_RETURN(programme, CurrentProgramme(context.app().database()));
    programme.fiscal_year = *year;
  }
  programme.opens = form["opens"];
  programme.closes = form["closes"];
  Result<std::optional<int64_t>> budget = FormInteger(form["budget_yen"], "budget_yen");
  if (!budget.ok()) return StaffError(context, budget.status());
  Result<std::optional<int64_t>> places = FormInteger(form["places"], "places");
  if (!places.ok()) return StaffError(context, places.status());
  programme.budget_yen = *budget;
  for (const auto& [field, target] :
       {std::pair<const char*, int64_t*>{"lodging_cap",
                                         &programme.rules.lodging_cap_per_person_night_yen},
        std::pair<const char*, int64_t*>{"business_cap", &programme.rules.cap_per_business_yen}}) {
    Result<std::optional<int64_t>> cap = FormInteger(form[field], field);
    if (!cap.ok()) return StaffError(context, cap.status());
    if (!*cap) continue;  // left empty: unchanged
    if (**cap < 1)
      return StaffError(context, Status::InvalidArgument("partners.yen_at_least_one", field));
    *target = **cap;
  }
  programme.places =
      *places ? std::optional<int>(static_cast<int>(std::min<int64_t>(**places, 1000000)))
              : std::nullopt;
  if (Status saved = SaveProgramme(context.app().database(), programme, context.principal()->login,
                                   TodayInJapan());
      !saved.ok())
    return StaffError(context, saved);
  return http::RedirectResponse("/staff/workation?year=" + std::to_string(*year));
}

Result<Response> SelectForm(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  Result<int> year = FiscalYearNumber(form["year"]);
  if (!year.ok()) return StaffError(context, year.status());
  // The seed is the one committed before the window closed; nobody types it.
  Result<std::optional<Draw>> draw = SelectParticipants(context.app().database(), *year,
                                                        context.principal()->login, TodayInJapan());
  if (!draw.ok()) return StaffError(context, draw.status());
  return http::RedirectResponse(draw->has_value()
                                    ? "/workation/draws/" + std::to_string(*year)
                                    : "/staff/workation?year=" + std::to_string(*year));
}

Result<Response> ApplicationAction(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Application application, FindApplication(database, id));
  std::map<std::string, std::string> form = context.request().Form();
  const std::string action = context.request().PathParam("action");
  const std::string& user = context.principal()->login;
  Status done;
  if (action == "approve") {
    done = ApproveApplication(database, id, user);
  } else if (action == "report") {
    done = ReportFromForm(context, id, form["expenses"]);
  } else if (action == "publish") {
    done = PublishExperienceReport(database, id, form["report_url"], user);
  } else {
    return Status::NotFound("partners.unknown_action", {{"action", action}});
  }
  if (!done.ok()) return StaffError(context, done);
  return http::RedirectResponse("/staff/workation?year=" + std::to_string(application.fiscal_year));
}

Result<Response> StaffPartnersPage(RequestContext& context) { return RenderStaffPartners(context); }

Result<Response> AddExchangeForm(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  // A 和暦 date as the hint shows it is read as the import reads it; what is not a date is left
  // for AddExchange to refuse, naming the field.
  if (const std::string iso = ReadSignedOn(form["on"]); !iso.empty()) form["on"] = iso;
  Exchange exchange{form["partner_code"], form["office"], form["title"], form["on"], "職員の記録"};
  if (Status added = AddExchange(context.app().database(), exchange, context.principal()->login);
      !added.ok())
    return PartnersFormError(context, added);
  return http::RedirectResponse("/partners/agreements#exchanges-heading");
}

Result<Response> AddAgreementForm(RequestContext& context) {
  std::map<std::string, std::string> form = context.request().Form();
  if (const std::string iso = ReadSignedOn(form["signed_on"]); !iso.empty())
    form["signed_on"] = iso;
  Agreement agreement{form["partner_code"],
                      form["type"],
                      form["title"],
                      form["signed_on"],
                      form["status"].empty() ? "active" : form["status"],
                      "職員の記録"};
  if (Status added = AddAgreement(context.app().database(), agreement, context.principal()->login);
      !added.ok())
    return PartnersFormError(context, added);
  return http::RedirectResponse("/partners/agreements#list-heading");
}

}  // namespace civicdesk::partners
