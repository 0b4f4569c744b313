#ifndef CIVICDESK_HTTP_ROUTER_H_
#define CIVICDESK_HTTP_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace civicdesk::http {

class RequestContext;
// A failed Result becomes the error page (or JSON error under /api/) in the request's language,
// in one place (App).
using Handler = std::function<Result<Response>(RequestContext&)>;

// Who may call a route, checked by App before the handler runs. Signed out, a page that needs a
// role answers 303 to /login (401 JSON under /api/); signed in without the role, 403. Checks on
// one object (this item's section, this KPI's owner) are the handler's, as named functions.
enum class Access {
  kPublic,     // anyone
  kStaff,      // any signed-in staff member
  kPublisher,  // publishers and admins
  kAdmin,      // admins
};

std::string_view AccessName(Access access);  // "public", "staff", "publisher", "admin"

// How a route treats state-changing requests.
enum class CsrfPolicy {
  kRequireToken,  // HTML forms: POST needs the csrf_token field (the default)
  kJsonOnly,      // JSON APIs: POST needs Content-Type: application/json, which a cross-site
                  // form cannot send, and no token
};

struct Route {
  std::string method;
  std::string pattern;  // "/plan/policies/{n}": a {name} matches one non-empty segment
  Access access = Access::kPublic;
  Handler handler;
  CsrfPolicy csrf = CsrfPolicy::kRequireToken;
};

struct RouteMatch {
  const Route* route = nullptr;            // null when nothing matched
  bool path_matched_other_method = false;  // → 405 instead of 404
  std::map<std::string, std::string> params;
};

// Maps method and path to a handler. Literal segments win over {params} at the same depth.
// Not thread-safe while routes are added; read-only (and thread-safe) once serving starts.
class Router {
 public:
  void Add(Route route);
  // Adds every route of a module's table.
  void Add(std::vector<Route> routes);

  // HEAD is answered by the GET route.
  RouteMatch Match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_ROUTER_H_
