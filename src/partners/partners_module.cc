#include "partners/partners_module.h"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/text_normalize.h"
#include "core/wareki.h"
#include "core/xlsx_writer.h"
#include "embedded/minato_partners.h"
#include "embedded/partners_files.h"
#include "partners/codes.h"
#include "partners/store.h"
#include "partners/subsidy.h"

namespace civicdesk::partners {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr int kEstimatorRows = 5;
constexpr const char* kOffices[] = {"芝", "麻布", "赤坂", "高輪", "芝浦港南", "本庁", ""};

// An ISO 8601 date of year, month or day precision in 和暦: 2008 → 平成20(2008)年,
// 2016-04 → 平成28(2016)年4月, 2014-10-31 → 平成26(2014)年10月31日. Empty stays empty.
std::string WarekiOfPartialDate(const std::string& iso) {
  if (iso.size() == 10) {
    Result<Date> date = ParseIsoDate(iso);
    if (date.ok()) return FormatWarekiDate(*date);
  }
  if (iso.size() >= 4) {
    const int year = std::atoi(iso.substr(0, 4).c_str());
    std::string text = FormatWarekiYear(year);
    if (iso.size() == 7) text += std::to_string(std::atoi(iso.substr(5, 2).c_str())) + "月";
    return text;
  }
  return iso;
}

std::map<std::string, Partner> PartnersByCode(const std::vector<Partner>& partners) {
  std::map<std::string, Partner> by_code;
  for (const Partner& partner : partners) by_code[partner.code] = partner;
  return by_code;
}

std::string PartnerLabel(const std::map<std::string, Partner>& by_code, const std::string& code) {
  auto found = by_code.find(code);
  return found == by_code.end() ? code : found->second.prefecture + found->second.name;
}

// Everything the public registry pages show, read once per request.
struct Register {
  std::vector<Partner> partners;
  std::vector<Agreement> agreements;
  std::vector<Exchange> exchanges;
  std::vector<PublishedCount> published;
};

Result<Register> LoadRegister(storage::Database& database) {
  Result<std::vector<Partner>> partners = ListPartners(database);
  if (!partners.ok()) return partners.status();
  Result<std::vector<Agreement>> agreements = ListAgreements(database);
  if (!agreements.ok()) return agreements.status();
  Result<std::vector<Exchange>> exchanges = ListExchanges(database);
  if (!exchanges.ok()) return exchanges.status();
  Result<std::vector<PublishedCount>> published = ListPublishedCounts(database);
  if (!published.ok()) return published.status();
  return Register{std::move(*partners), std::move(*agreements), std::move(*exchanges),
                  std::move(*published)};
}

Response IndexPage(RequestContext& context) {
  Result<Register> loaded = LoadRegister(context.app().database());
  if (!loaded.ok()) return context.Error(loaded.status());
  const auto& [partners, agreements, exchanges, published] = *loaded;
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

Response AgreementsPage(RequestContext& context) {
  Result<Register> loaded = LoadRegister(context.app().database());
  if (!loaded.ok()) return context.Error(loaded.status());
  const auto& [partners, agreements, exchanges, published] = *loaded;
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

std::string WeekdayJa(Date date) {
  static const char* names[] = {"日", "月", "火", "水", "木", "金", "土"};
  return names[std::chrono::weekday(std::chrono::sys_days(date)).c_encoding()];
}

Response MarchePage(RequestContext& context) {
  Result<std::vector<Event>> events = ListEvents(context.app().database());
  if (!events.ok()) return context.Error(events.status());
  json rows = json::array();
  for (const Event& event : *events) {
    Result<Date> date = ParseIsoDate(event.date);
    rows.push_back({{"date", date.ok() ? FormatWarekiDate(*date) + "（" + WeekdayJa(*date) + "）"
                                       : event.date},
                    {"iso", event.date},
                    {"planned", event.planned},
                    {"title", event.title},
                    {"venue", event.venue},
                    {"address", event.address},
                    {"opens", event.opens},
                    {"closes", event.closes},
                    {"stalls", event.stalls},
                    {"participants", event.participants_text}});
  }
  return context.Page("partners/marche", context.Message("partners_marche_title"),
                      {{"events", rows}});
}

// RFC 5545 text: backslash, semicolon and comma escaped, newlines as \n; lines folded at 75
// octets without splitting a UTF-8 character.
std::string IcsText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string IcsLine(const std::string& line) {
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < line.size();) {
    size_t length = 1;
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0)
      length = 4;
    else if (c >= 0xE0)
      length = 3;
    else if (c >= 0xC0)
      length = 2;
    if (width + length > 75) {
      out += "\r\n ";
      width = 1;
    }
    out += line.substr(i, length);
    width += length;
    i += length;
  }
  return out + "\r\n";
}

Response MarcheIcs(RequestContext& context) {
  Result<std::vector<Event>> events = ListEvents(context.app().database());
  if (!events.ok()) return context.Error(events.status());
  std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//civicdesk//partners//JA\r\n"
      "CALSCALE:GREGORIAN\r\nX-WR-CALNAME:全国連携マルシェ\r\n"
      "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
      "TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nEND:STANDARD\r\n"
      "END:VTIMEZONE\r\n";
  const std::string stamp = [] {
    std::string now = NowIso8601Utc();  // 2026-11-22T05:04:03Z
    std::string compact;
    for (char c : now)
      if (c != '-' && c != ':') compact += c;
    return compact;
  }();
  for (const Event& event : *events) {
    std::string day;
    for (char c : event.date)
      if (c != '-') day += c;
    auto hhmm = [](const std::string& time) {
      std::string digits;
      for (char c : time)
        if (c != ':') digits += c;
      return digits.size() == 4 ? digits + "00" : std::string("000000");
    };
    ics += "BEGIN:VEVENT\r\n";
    ics += IcsLine("UID:partner-event-" + std::to_string(event.id) + "@civicdesk.minato");
    ics += "DTSTAMP:" + stamp + "\r\n";
    ics += "DTSTART;TZID=Asia/Tokyo:" + day + "T" + hhmm(event.opens) + "\r\n";
    ics += "DTEND;TZID=Asia/Tokyo:" + day + "T" + hhmm(event.closes) + "\r\n";
    ics += IcsLine("SUMMARY:" + IcsText(event.title + (event.planned ? "（予定）" : "")));
    ics += IcsLine("LOCATION:" + IcsText(event.venue + "（" + event.address + "）"));
    ics += IcsLine("DESCRIPTION:" +
                   IcsText("参加自治体等：" + event.participants_text + "\n" + event.stalls));
    if (event.planned)
      ics += "STATUS:TENTATIVE\r\n";
    else
      ics += "STATUS:CONFIRMED\r\n";
    ics += "END:VEVENT\r\n";
  }
  ics += "END:VCALENDAR\r\n";
  Response response;
  response.content_type = "text/calendar; charset=utf-8";
  response.body = std::move(ics);
  response.AddHeader("Content-Disposition", "attachment; filename=\"marche.ics\"");
  return response;
}

// The programme shown to the public: the latest year's.
Result<Programme> CurrentProgramme(storage::Database& database) {
  Result<std::vector<Programme>> programmes = ListProgrammes(database);
  if (!programmes.ok()) return programmes.status();
  if (programmes->empty()) return Status::NotFound("ワーケーション促進事業はまだありません");
  return programmes->front();
}

json ProgrammeView(RequestContext& context, const Programme& programme) {
  Result<std::vector<Partner>> partners = ListPartners(context.app().database());
  const auto by_code = PartnersByCode(partners.ok() ? *partners : std::vector<Partner>{});
  json destinations = json::array();
  for (const std::string& code : programme.destinations)
    destinations.push_back({{"code", code}, {"label", PartnerLabel(by_code, code)}});
  Result<Date> opens = ParseIsoDate(programme.opens);
  Result<Date> closes = ParseIsoDate(programme.closes);
  const Date today = TodayInJapan();
  const bool open = opens.ok() && closes.ok() && !(today < *opens) && !(*closes < today);
  const std::optional<int> capacity = programme.Capacity();
  return {{"fiscal_year", programme.fiscal_year},
          {"fiscal_year_label", FormatWarekiFiscalYear(FiscalYear(programme.fiscal_year))},
          {"title", programme.title},
          {"opens", opens.ok() ? FormatWarekiDate(*opens) : programme.opens},
          {"closes", closes.ok() ? FormatWarekiDate(*closes) : programme.closes},
          {"opens_iso", programme.opens},
          {"closes_iso", programme.closes},
          {"open", open},
          {"rate", std::to_string(programme.rules.rate_numerator) + "/" +
                       std::to_string(programme.rules.rate_denominator)},
          {"lodging_cap", GroupThousands(programme.rules.lodging_cap_per_person_night_yen)},
          {"business_cap", GroupThousands(programme.rules.cap_per_business_yen)},
          {"lodging_cap_raw", std::to_string(programme.rules.lodging_cap_per_person_night_yen)},
          {"business_cap_raw", std::to_string(programme.rules.cap_per_business_yen)},
          {"budget", programme.budget_yen ? GroupThousands(*programme.budget_yen) : ""},
          {"budget_raw", programme.budget_yen ? std::to_string(*programme.budget_yen) : ""},
          {"places", programme.places ? std::to_string(*programme.places) : ""},
          {"capacity", capacity ? std::to_string(*capacity) : ""},
          {"conditions", programme.conditions},
          {"eligibility", programme.eligibility},
          {"destinations", destinations},
          {"contact", programme.contact}};
}

json EstimatorRows(const std::vector<std::map<std::string, std::string>>& values) {
  json rows = json::array();
  for (int i = 1; i <= kEstimatorRows; ++i) {
    const auto& row = values.size() >= static_cast<size_t>(i)
                          ? values[i - 1]
                          : std::map<std::string, std::string>{};
    auto get = [&](const char* key) {
      auto found = row.find(key);
      return found == row.end() ? std::string() : found->second;
    };
    rows.push_back({{"n", i},
                    {"nights", get("nights")},
                    {"lodging", get("lodging")},
                    {"transport", get("transport")}});
  }
  return rows;
}

Response WorkationPage(RequestContext& context, json extra = json::object(), int status = 200) {
  Result<Programme> programme = CurrentProgramme(context.app().database());
  if (!programme.ok()) return context.Error(programme.status());
  json data = {{"programme", ProgrammeView(context, *programme)},
               {"csrf_token", context.csrf_token()},
               {"rows", EstimatorRows({})}};
  Result<std::optional<Draw>> draw = FindDraw(context.app().database(), programme->fiscal_year);
  data["drawn"] = draw.ok() && draw->has_value();
  for (auto& [key, value] : extra.items()) data[key] = value;
  return context.Page("partners/workation", context.Message("partners_workation_title"), data,
                      status);
}

// A whole number typed into a form: full-width digits (NFKC), thousands commas and spaces
// allowed ("１２,０００"); empty is nullopt.
Result<std::optional<int64_t>> FormInteger(const std::string& text, const std::string& field) {
  std::string digits;
  for (char c : NormalizeNfkc(text)) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ',' && c != ' ') {
      return Status::InvalidArgument("数字で入力してください / digits only", field);
    }
  }
  if (digits.empty()) return std::optional<int64_t>();
  if (digits.size() > 12) return Status::InvalidArgument("大きすぎます / too large", field);
  return std::optional<int64_t>(std::stoll(digits));
}

