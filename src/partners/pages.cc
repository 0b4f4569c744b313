#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"
#include "http/form_errors.h"
#include "partners/form_numbers.h"
#include "partners/handlers.h"
#include "partners/lottery.h"
#include "partners/schedule.h"
#include "partners/views.h"

namespace civicdesk::partners {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

// `text` as one shell word: the hex seeds the system draws need no quotes; anything else (a
// seed typed before commitments) is put in single quotes.
std::string ShellQuoted(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == ':' || c == '_' || c == '.';
  });
  if (plain) return text;
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string WeekdayJa(Date date) {
  static const char* names[] = {"日", "月", "火", "水", "木", "金", "土"};
  return names[std::chrono::weekday(std::chrono::sys_days(date)).c_encoding()];
}

// /workation with `extra` (an estimate, a form's error and values) over the programme.
Result<Response> RenderWorkation(RequestContext& context, json extra = json::object(),
                                 int status = 200) {
  CIVICDESK_ASSIGN_OR_RETURN(Programme programme, CurrentProgramme(context.app().database()));
  json data = {{"programme", ProgrammeView(context, programme)},
               {"csrf_token", context.csrf_token()},
               {"rows", EstimatorRows({})},
               {"window_status", WindowStatusView(context, programme, TodayInJapan())}};
  Result<std::optional<Draw>> draw = FindDraw(context.app().database(), programme.fiscal_year);
  data["drawn"] = draw.ok() && draw->has_value();
  data["lottery"] = CommitmentView(context.app().database(), programme.fiscal_year);
  for (auto& [key, value] : extra.items()) data[key] = value;
  return context.Page("partners/workation", context.Message("partners_workation_title"), data,
                      status);
}

// The estimator's form shown again with `status` in an error summary linking to the form's own
// field (nights_2: 泊数 2) and that input marked invalid.
Result<Response> EstimateRefused(RequestContext& context,
                                 const std::vector<std::map<std::string, std::string>>& values,
                                 const Status& status, const std::string& field) {
  json rows = EstimatorRows(values);
  std::map<std::string, http::FormControl> controls;
  for (const auto& [part, label] : {std::pair{"nights", "partners_nights"},
                                    {"lodging", "partners_lodging_per_night"},
                                    {"transport", "partners_transport"}}) {
    const std::string prefix = std::string(part) + "_";
    if (field.rfind(prefix, 0) != 0) continue;
    const std::optional<int64_t> n =
        ParseWholeNumber(field.substr(prefix.size()), 1, kEstimatorRows);
    if (!n) continue;
    controls[field] = {field, label, " " + std::to_string(*n)};
    rows[*n - 1][std::string(part) + "_invalid"] = true;
  }
  return RenderWorkation(
      context,
      {{"rows", rows},
       {"estimate_errors", http::FormErrorView(context, status.WithField(field), controls)}},
      400);
}

// The application form's controls as the resident sees them (for its error summary).
const std::map<std::string, http::FormControl>& ApplyControls() {
  static const auto* const controls = new std::map<std::string, http::FormControl>{
      {"business_name", {"business_name", "partners_business_name"}},
      {"corporate_number", {"corporate_number", "partners_corporate_number"}},
      {"representative", {"representative", "partners_representative"}},
      {"address", {"address", "partners_address"}},
      {"destination", {"destination", "partners_destination"}},
      {"staff_count", {"staff_count", "partners_staff_count"}},
      {"planned_nights", {"planned_nights", "partners_planned_nights"}},
      {"email", {"email", "partners_email"}},
      {"agree", {"agree", "partners_agree"}}};
  return *controls;
}

// staff[2].nights → nights_3, the estimator form's own name for it.
std::string EstimatorField(std::string field) {
  if (field.rfind("staff[", 0) != 0) return field;
  const int index = std::atoi(field.c_str() + 6);
  const size_t dot = field.find('.');
  const std::string part = dot == std::string::npos ? "" : field.substr(dot + 1);
  return (part == "lodging_per_night_yen" ? "lodging_"
          : part == "transport_yen"       ? "transport_"
                                          : "nights_") +
         std::to_string(index + 1);
}

}  // namespace

