#ifndef CIVICDESK_PARTNERS_VIEWS_H_
#define CIVICDESK_PARTNERS_VIEWS_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "partners/store.h"

// What the public and staff pages (and the downloads) share: the register read once, labels of
// partners and statuses, the programme as the templates see it, the year a page asks for.
namespace civicdesk::partners {

// Rows of the subsidy estimator on /workation.
inline constexpr int kEstimatorRows = 5;

// The district offices (総合支所) and the head office an exchange belongs to; "" when the source
// does not say, listed last.
inline constexpr const char* kOffices[] = {"芝", "麻布", "赤坂", "高輪", "芝浦港南", "本庁", ""};

// An ISO 8601 date of year, month or day precision in 和暦: 2008 → 平成20(2008)年,
// 2016-04 → 平成28(2016)年4月, 2014-10-31 → 平成26(2014)年10月31日. Empty stays empty.
std::string WarekiOfPartialDate(const std::string& iso);

std::map<std::string, Partner> PartnersByCode(const std::vector<Partner>& partners);
// 都道府県 and name of the partner with `code`; the code itself when it is not registered.
std::string PartnerLabel(const std::map<std::string, Partner>& by_code, const std::string& code);

// Everything the public registry pages show, read once per request.
struct Register {
  std::vector<Partner> partners;
  std::vector<Agreement> agreements;
  std::vector<Exchange> exchanges;
  std::vector<PublishedCount> published;
};
Result<Register> LoadRegister(storage::Database& database);

// The programme shown to the public: the latest year's. NotFound when there is none.
Result<Programme> CurrentProgramme(storage::Database& database);

// The programme as the workation templates show it (和暦 dates, grouped yen, destinations).
nlohmann::json ProgrammeView(http::RequestContext& context, const Programme& programme);

// The lottery of `fiscal_year` as pages and the API show it: "commitment" (SHA-256 of the seed,
// or null before one is committed), "committed_at" (ISO) and "committed_at_label" (和暦).
nlohmann::json CommitmentView(storage::Database& database, int fiscal_year);

// The year of a {year} path: NotFound (`not_found`) for anything but a whole number 2000–2200.
Result<int> PathYear(http::RequestContext& context, const std::string& not_found);

// The estimator's rows with the values typed into them (nights, lodging, transport per row).
nlohmann::json EstimatorRows(const std::vector<std::map<std::string, std::string>>& values);

// An application's status in the request's language.
std::string StatusLabel(http::RequestContext& context, ApplicationStatus status);

// The fiscal year of ?year=, or `fallback` when absent or empty; InvalidArgument naming "year"
// when it is not a year.
Result<int> YearParam(http::RequestContext& context, int fallback);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_VIEWS_H_