Response EstimatePage(RequestContext& context) {
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
      if (!result->ok()) {
        return WorkationPage(context,
                             {{"rows", EstimatorRows(values)},
                              {"estimate_error", (*result).status().message()},
                              {"estimate_error_field", (*result).status().field()}},
                             400);
      }
    }
    if (!nights->has_value() && !lodging->has_value() && !transport->has_value()) continue;
    staff.push_back({static_cast<int>(std::min<int64_t>(nights->value_or(0), 1000)),
                     lodging->value_or(0), transport->value_or(0)});
  }
  Result<Programme> programme = CurrentProgramme(context.app().database());
  const SubsidyRules rules = programme.ok() ? programme->rules : SubsidyRules{};
  Result<SubsidyEstimate> estimate = EstimateSubsidy(staff, rules);
  if (!estimate.ok()) {
    std::string field = estimate.status().field();
    // staff[2].nights → nights_3, the form's own name for it.
    if (field.rfind("staff[", 0) == 0) {
      const int index = std::atoi(field.c_str() + 6);
      const size_t dot = field.find('.');
      const std::string part = dot == std::string::npos ? "" : field.substr(dot + 1);
      field = (part == "lodging_per_night_yen" ? "lodging_"
               : part == "transport_yen"       ? "transport_"
                                               : "nights_") +
              std::to_string(index + 1);
    }
    return WorkationPage(context,
                         {{"rows", EstimatorRows(values)},
                          {"estimate_error", estimate.status().message()},
                          {"estimate_error_field", field}},
                         400);
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
  return WorkationPage(context, {{"rows", EstimatorRows(values)},
                                 {"has_estimate", true},
                                 {"estimate_lines", lines},
                                 {"estimate_total", GroupThousands(estimate->eligible_total_yen)},
                                 {"estimate_subsidy", GroupThousands(estimate->subsidy_yen)},
                                 {"estimate_capped", estimate->capped}});
}