Result<Response> IndexPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Register loaded, LoadRegister(context.app().database()));
  const auto& [partners, agreements, exchanges, published] = loaded;
  // Prefectures in code order (北海道 first), partners by code within each.
  std::vector<std::string> order;
  std::map<std::string, json> groups;
  for (const Partner& partner : partners) {
    if (!groups.contains(partner.prefecture)) {
      order.push_back(partner.prefecture);
      groups[partner.prefecture] = json::array();
    }
    json agreement_titles = json::array();
    for (const Agreement& agreement : agreements)
      if (agreement.partner_code == partner.code) agreement_titles.push_back(agreement.type);
    json exchange_titles = json::array();
    for (const Exchange& exchange : exchanges) {
      if (exchange.partner_code == partner.code) {
        exchange_titles.push_back(
            exchange.office.empty() ? exchange.title : exchange.office + "：" + exchange.title);
      }
    }
    groups[partner.prefecture].push_back({{"code", partner.code},
                                          {"name", partner.name},
                                          {"note", partner.note},
                                          {"agreements", agreement_titles},
                                          {"exchanges", exchange_titles}});
  }
  json prefectures = json::array();
  for (const std::string& prefecture : order) {
    prefectures.push_back({{"prefecture", prefecture},
                           {"count", groups[prefecture].size()},
                           {"partners", groups[prefecture]}});
  }
  json totals = json::array();
  for (const PublishedCount& count : published) {
    if (count.type.find("合計") == std::string::npos) continue;
    Result<Date> as_of = ParseIsoDate(count.as_of);
    totals.push_back(
        {{"count", count.count}, {"as_of", as_of.ok() ? FormatWarekiDate(*as_of) : count.as_of}});
  }
  return context.Page("partners/partners_index", context.Message("partners_title"),
                      {{"registered", partners.size()},
                       {"prefecture_count", order.size()},
                       {"published_totals", totals},
                       {"prefectures", prefectures}});
}

Result<Response> AgreementsPage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Register loaded, LoadRegister(context.app().database()));
  const auto& [partners, agreements, exchanges, published] = loaded;
  const auto by_code = PartnersByCode(partners);
  std::map<std::string, std::set<std::string>> registered_by_type;
  for (const Agreement& agreement : agreements)
    registered_by_type[agreement.type].insert(agreement.partner_code);
  json types = json::array();
  std::set<std::string> seen;
  for (const PublishedCount& count : published) {
    if (count.type.find("合計") != std::string::npos) continue;
    Result<Date> as_of = ParseIsoDate(count.as_of);
    types.push_back({{"type", count.type},
                     {"title", count.title},
                     {"published", count.count},
                     {"as_of", as_of.ok() ? FormatWarekiDate(*as_of) : count.as_of},
                     {"registered", registered_by_type[count.type].size()}});
    seen.insert(count.type);
  }
  for (const auto& [type, codes] : registered_by_type) {
    if (seen.contains(type)) continue;
    types.push_back({{"type", type},
                     {"title", type},
                     {"published", "—"},
                     {"as_of", ""},
                     {"registered", codes.size()}});
  }
  json rows = json::array();
  for (const Agreement& agreement : agreements) {
    rows.push_back({{"partner", PartnerLabel(by_code, agreement.partner_code)},
                    {"code", agreement.partner_code},
                    {"type", agreement.type},
                    {"title", agreement.title},
                    {"signed_on", WarekiOfPartialDate(agreement.signed_on)},
                    {"active", agreement.status == "active"},
                    {"source", agreement.source}});
  }
  json offices = json::array();
  for (const char* office : kOffices) {
    json items = json::array();
    for (const Exchange& exchange : exchanges) {
      if (exchange.office != office) continue;
      items.push_back({{"partner", PartnerLabel(by_code, exchange.partner_code)},
                       {"title", exchange.title},
                       {"on", WarekiOfPartialDate(exchange.on)},
                       {"source", exchange.source}});
    }
    if (items.empty()) continue;
    offices.push_back({{"office", std::string(office)},
                       {"unstated", std::string(office).empty()},
                       {"headquarters", std::string(office) == "本庁"},
                       {"items", items}});
  }
  return context.Page("partners/agreements", context.Message("partners_agreements_title"),
                      {{"types", types}, {"agreements", rows}, {"offices", offices}});
}

