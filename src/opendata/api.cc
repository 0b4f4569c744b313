#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "core/log.h"
#include "opendata/handlers.h"

namespace civicdesk::opendata {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr int kDefaultRows = 10;
constexpr int kMaxRows = 1000;  // as CKAN's ckan.search.rows_max

// The configured public base URL (AppOptions::public_url, `serve --public-url`), so that resource
// URLs are absolute as CKAN's are. Never the request's Host header: a client must not choose
// the links the catalog hands to others.
std::string BaseUrl(RequestContext& context) { return context.app().PublicUrl(); }

std::string HelpUrl(RequestContext& context, const std::string& action) {
  return BaseUrl(context) + "/api/3/action/help_show?name=" + action;
}

// CKAN's envelope: {help, success: true, result} or {help, success: false, error: {__type,
// message}} with the status CKAN uses (404 Not Found Error, 409 Validation Error, 400 for an
// unknown action, 500 otherwise). These shapes are the API's contract, so they are built here
// rather than by App's JSON errors; the messages are the catalog's, in the request's language.
Response CkanResult(RequestContext& context, const std::string& action, const json& result) {
  return context.Json(200,
                      {{"help", HelpUrl(context, action)}, {"success", true}, {"result", result}});
}

Response CkanError(RequestContext& context, const std::string& action, const Status& status) {
  int code = 500;
  std::string type = "Internal Error";
  json error;
  switch (status.code()) {
    case StatusCode::kNotFound:
      code = 404;
      type = "Not Found Error";
      break;
    case StatusCode::kInvalidArgument:
      code = 409;
      type = "Validation Error";
      if (!status.field().empty()) error[status.field()] = json::array({context.Format(status)});
      break;
    default:
      Log(LogLevel::kError, "CKAN API " + action + ": " + status.ToString());
      break;
  }
  error["__type"] = type;
  error["message"] =
      code == 500 ? context.Message("opendata.internal_error") : context.Format(status);
  return context.Json(code,
                      {{"help", HelpUrl(context, action)}, {"success", false}, {"error", error}});
}

Response CkanUnknownAction(RequestContext& context, const std::string& action) {
  return context.Json(400, {{"help", HelpUrl(context, action)},
                            {"success", false},
                            {"error",
                             {{"__type", "Bad request - Action name not known"},
                              {"message", "Bad request - Action name not known: " + action}}}});
}

// An action's parameters: the query string of a GET, or the JSON object a POST carries (as
// ckanapi and CKAN's own clients send). Numbers and booleans are read as their JSON text.
class ActionParams {
 public:
  static Result<ActionParams> Of(const http::Request& request) {
    ActionParams params;
    if (request.method != "POST") {
      params.values_ = request.query;
      return params;
    }
    json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
    if (!body.is_object()) return Status::InvalidArgument("opendata.body_not_object", "body");
    for (const auto& [key, value] : body.items())
      params.values_[key] = value.is_string() ? value.get<std::string>() : value.dump();
    return params;
  }

  std::optional<std::string> Get(const std::string& name) const {
    auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::map<std::string, std::string> values_;
};

Result<int> NonNegativeParam(const ActionParams& params, const char* name, int fallback) {
  std::optional<std::string> text = params.Get(name);
  if (!text || text->empty()) return fallback;
  int value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < 0)
    return Status::InvalidArgument("opendata.whole_number_required", {{"name", name}}, name);
  return value;
}

// What every action reads: its parameters and the catalog.
struct ActionInput {
  const ActionParams& params;
  const std::vector<http::PublicDataset>& datasets;
  const CatalogSettings& settings;
  const std::string& base_url;

  Result<std::string> RequiredId() const {
    std::optional<std::string> id = params.Get("id");
    if (!id || id->empty()) return Status::InvalidArgument("opendata.id_required", "id");
    return *id;
  }