Response EstimateApi(RequestContext& context) {
  json body = json::parse(context.request().body, nullptr, false);
  if (body.is_discarded()) {
    return context.Error(Status::InvalidArgument("JSON として読めません / not valid JSON", "body"));
  }
  Result<std::vector<StaffExpense>> staff = StaffFromJson(body);
  if (!staff.ok()) return context.Error(staff.status());
  Result<Programme> programme = CurrentProgramme(context.app().database());
  const SubsidyRules rules = programme.ok() ? programme->rules : SubsidyRules{};
  Result<SubsidyEstimate> estimate = EstimateSubsidy(*staff, rules);
  if (!estimate.ok()) return context.Error(estimate.status());
  return context.Json(200, EstimateToJson(*estimate, rules));
}

Response ApplyForm(RequestContext& context) {
  if (Status limited = context.app().CheckSubmissionRate(context.request()); !limited.ok())
    return context.Error(limited);
  std::map<std::string, std::string> form = context.request().Form();
  Result<Programme> programme = CurrentProgramme(context.app().database());
  if (!programme.ok()) return context.Error(programme.status());
  Application application;
  application.fiscal_year = programme->fiscal_year;
  application.business_name = form["business_name"];
  application.corporate_number = form["corporate_number"];
  application.representative = form["representative"];
  application.address = form["address"];
  application.destination_code = form["destination"];
  application.email = form["email"];
  Result<std::optional<int64_t>> staff_count = FormInteger(form["staff_count"], "staff_count");
  Result<std::optional<int64_t>> nights = FormInteger(form["planned_nights"], "planned_nights");
  auto refuse = [&](const Status& status) {
    json values = json::object();
    for (const auto& [key, value] : form)
      if (key != "csrf_token") values[key] = value;
    return WorkationPage(context,
                         {{"apply_error", status.message()},
                          {"apply_error_field", status.field()},
                          {"apply", values}},
                         status.code() == StatusCode::kConflict ? 409 : 422);
  };
  if (!staff_count.ok()) return refuse(staff_count.status());
  if (!nights.ok()) return refuse(nights.status());
  application.staff_count = static_cast<int>(std::min<int64_t>(staff_count->value_or(0), 1000));
  application.planned_nights = static_cast<int>(std::min<int64_t>(nights->value_or(0), 1000));
  if (form["agree"] != "yes") {
    return refuse(
        Status::InvalidArgument("条件（体験プログラムへの参加・1泊以上・体験談の発表）への同意が必"
                                "要です / agree to the conditions",
                                "agree"));
  }
  Result<Application> stored =
      SubmitApplication(context.app().database(), application, TodayInJapan());
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kInvalidArgument ||
        stored.status().code() == StatusCode::kConflict)
      return refuse(stored.status());
    return context.Error(stored.status());
  }
  return context.Page("partners/applied", context.Message("partners_applied_title"),
                      {{"number", stored->number},
                       {"ineligible", stored->status == ApplicationStatus::kIneligible},
                       {"reason", stored->eligibility_note}},
                      201);
}

