#ifndef CIVICDESK_HTTP_ROUTER_H_
#define CIVICDESK_HTTP_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace civicdesk::http {

class RequestContext;
using Handler = std::function<Response(RequestContext&)>;

// How a route treats state-changing requests.
enum class CsrfPolicy {
  kRequireToken,  // HTML forms: POST needs the csrf_token field (the default)
  kJsonOnly,      // JSON APIs: POST needs Content-Type: application/json, which a cross-site
                  // form cannot send, and no token
};

struct Route {
  std::string method;
  std::string pattern;  // "/plan/policies/{n}": a {name} matches one non-empty segment
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
  void Get(std::string pattern, Handler handler) {
    Add({"GET", std::move(pattern), std::move(handler)});
  }
  void Post(std::string pattern, Handler handler, CsrfPolicy csrf = CsrfPolicy::kRequireToken) {
    Add({"POST", std::move(pattern), std::move(handler), csrf});
  }

  // HEAD is answered by the GET route.
  RouteMatch Match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_ROUTER_H_
