// The plan's staff pages: entering a KPI's actual on its page.

#include <charconv>
#include <map>

#include "core/text_normalize.h"
#include "plan/access.h"
#include "plan/actuals.h"
#include "plan/handlers.h"

namespace civicdesk::plan {

using http::RequestContext;
using http::Response;

// Records the actual sent from the KPI page's form. Who may enter comes before what was
// entered: another section gets 403 whatever it sent. A mistake in the form shows the page
// again with the error by the form.
Result<Response> EnterActual(RequestContext& context) {
  const std::string code = context.request().PathParam("code");
  CIVICDESK_RETURN_IF_ERROR(MayEnterActuals(context, code));
  std::map<std::string, std::string> form = context.request().Form();
  const std::string year_text = TrimSpaces(NormalizeNfkc(form["fiscal_year"]));
  const std::string value_text = TrimSpaces(NormalizeNfkc(form["value"]));
  int year = 0;
  double value = 0;
  auto [year_end, year_error] =
      std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
  if (year_text.empty() || year_error != std::errc() ||
      year_end != year_text.data() + year_text.size()) {
    return KpiPageWithError(context,
                            Status::InvalidArgument("plan.fiscal_year_required", "fiscal_year"));
  }
  auto [value_end, value_error] =
      std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
  if (value_text.empty() || value_error != std::errc() ||
      value_end != value_text.data() + value_text.size()) {
    return KpiPageWithError(context,
                            Status::InvalidArgument("plan.value_number_required", "value"));
  }
  Status saved =
      SetKpiActual(context.app().database(), code, year, value, TrimSpaces(form["source"]),
                   EditorOf(*context.principal()), TrimSpaces(form["segment"]));
  if (saved.code() == StatusCode::kPermissionDenied || saved.code() == StatusCode::kNotFound)
    return saved;
  if (!saved.ok()) return KpiPageWithError(context, saved);
  // The page confirms what was recorded (read back from the database) beside the entry form.
  const std::string segment = TrimSpaces(form["segment"]);
  return http::RedirectResponse(
      "/plan/kpis/" + code + "?recorded=" + std::to_string(year) +
      (segment.empty() ? "" : "&segment=" + http::PercentEncode(segment)) + "#entry-heading");
}

}  // namespace civicdesk::plan