  const http::PublicDataset* Find(const std::string& id) const {
    for (const http::PublicDataset& dataset : datasets)
      if (dataset.id == id) return &dataset;
    return nullptr;
  }
};

Result<json> PackageList(const ActionInput& in) {
  json names = json::array();
  for (const http::PublicDataset& dataset : in.datasets) names.push_back(dataset.id);
  return names;
}

Result<json> PackageShow(const ActionInput& in) {
  CIVICDESK_ASSIGN_OR_RETURN(std::string id, in.RequiredId());
  const http::PublicDataset* dataset = in.Find(id);
  if (dataset == nullptr) return Status::NotFound("opendata.package_not_found");
  return PackageJson(*dataset, in.settings, in.base_url);
}

Result<json> ResourceShow(const ActionInput& in) {
  CIVICDESK_ASSIGN_OR_RETURN(std::string id, in.RequiredId());
  for (const http::PublicDataset& dataset : in.datasets) {
    for (const FormatInfo& format : Formats()) {
      if (dataset.id + "-" + std::string(format.extension) == id)
        return ResourceJson(dataset, format, in.settings, in.base_url);
    }
  }
  return Status::NotFound("opendata.resource_not_found");
}

Result<json> OrganizationList(const ActionInput& in) {
  const bool all_fields = in.params.Get("all_fields").value_or("") == "true";
  return json::array({all_fields ? OrganizationJson(in.settings, in.datasets.size())
                                 : json(in.settings.organization)});
}

Result<json> OrganizationShow(const ActionInput& in) {
  CIVICDESK_ASSIGN_OR_RETURN(std::string id, in.RequiredId());
  if (id != in.settings.organization) return Status::NotFound("opendata.organization_not_found");
  return OrganizationJson(in.settings, in.datasets.size());
}

Result<json> PackageSearch(const ActionInput& in) {
  CIVICDESK_ASSIGN_OR_RETURN(int rows, NonNegativeParam(in.params, "rows", kDefaultRows));
  CIVICDESK_ASSIGN_OR_RETURN(int start, NonNegativeParam(in.params, "start", 0));
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<FilterTerm> filters,
                             ParseFilterQuery(in.params.Get("fq").value_or("")));
  const std::string query = in.params.Get("q").value_or("");
  std::vector<const http::PublicDataset*> matched;
  for (const http::PublicDataset& dataset : in.datasets) {
    if (MatchesSearch(dataset, in.settings, query == "*:*" ? "" : query, filters))
      matched.push_back(&dataset);
  }
  const size_t limit = static_cast<size_t>(std::min(rows, kMaxRows));
  json results = json::array();
  for (size_t i = static_cast<size_t>(start); i < matched.size() && results.size() < limit; ++i)
    results.push_back(PackageJson(*matched[i], in.settings, in.base_url));
  return json{{"count", matched.size()},
              {"results", results},
              {"sort", "name asc"},
              {"facets", json::object()},
              {"search_facets", json::object()}};
}

using Action = Result<json> (*)(const ActionInput&);

constexpr std::pair<std::string_view, Action> kActions[] = {
    {"package_list", PackageList},           {"package_show", PackageShow},
    {"resource_show", ResourceShow},         {"organization_list", OrganizationList},
    {"organization_show", OrganizationShow}, {"package_search", PackageSearch},
};

}  // namespace

Result<Response> CkanAction(RequestContext& context, const CatalogSettings& settings) {
  const std::string action = context.request().PathParam("action");
  Result<ActionParams> params = ActionParams::Of(context.request());
  if (!params.ok()) return CkanError(context, action, params.status());
  Result<std::vector<http::PublicDataset>> all = SortedDatasets(context.app());
  if (!all.ok()) return CkanError(context, action, all.status());
  for (const auto& [name, run] : kActions) {
    if (name != action) continue;
    const std::string base_url = BaseUrl(context);
    Result<json> result = run({*params, *all, settings, base_url});
    if (!result.ok()) return CkanError(context, action, result.status());
    return CkanResult(context, action, *result);
  }
  return CkanUnknownAction(context, action);
}

Result<Response> DcatJsonLd(RequestContext& context, const CatalogSettings& settings) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<http::PublicDataset> all, SortedDatasets(context.app()));
  Response response = context.Json(200, DcatCatalog(all, settings, BaseUrl(context)));
  response.content_type = "application/ld+json; charset=utf-8";
  return response;
}

}  // namespace civicdesk::opendata