// Each date with its status against today in Japan (開催済み / 本日開催 / 開催予定: a date shipped
// in 2023 is never 開催予定 in 2026) and its own .ics.
Result<Response> MarchePage(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Event> events, ListEvents(context.app().database()));
  const Date today = TodayInJapan();
  json rows = json::array();
  bool any_to_come = false;
  for (const Event& event : events) {
    Result<Date> date = ParseIsoDate(event.date);
    const EventTiming timing = TimingOf(event, today);
    any_to_come = any_to_come || timing != EventTiming::kHeld;
    const std::string shown =
        date.ok() ? FormatWarekiDate(*date) + "（" + WeekdayJa(*date) + "）" : event.date;
    rows.push_back({{"date", shown},
                    {"iso", event.date},
                    {"id", event.id},
                    {"timing", EventTimingName(timing)},
                    {"timing_label",
                     context.Message(std::string("partners_event_") + EventTimingName(timing))},
                    {"ics_label", context.Format(Status(StatusCode::kOk, "partners.event_ics_label",
                                                        {{"date", shown}}))},
                    // 予定 (tentative) is said of a date still to come only.
                    {"planned", event.planned && timing != EventTiming::kHeld},
                    {"title", event.title},
                    {"venue", event.venue},
                    {"address", event.address},
                    {"opens", event.opens},
                    {"closes", event.closes},
                    {"stalls", event.stalls},
                    {"participants", event.participants_text}});
  }
  return context.Page("partners/marche", context.Message("partners_marche_title"),
                      {{"events", rows}, {"none_to_come", !events.empty() && !any_to_come}});
}

Result<Response> WorkationPage(RequestContext& context) { return RenderWorkation(context); }

Result<Response> EstimatePage(RequestContext& context) {
  std::vector<StaffExpense> staff;
  std::vector<std::map<std::string, std::string>> values;
  for (int i = 1; i <= kEstimatorRows; ++i) {
    const std::string n = std::to_string(i);
    std::map<std::string, std::string> row = {
        {"nights", context.request().QueryParam("nights_" + n).value_or("")},
        {"lodging", context.request().QueryParam("lodging_" + n).value_or("")},
        {"transport", context.request().QueryParam("transport_" + n).value_or("")}};
    values.push_back(row);
    Result<std::optional<int64_t>> nights = FormInteger(row["nights"], "nights_" + n);
    Result<std::optional<int64_t>> lodging = FormInteger(row["lodging"], "lodging_" + n);
    Result<std::optional<int64_t>> transport = FormInteger(row["transport"], "transport_" + n);
    for (const auto* result : {&nights, &lodging, &transport}) {
      if (!result->ok())
        return EstimateRefused(context, values, result->status(), result->status().field());
    }
    if (!nights->has_value() && !lodging->has_value() && !transport->has_value()) continue;
    staff.push_back({static_cast<int>(std::min<int64_t>(nights->value_or(0), 1000)),
                     lodging->value_or(0), transport->value_or(0)});
  }
  Result<Programme> programme = CurrentProgramme(context.app().database());
  const SubsidyRules rules = programme.ok() ? programme->rules : SubsidyRules{};
  Result<SubsidyEstimate> estimate = EstimateSubsidy(staff, rules);
  if (!estimate.ok()) {
    return EstimateRefused(context, values, estimate.status(),
                           EstimatorField(estimate.status().field()));
  }
  json lines = json::array();
  for (size_t i = 0; i < estimate->lines.size(); ++i) {
    const SubsidyLine& line = estimate->lines[i];
    lines.push_back({{"n", i + 1},
                     {"nights", line.expense.nights},
                     {"lodging_claimed", GroupThousands(line.lodging_claimed_yen)},
                     {"lodging_eligible", GroupThousands(line.lodging_eligible_yen)},
                     {"transport", GroupThousands(line.transport_eligible_yen)},
                     {"total", GroupThousands(line.line_total_yen)}});
  }
  return RenderWorkation(context, {{"rows", EstimatorRows(values)},
                                   {"has_estimate", true},
                                   {"estimate_lines", lines},
                                   {"estimate_total", GroupThousands(estimate->eligible_total_yen)},
                                   {"estimate_subsidy", GroupThousands(estimate->subsidy_yen)},
                                   {"estimate_capped", estimate->capped}});
}

