#include "http/message.h"

#include <gtest/gtest.h>

#include "http/multipart.h"

namespace civicdesk::http {
namespace {

TEST(PercentDecode, DecodesUtf8AndRejectsBrokenInput) {
  Result<std::string> green = PercentDecode("%E7%B7%91+x", true);
  ASSERT_TRUE(green.ok());
  EXPECT_EQ(*green, "緑 x");
  EXPECT_EQ(*PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("%E7%B7", true).ok());  // truncated UTF-8
  EXPECT_FALSE(PercentDecode("%zz", true).ok());
  EXPECT_FALSE(PercentDecode("abc%", true).ok());
  EXPECT_FALSE(PercentDecode("abc%4", true).ok());
  EXPECT_FALSE(PercentDecode("a%00b", true).ok());
}

TEST(ParseUrlEncoded, ReadsFormsAndNamesTheBrokenField) {
  Result<std::map<std::string, std::string>> form =
      ParseUrlEncoded("login=kuyakusho&password=a%26b&empty=&flag");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->at("login"), "kuyakusho");
  EXPECT_EQ(form->at("password"), "a&b");
  EXPECT_EQ(form->at("empty"), "");
  EXPECT_EQ(form->at("flag"), "");
  Result<std::map<std::string, std::string>> broken = ParseUrlEncoded("ok=1&text=%FF");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().field(), "text");
}

TEST(Request, ReadsCookies) {
  Request request;
  request.headers["cookie"] = "a=1; civicdesk_session=abc ;b=2";
  EXPECT_EQ(request.Cookie("civicdesk_session").value_or(""), "abc");
  EXPECT_EQ(request.Cookie("b").value_or(""), "2");
  EXPECT_FALSE(request.Cookie("missing").has_value());
}

TEST(SetCookieHeader, CarriesSecurityAttributes) {
  CookieOptions options;
  options.secure = true;
  std::string header = SetCookieHeader("civicdesk_session", "t", options);
  EXPECT_NE(header.find("HttpOnly"), std::string::npos);
  EXPECT_NE(header.find("Secure"), std::string::npos);
  EXPECT_NE(header.find("SameSite=Lax"), std::string::npos);
}

TEST(HtmlEscape, EscapesMarkup) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ParseMultipart, ReadsFieldsAndFilesAsSent) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iken.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n\x94\xd4\x8d\x86,\r\n--not the end\r\n\r\n--XyZ--\r\n";
  Result<std::vector<FormPart>> parts = ParseMultipart(body, "multipart/form-data; boundary=XyZ");
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf_token");
  EXPECT_FALSE((*parts)[0].is_file);
  EXPECT_EQ((*parts)[0].body, "abc");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].filename, "iken.csv");
  EXPECT_EQ((*parts)[1].content_type, "text/csv");
  EXPECT_EQ((*parts)[1].body, "\x94\xd4\x8d\x86,\r\n--not the end\r\n");

  Request request;
  request.headers["content-type"] = "multipart/form-data; boundary=\"XyZ\"";
  request.body = body;
  std::map<std::string, std::string> form = request.Form();
  EXPECT_EQ(form["csrf_token"], "abc");
  EXPECT_EQ(form.count("file"), 0u) << "files are not form fields";
}

TEST(ParseMultipart, RefusesBodiesThatAreNotMultipart) {
  EXPECT_FALSE(ParseMultipart("a=1", "multipart/form-data").ok()) << "no boundary";
  EXPECT_FALSE(ParseMultipart("a=1", "multipart/form-data; boundary=XyZ").ok());
  EXPECT_FALSE(ParseMultipart("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
                              "multipart/form-data; boundary=XyZ")
                   .ok())
      << "never closed";
  EXPECT_FALSE(ParseMultipart("--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--",
                              "multipart/form-data; boundary=XyZ")
                   .ok())
      << "a part without a name";
}

}  // namespace
}  // namespace civicdesk::http
