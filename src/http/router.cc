#include "http/router.h"

namespace civicdesk::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    size_t end = path.find('/');
    segments.push_back(path.substr(0, end));
    if (end == std::string_view::npos) break;
    path.remove_prefix(end);
  }
  return segments;
}

// -1 when the path does not fit the pattern; otherwise the number of literal segments, so that
// the most specific route can be preferred.
int Fit(std::string_view pattern, std::string_view path,
        std::map<std::string, std::string>& params) {
  std::vector<std::string_view> expected = Segments(pattern);
  std::vector<std::string_view> actual = Segments(path);
  bool trailing_slash_mismatch = path.size() > 1 && path.back() == '/' && pattern.back() != '/';
  if (expected.size() != actual.size() || trailing_slash_mismatch) return -1;
  int literals = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string_view segment = expected[i];
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
      params[std::string(segment.substr(1, segment.size() - 2))] = std::string(actual[i]);
    } else if (segment == actual[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
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
    std::map<std::string, std::string> params;
    int literals = Fit(route.pattern, path, params);
    if (literals < 0) continue;
    if (route.method != wanted) {
      best.path_matched_other_method = true;
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &route;
      best.params = std::move(params);
    }
  }
  return best;
}

}  // namespace civicdesk::http
