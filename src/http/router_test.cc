#include "http/router.h"

#include <gtest/gtest.h>

namespace civicdesk::http {
namespace {

Response Named(const char* name) { return TextResponse(200, name); }

TEST(Router, MatchesParamsAndPrefersLiterals) {
  Router router;
  router.Add(Route{"GET", "/plan/policies/{n}", Access::kPublic,
                   [](RequestContext&) { return Named("param"); }});
  router.Add(Route{"GET", "/plan/policies/new", Access::kPublic,
                   [](RequestContext&) { return Named("literal"); }});
  router.Add(Route{"POST", "/plan/policies/{n}", Access::kPublic,
                   [](RequestContext&) { return Named("post"); }});

  RouteMatch param = router.Match("GET", "/plan/policies/24");
  ASSERT_NE(param.route, nullptr);
  EXPECT_EQ(param.route->pattern, "/plan/policies/{n}");
  EXPECT_EQ(param.params.at("n"), "24");

  RouteMatch literal = router.Match("GET", "/plan/policies/new");
  ASSERT_NE(literal.route, nullptr);
  EXPECT_EQ(literal.route->pattern, "/plan/policies/new");

  RouteMatch post = router.Match("POST", "/plan/policies/3");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.route->method, "POST");
}

TEST(Router, HeadUsesGetAndOtherMethodsAreReported) {
  Router router;
  router.Add(Route{"GET", "/plan", Access::kPublic, [](RequestContext&) { return Named("plan"); }});
  EXPECT_NE(router.Match("HEAD", "/plan").route, nullptr);
  RouteMatch deleted = router.Match("DELETE", "/plan");
  EXPECT_EQ(deleted.route, nullptr);
  EXPECT_TRUE(deleted.path_matched_other_method);
  RouteMatch missing = router.Match("GET", "/nothing");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_FALSE(missing.path_matched_other_method);
}

TEST(Router, SegmentCountsMustAgree) {
  Router router;
  router.Add(Route{"GET", "/plan/policies/{n}", Access::kPublic,
                   [](RequestContext&) { return Named("x"); }});
  EXPECT_EQ(router.Match("GET", "/plan/policies").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/plan/policies/1/2").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/plan/policies/1/").route, nullptr);
  EXPECT_NE(router.Match("GET", "/").route == nullptr, false);
}

}  // namespace
}  // namespace civicdesk::http