Response DrawPage(RequestContext& context) {
  std::optional<int64_t> year = ParseWholeNumber(context.request().PathParam("year"), 2000, 2200);
  if (!year) return context.Error(Status::NotFound("抽選の記録がありません / no draw"));
  const int fiscal_year = static_cast<int>(*year);
  Result<std::optional<Draw>> draw = FindDraw(context.app().database(), fiscal_year);
  if (!draw.ok()) return context.Error(draw.status());
  if (!draw->has_value())
    return context.Error(Status::NotFound("抽選の記録がありません / no draw"));
  std::vector<std::string> applicants;
  for (const DrawTicket& ticket : (*draw)->tickets) applicants.push_back(ticket.applicant);
  const std::vector<DrawTicket> again =
      DrawLottery((*draw)->seed, applicants, static_cast<size_t>((*draw)->places));
  bool same = again.size() == (*draw)->tickets.size();
  for (size_t i = 0; same && i < again.size(); ++i) {
    same = again[i].applicant == (*draw)->tickets[i].applicant &&
           again[i].hash_hex == (*draw)->tickets[i].hash_hex &&
           again[i].won == (*draw)->tickets[i].won;
  }
  json tickets = json::array();
  for (size_t i = 0; i < (*draw)->tickets.size(); ++i) {
    const DrawTicket& ticket = (*draw)->tickets[i];
    tickets.push_back({{"rank", i + 1},
                       {"applicant", ticket.applicant},
                       {"hash", ticket.hash_hex},
                       {"won", ticket.won}});
  }
  return context.Page("partners/draw", context.Message("partners_draw_title"),
                      {{"fiscal_year_label", FormatWarekiFiscalYear(FiscalYear(fiscal_year))},
                       {"seed", (*draw)->seed},
                       {"places", (*draw)->places},
                       {"count", (*draw)->tickets.size()},
                       {"drawn_at", FormatWarekiTimestamp((*draw)->drawn_at)},
                       {"tickets", tickets},
                       {"verified", same}});
}

