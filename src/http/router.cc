#include "http/router.h"

#include <algorithm>

namespace civicdesk::http {
namespace {

// Takes the next segment of `rest` (slashes before it skipped, so "//" makes no empty segment)
// into `segment`; false when none is left.
bool NextSegment(std::string_view& rest, std::string_view& segment) {
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  if (rest.empty()) return false;
  const size_t end = std::min(rest.find('/'), rest.size());
  segment = rest.substr(0, end);
  rest.remove_prefix(end);
  return true;
}

// -1 when the path does not fit the pattern; otherwise the number of literal segments, so that
// the most specific route can be preferred. Fills `params` (when given) with the placeholders'
// values. Allocates nothing unless `params` is filled: every request is tried on every route.
int Fit(std::string_view pattern, std::string_view path,
        std::map<std::string, std::string>* params) {
  const bool trailing_slash_mismatch =
      path.size() > 1 && path.back() == '/' && (pattern.empty() || pattern.back() != '/');
  if (trailing_slash_mismatch) return -1;
  int literals = 0;
  std::string_view expected;
  std::string_view actual;
  for (;;) {
    const bool more_expected = NextSegment(pattern, expected);
    const bool more_actual = NextSegment(path, actual);
    if (more_expected != more_actual) return -1;
    if (!more_expected) return literals;
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      if (params != nullptr)
        (*params)[std::string(expected.substr(1, expected.size() - 2))] = std::string(actual);
    } else if (expected == actual) {
      ++literals;
    } else {
      return -1;
    }
  }
}

}  // namespace

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kStaff:
      return "staff";
    case Access::kPublisher:
      return "publisher";
    case Access::kAdmin:
      return "admin";
  }
  return "public";
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

void Router::Add(std::vector<Route> routes) {
  for (Route& route : routes) Add(std::move(route));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  std::string_view wanted = method == "HEAD" ? "GET" : method;
  RouteMatch best;
  int best_literals = -1;
  for (const Route& route : routes_) {
    const int literals = Fit(route.pattern, path, nullptr);
    if (literals < 0) continue;
    if (route.method != wanted) {
      best.path_matched_other_method = true;
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &route;
    }
  }
  if (best.route != nullptr) Fit(best.route->pattern, path, &best.params);
  return best;
}

}  // namespace civicdesk::http
