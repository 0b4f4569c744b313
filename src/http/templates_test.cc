#include "http/templates.h"

#include <gtest/gtest.h>

namespace civicdesk::http {
namespace {

std::string Render(const std::string& source, const nlohmann::json& data) {
  TemplateEngine engine;
  EXPECT_TRUE(engine.Add("t", source).ok());
  Result<std::string> rendered = engine.Render("t", data);
  EXPECT_TRUE(rendered.ok());
  return rendered.ok() ? *rendered : "";
}

TEST(TemplateEngine, AnEmptyStringIsFalseInSections) {
  const std::string source =
      "{{#department}}<dt>部</dt><dd>{{department}}</dd>{{/department}}"
      "{{^department}}（未設定）{{/department}}";
  EXPECT_EQ(Render(source, {{"department", ""}}), "（未設定）");
  EXPECT_EQ(Render(source, {{"department", "総務部"}}), "<dt>部</dt><dd>総務部</dd>");
  EXPECT_EQ(Render(source, nlohmann::json::object()), "（未設定）");
}

TEST(TemplateEngine, FalseNullAndEmptyListsAreFalseAndValuesAreEscaped) {
  const std::string source = "{{#x}}yes{{/x}}{{^x}}no{{/x}}";
  EXPECT_EQ(Render(source, {{"x", false}}), "no");
  EXPECT_EQ(Render(source, {{"x", nullptr}}), "no");
  EXPECT_EQ(Render(source, {{"x", nlohmann::json::array()}}), "no");
  EXPECT_EQ(Render(source, {{"x", 0}}), "yes");  // a number is a value, even 0
  EXPECT_EQ(Render("{{v}}", {{"v", "<b>&"}}), "&lt;b&gt;&amp;");
}

}  // namespace
}  // namespace civicdesk::http