bool MayManage(RequestContext& context) {
  return context.RequireRole({http::Role::kAdmin, http::Role::kPublisher}).ok();
}

// A fiscal year as staff type it: its Western starting year.
Result<int> FiscalYearNumber(const std::string& text) {
  std::optional<int64_t> year = ParseWholeNumber(text, 2000, 2200);
  if (!year) return Status::InvalidArgument("年度（西暦）を指定してください", "year");
  return static_cast<int>(*year);
}

Result<int> YearParam(RequestContext& context, int fallback) {
  std::optional<std::string> text = context.request().QueryParam("year");
  if (!text || text->empty()) return fallback;
  return FiscalYearNumber(*text);
}

std::string StatusLabel(RequestContext& context, ApplicationStatus status) {
  return context.Message("partners_status_" + std::string(StatusKey(status)));
}

Response StaffPage(RequestContext& context, json extra = json::object(), int status = 200) {
  if (Status allowed = context.RequireRole(
          {http::Role::kAdmin, http::Role::kPublisher, http::Role::kSectionStaff});
      !allowed.ok())
    return context.Error(allowed);
  storage::Database& database = context.app().database();
  Result<Programme> current = CurrentProgramme(database);
  if (!current.ok()) return context.Error(current.status());
  Result<int> year = YearParam(context, current->fiscal_year);
  if (!year.ok()) return context.Error(year.status());
  Result<Programme> programme = FindProgramme(database, *year);
  if (!programme.ok()) return context.Error(programme.status());
  Result<std::vector<Application>> applications = ListApplications(database, *year);
  if (!applications.ok()) return context.Error(applications.status());
  Result<std::vector<Partner>> partners = ListPartners(database);
  const auto by_code = PartnersByCode(partners.ok() ? *partners : std::vector<Partner>{});
  const bool manage = MayManage(context);
  json rows = json::array();
  int eligible = 0;
  for (const Application& application : *applications) {
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
  Result<std::optional<Draw>> draw = FindDraw(database, *year);
  const std::optional<int> capacity = programme->Capacity();
  json data = {{"programme", ProgrammeView(context, *programme)},
               {"year", *year},
               {"applications", rows},
               {"has_applications", !rows.empty()},
               {"eligible", eligible},
               {"oversubscribed", capacity && eligible > *capacity},
               {"can_select", manage && eligible > 0 && !(draw.ok() && draw->has_value())},
               {"drawn", draw.ok() && draw->has_value()},
               {"manage", manage},
               {"csrf_token", context.csrf_token()}};
  for (auto& [key, value] : extra.items()) data[key] = value;
  return context.Page("partners/staff_workation", context.Message("partners_staff_title"), data,
                      status);
}

Response StaffError(RequestContext& context, const Status& status) {
  if (status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kConflict) {
    return StaffPage(context, {{"error", status.message()}, {"error_field", status.field()}},
                     status.code() == StatusCode::kConflict ? 409 : 422);
  }
  return context.Error(status);
}

Result<int> FormYear(std::map<std::string, std::string>& form) {
  return FiscalYearNumber(form["year"]);
}

Response SaveProgrammeForm(RequestContext& context) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  std::map<std::string, std::string> form = context.request().Form();
  Result<int> year = FormYear(form);
  if (!year.ok()) return StaffError(context, year.status());
  // A new year starts from the latest programme's rules, conditions and destinations.
  Result<Programme> existing = FindProgramme(context.app().database(), *year);
  Programme programme;
  if (existing.ok()) {
    programme = *existing;
  } else {
    Result<Programme> latest = CurrentProgramme(context.app().database());
    if (!latest.ok()) return context.Error(latest.status());
    programme = *latest;
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
      return StaffError(context, Status::InvalidArgument("1円以上です / at least 1 yen", field));
    *target = **cap;
  }
  programme.places =
      *places ? std::optional<int>(static_cast<int>(std::min<int64_t>(**places, 1000000)))
              : std::nullopt;
  if (Status saved = SaveProgramme(context.app().database(), programme, context.principal()->login);
      !saved.ok())
    return StaffError(context, saved);
  return http::RedirectResponse("/staff/workation?year=" + std::to_string(*year));
}

