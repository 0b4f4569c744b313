#include "partners/views.h"

#include <cstdlib>

#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/number_format.h"
#include "core/wareki.h"
#include "partners/form_numbers.h"

namespace civicdesk::partners {

using nlohmann::json;

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

Result<Register> LoadRegister(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Partner> partners, ListPartners(database));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Agreement> agreements, ListAgreements(database));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Exchange> exchanges, ListExchanges(database));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PublishedCount> published, ListPublishedCounts(database));
  return Register{std::move(partners), std::move(agreements), std::move(exchanges),
                  std::move(published)};
}

Result<Programme> CurrentProgramme(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Programme> programmes, ListProgrammes(database));
  if (programmes.empty()) return Status::NotFound("partners.programme_none");
  return programmes.front();
}

json ProgrammeView(http::RequestContext& context, const Programme& programme) {
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

json CommitmentView(storage::Database& database, int fiscal_year) {
  Result<std::optional<SeedCommitment>> found = FindCommitment(database, fiscal_year);
  if (!found.ok() || !found->has_value())
    return {{"commitment", nullptr}, {"committed_at", nullptr}, {"committed_at_label", ""}};
  const SeedCommitment& commitment = **found;
  return {{"commitment", commitment.commitment},
          {"committed_at", commitment.committed_at},
          {"committed_at_label", FormatWarekiTimestamp(commitment.committed_at)}};
}

Result<int> PathYear(http::RequestContext& context, const std::string& not_found) {
  std::optional<int64_t> year = ParseWholeNumber(context.request().PathParam("year"), 2000, 2200);
  if (!year) return Status::NotFound(not_found);
  return static_cast<int>(*year);
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

std::string StatusLabel(http::RequestContext& context, ApplicationStatus status) {
  return context.Message("partners_status_" + std::string(StatusKey(status)));
}

Result<int> YearParam(http::RequestContext& context, int fallback) {
  std::optional<std::string> text = context.request().QueryParam("year");
  if (!text || text->empty()) return fallback;
  return FiscalYearNumber(*text);
}

}  // namespace civicdesk::partners