Result<Response> ApplyForm(RequestContext& context) {
  CIVICDESK_RETURN_IF_ERROR(context.app().CheckSubmissionRate(context.request()));
  std::map<std::string, std::string> form = context.request().Form();
  CIVICDESK_ASSIGN_OR_RETURN(Programme programme, CurrentProgramme(context.app().database()));
  Application application;
  application.fiscal_year = programme.fiscal_year;
  application.business_name = form["business_name"];
  application.corporate_number = form["corporate_number"];
  application.representative = form["representative"];
  application.address = form["address"];
  application.destination_code = form["destination"];
  application.email = form["email"];
  Result<std::optional<int64_t>> staff_count = FormInteger(form["staff_count"], "staff_count");
  Result<std::optional<int64_t>> nights = FormInteger(form["planned_nights"], "planned_nights");
  // The form again, with what was typed and the error inline.
  auto refuse = [&](const Status& status) {
    json values = json::object();
    for (const auto& [key, value] : form)
      if (key != "csrf_token") values[key] = value;
    return RenderWorkation(context,
                           {{"apply_errors", http::FormErrorView(context, status, ApplyControls())},
                            {"apply", values}},
                           status.code() == StatusCode::kConflict ? 409 : 422);
  };
  // Outside the window nothing typed can make the application succeed: that is said first (409).
  if (Status open = CheckWindowOpen(programme, TodayInJapan()); !open.ok()) {
    if (open.code() != StatusCode::kConflict) return open;
    return refuse(open);
  }
  if (!staff_count.ok()) return refuse(staff_count.status());
  if (!nights.ok()) return refuse(nights.status());
  application.staff_count = static_cast<int>(std::min<int64_t>(staff_count->value_or(0), 1000));
  application.planned_nights = static_cast<int>(std::min<int64_t>(nights->value_or(0), 1000));
  if (form["agree"] != "yes")
    return refuse(Status::InvalidArgument("partners.agree_required", "agree"));
  Result<Application> stored =
      SubmitApplication(context.app().database(), application, TodayInJapan());
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kInvalidArgument ||
        stored.status().code() == StatusCode::kConflict)
      return refuse(stored.status());
    return stored.status();
  }
  return context.Page("partners/applied", context.Message("partners_applied_title"),
                      {{"number", stored->number},
                       {"ineligible", stored->status == ApplicationStatus::kIneligible},
                       {"reason", stored->eligibility_note}},
                      201);
}

Result<Response> DrawPage(RequestContext& context) {
  // A year, not an id: anything outside 2000–2200 has no draw.
  CIVICDESK_ASSIGN_OR_RETURN(int fiscal_year, PathYear(context, "partners.draw_not_found"));
  CIVICDESK_ASSIGN_OR_RETURN(std::optional<Draw> draw,
                             FindDraw(context.app().database(), fiscal_year));
  if (!draw) return Status::NotFound("partners.draw_not_found");
  std::vector<std::string> applicants;
  for (const DrawTicket& ticket : draw->tickets) applicants.push_back(ticket.applicant);
  // Both checks are made again on every view: the seed against the commitment published before
  // the window closed, and the draw against its record.
  const std::string seed_hash = Sha256Hex(draw->seed);
  const bool committed = !draw->commitment.empty();
  const std::vector<DrawTicket> again =
      DrawLottery(draw->seed, applicants, static_cast<size_t>(draw->places));
  bool same = again.size() == draw->tickets.size();
  for (size_t i = 0; same && i < again.size(); ++i) {
    same = again[i].applicant == draw->tickets[i].applicant &&
           again[i].hash_hex == draw->tickets[i].hash_hex && again[i].won == draw->tickets[i].won;
  }
  json tickets = json::array();
  for (size_t i = 0; i < draw->tickets.size(); ++i) {
    const DrawTicket& ticket = draw->tickets[i];
    tickets.push_back({{"rank", i + 1},
                       {"applicant", ticket.applicant},
                       {"hash", ticket.hash_hex},
                       {"won", ticket.won}});
  }
  const std::string first = draw->tickets.empty() ? "WK" + std::to_string(fiscal_year) + "-0001"
                                                  : draw->tickets.front().applicant;
  return context.Page(
      "partners/draw", context.Message("partners_draw_title"),
      {{"fiscal_year_label", FormatWarekiFiscalYear(FiscalYear(fiscal_year))},
       {"seed", draw->seed},
       {"seed_hash", seed_hash},
       {"committed", committed},
       {"commitment", draw->commitment},
       {"committed_at", FormatWarekiTimestamp(draw->committed_at)},
       {"seed_matches", committed && seed_hash == draw->commitment},
       {"seed_command", "printf %s " + ShellQuoted(draw->seed) + " | sha256sum"},
       {"ticket_command", "printf %s " + ShellQuoted(draw->seed + ":" + first) + " | b2sum -l 256"},
       {"places", draw->places},
       {"count", draw->tickets.size()},
       {"drawn_at", FormatWarekiTimestamp(draw->drawn_at)},
       {"tickets", tickets},
       {"verified", same}});
}

}  // namespace civicdesk::partners