Response SelectForm(RequestContext& context) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  std::map<std::string, std::string> form = context.request().Form();
  Result<int> year = FormYear(form);
  if (!year.ok()) return StaffError(context, year.status());
  Result<std::optional<Draw>> draw =
      SelectParticipants(context.app().database(), *year, form["seed"], context.principal()->login);
  if (!draw.ok()) return StaffError(context, draw.status());
  return http::RedirectResponse(draw->has_value()
                                    ? "/workation/draws/" + std::to_string(*year)
                                    : "/staff/workation?year=" + std::to_string(*year));
}

Result<int64_t> ApplicationId(RequestContext& context) {
  std::optional<int64_t> id = ParseWholeNumber(context.request().PathParam("id"), 1);
  if (!id) return Status::NotFound("申請が見つかりません / no such application");
  return *id;
}

Response ApplicationAction(RequestContext& context) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  Result<int64_t> id = ApplicationId(context);
  if (!id.ok()) return context.Error(id.status());
  Result<Application> application = FindApplication(context.app().database(), *id);
  if (!application.ok()) return context.Error(application.status());
  std::map<std::string, std::string> form = context.request().Form();
  const std::string action = context.request().PathParam("action");
  const std::string user = context.principal()->login;
  Status done = Status::Ok();
  if (action == "approve") {
    done = ApproveApplication(context.app().database(), *id, user);
  } else if (action == "report") {
    // One line per member of staff: nights, lodging per night, transport (yen).
    std::vector<StaffExpense> staff;
    std::istringstream lines(form["expenses"]);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      std::vector<std::string> cells;
      std::string cell;
      std::istringstream split(line);
      while (std::getline(split, cell, ',')) cells.push_back(cell);
      bool blank = true;
      for (char c : line) blank = blank && (c == ' ' || c == '\r' || c == '\t');
      if (blank) continue;
      std::vector<int64_t> numbers;
      for (const std::string& value : cells) {
        Result<std::optional<int64_t>> parsed = FormInteger(value == "\r" ? "" : value, "expenses");
        if (!parsed.ok() || !*parsed) {
          numbers.clear();
          break;
        }
        numbers.push_back(**parsed);
      }
      if (numbers.size() != 3) {
        return StaffError(context,
                          Status::InvalidArgument(
                              std::to_string(number) +
                                  " 行目: 「泊数,1泊の宿泊費,交通費」の3つの数で書いてください",
                              "expenses"));
      }
      staff.push_back(
          {static_cast<int>(std::min<int64_t>(numbers[0], 1000)), numbers[1], numbers[2]});
    }
    Result<SubsidyEstimate> estimate = ReportExpenses(context.app().database(), *id, staff, user);
    done = estimate.status();
  } else if (action == "publish") {
    done = PublishExperienceReport(context.app().database(), *id, form["report_url"], user);
  } else {
    return context.Error(Status::NotFound("不明な操作です / unknown action"));
  }
  if (!done.ok()) return StaffError(context, done);
  return http::RedirectResponse("/staff/workation?year=" +
                                std::to_string(application->fiscal_year));
}

Response ApplicationsExport(RequestContext& context, bool xlsx) {
  if (Status allowed = context.RequireRole(
          {http::Role::kAdmin, http::Role::kPublisher, http::Role::kSectionStaff});
      !allowed.ok())
    return context.Error(allowed);
  Result<Programme> current = CurrentProgramme(context.app().database());
  if (!current.ok()) return context.Error(current.status());
  Result<int> year = YearParam(context, current->fiscal_year);
  if (!year.ok()) return context.Error(year.status());
  Result<std::vector<Application>> applications = ListApplications(context.app().database(), *year);
  if (!applications.ok()) return context.Error(applications.status());
  const std::vector<std::string> header = {
      "number",       "fiscal_year",      "business_name",    "corporate_number", "representative",
      "address",      "destination_code", "staff_count",      "planned_nights",   "email",
      "submitted_at", "status",           "eligibility_note", "subsidy_yen",      "report_url"};
  std::vector<std::vector<std::string>> rows;
  for (const Application& a : *applications) {
    rows.push_back({a.number, std::to_string(a.fiscal_year), a.business_name, a.corporate_number,
                    a.representative, a.address, a.destination_code, std::to_string(a.staff_count),
                    std::to_string(a.planned_nights), a.email, a.submitted_at,
                    std::string(StatusKey(a.status)), a.eligibility_note,
                    a.subsidy_yen ? std::to_string(*a.subsidy_yen) : "", a.report_url});
  }
  Response response;
  if (!xlsx) {
    std::string csv = "\xEF\xBB\xBF";
    for (size_t c = 0; c < header.size(); ++c) csv += (c ? "," : "") + header[c];
    csv += "\r\n";
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) csv += (c ? "," : "") + CsvQuote(row[c]);
      csv += "\r\n";
    }
    response.content_type = "text/csv; charset=utf-8";
    response.body = std::move(csv);
    response.AddHeader("Content-Disposition",
                       "attachment; filename=\"workation-applications.csv\"");
    return response;
  }
  Result<std::string> bytes = XlsxWorkbookBytes({{"申請", header, rows}});
  if (!bytes.ok()) return context.Error(bytes.status());
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(*bytes);
  response.AddHeader("Content-Disposition", "attachment; filename=\"workation-applications.xlsx\"");
  return response;
}

Response StaffPartnersPage(RequestContext& context, json extra = json::object(), int status = 200) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  Result<std::vector<Partner>> partners = ListPartners(context.app().database());
  if (!partners.ok()) return context.Error(partners.status());
  json choices = json::array();
  for (const Partner& partner : *partners)
    choices.push_back({{"code", partner.code}, {"label", partner.prefecture + partner.name}});
  json offices = json::array();
  for (const char* office : kOffices)
    if (std::string(office).size() > 0) offices.push_back(office);
  json data = {{"partners", choices}, {"offices", offices}, {"csrf_token", context.csrf_token()}};
  for (auto& [key, value] : extra.items()) data[key] = value;
  return context.Page("partners/staff_partners", context.Message("partners_staff_partners_title"),
                      data, status);
}

Response AddExchangeForm(RequestContext& context) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  std::map<std::string, std::string> form = context.request().Form();
  Exchange exchange{form["partner_code"], form["office"], form["title"], form["on"], "職員の記録"};
  if (Status added = AddExchange(context.app().database(), exchange, context.principal()->login);
      !added.ok()) {
    if (added.code() != StatusCode::kInvalidArgument) return context.Error(added);
    return StaffPartnersPage(context, {{"error", added.message()}, {"error_field", added.field()}},
                             422);
  }
  return http::RedirectResponse("/partners/agreements#exchanges-heading");
}

Response AddAgreementForm(RequestContext& context) {
  if (Status allowed = context.RequireRole({http::Role::kAdmin, http::Role::kPublisher});
      !allowed.ok())
    return context.Error(allowed);
  std::map<std::string, std::string> form = context.request().Form();
  Agreement agreement{form["partner_code"],
                      form["type"],
                      form["title"],
                      form["signed_on"],
                      form["status"].empty() ? "active" : form["status"],
                      "職員の記録"};
  if (Status added = AddAgreement(context.app().database(), agreement, context.principal()->login);
      !added.ok()) {
    if (added.code() != StatusCode::kInvalidArgument) return context.Error(added);
    return StaffPartnersPage(context, {{"error", added.message()}, {"error_field", added.field()}},
                             422);
  }
  return http::RedirectResponse("/partners/agreements#list-heading");
}

Result<std::vector<http::PublicDataset>> Datasets(http::App&) {
  http::PublicDataset partners;
  partners.id = "partner-municipalities";
  partners.title = "全国連携の連携自治体（台帳登録分）";
  partners.title_en = "Partner municipalities (registered)";
  partners.description =
      "港区と連携する自治体のうち台帳に登録したものの全国地方公共団体コード、都道府県、名称、協定。"
      "資料003が名前を挙げた自治体を読み込んでいます（連携自治体は令和5年12月1日時点で303）。";
  partners.tags = {"全国連携", "連携自治体"};
  partners.columns = {"連携自治体コード", "都道府県", "名称", "協定"};
  partners.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    Result<std::vector<Partner>> list = ListPartners(app.database());
    if (!list.ok()) return list.status();
    Result<std::vector<Agreement>> agreements = ListAgreements(app.database());
    if (!agreements.ok()) return agreements.status();
    for (const Partner& partner : *list) {
      std::string types;
      for (const Agreement& agreement : *agreements)
        if (agreement.partner_code == partner.code)
          types += (types.empty() ? "" : "、") + agreement.type;
      if (Status written = write({partner.code, partner.prefecture, partner.name, types});
          !written.ok())
        return written;
    }
    return Status::Ok();
  };
  http::PublicDataset events;
  events.id = "partner-events";
  events.title = "全国連携マルシェの開催予定";
  events.title_en = "National partnership marché events";
  events.description = "全国連携マルシェin芝浦の開催日、会場、時間、参加自治体等。";
  events.tags = {"全国連携", "イベント"};
  events.standard = "イベント一覧";
  events.columns = {"イベント名", "開始日",   "終了日", "開始時間",
                    "終了時間",   "場所名称", "住所",   "説明"};
  events.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    Result<std::vector<Event>> list = ListEvents(app.database());
    if (!list.ok()) return list.status();
    for (const Event& event : *list) {
      if (Status written = write({event.title + (event.planned ? "（予定）" : ""), event.date,
                                  event.date, event.opens, event.closes, event.venue, event.address,
                                  "参加自治体等：" + event.participants_text});
          !written.ok())
        return written;
    }
    return Status::Ok();
  };
  return std::vector<http::PublicDataset>{partners, events};
}

Status LoadInitial(storage::Database& database) {
  std::optional<std::string_view> json_text = minato_partners::FindEmbeddedFile("partners.json");
  if (!json_text) return Status::Internal("partners.json is not embedded");
  return LoadShippedPartners(database, *json_text);
}

}  // namespace

http::Module PartnersModule() {
  http::Module module;
  module.name = "partners";
  module.migrations = PartnersMigrations();
  module.install = [](http::App& app) -> Status {
    Status added = http::AddEmbeddedTemplatesAndMessages(
        app, "partners", partners_files::EmbeddedFilePaths(), partners_files::FindEmbeddedFile);
    if (!added.ok()) return added;
    http::Router& router = app.router();
    router.Get("/partners", http::PublicCache(http::kPublicPageSeconds, IndexPage));
    router.Get("/partners/agreements", http::PublicCache(http::kPublicPageSeconds, AgreementsPage));
    router.Get("/partners/marche", http::PublicCache(http::kPublicPageSeconds, MarchePage));
    router.Get("/partners/marche.ics", MarcheIcs);
    router.Get("/workation", [](RequestContext& context) { return WorkationPage(context); });
    router.Get("/workation/estimate", EstimatePage);
    router.Post("/workation/apply", ApplyForm);
    router.Get("/workation/draws/{year}", DrawPage);
    router.Post("/api/v1/workation/estimate", EstimateApi, http::CsrfPolicy::kJsonOnly);
    router.Get("/staff/workation", [](RequestContext& context) { return StaffPage(context); });
    router.Get("/staff/workation/applications.csv",
               [](RequestContext& context) { return ApplicationsExport(context, false); });
    router.Get("/staff/workation/applications.xlsx",
               [](RequestContext& context) { return ApplicationsExport(context, true); });
    router.Post("/staff/workation/programme", SaveProgrammeForm);
    router.Post("/staff/workation/select", SelectForm);
    router.Post("/staff/workation/applications/{id}/{action}", ApplicationAction);
    router.Get("/staff/partners",
               [](RequestContext& context) { return StaffPartnersPage(context); });
    router.Post("/staff/partners/exchanges", AddExchangeForm);
    router.Post("/staff/partners/agreements", AddAgreementForm);
    return Status::Ok();
  };
  module.load_initial_data = LoadInitial;
  module.public_datasets = Datasets;
  module.audit_trail = PartnersAuditTrail;
  return module;
}

}  // namespace civicdesk::partners
