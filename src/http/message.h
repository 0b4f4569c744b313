#ifndef CIVICDESK_HTTP_MESSAGE_H_
#define CIVICDESK_HTTP_MESSAGE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace civicdesk::http {

// One HTTP request as the application sees it, independent of Boost.Beast.
struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as sent: path and query
  std::string path;                            // percent-decoded, without the query
  std::map<std::string, std::string> query;    // decoded; the last of repeated keys wins
  std::map<std::string, std::string> headers;  // keys in lower case
  std::string body;
  std::string remote_address;
  std::map<std::string, std::string> path_params;  // filled by the router: {n} → value
  // Set by the server when the request line cannot be read (a broken escape in the path or
  // query): the application answers 400 with these words.
  Status parse_error;
  // Set by the server when the body is over its limit (ServerOptions::max_body_bytes, the limit
  // here): the request has its headers and no body, and the application answers 413 with a page
  // that names the limit.
  bool body_too_large = false;
  size_t body_limit_bytes = 0;

  // Empty when absent.
  std::string Header(std::string_view lower_case_name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  std::optional<std::string> QueryParam(std::string_view name) const;
  std::string PathParam(std::string_view name) const;
  // The body as application/x-www-form-urlencoded fields; the last of repeated keys wins.
  std::map<std::string, std::string> Form() const;
  bool IsApi() const { return path.rfind("/api/", 0) == 0; }
};

// Writes one piece of a streamed body; non-Ok once the client is gone.
using BodyWriter = std::function<Status(std::string_view piece)>;

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is not `body` but whatever this writes, sent in chunks as it is written
  // (large exports never sit whole in memory). Runs after the headers are sent, so a failure
  // part-way can only cut the response short; it is logged.
  std::function<Status(const BodyWriter& write)> stream;
  // Seconds this response may be served again to any visitor who is not signed in (set by the
  // App from RequestContext::AllowPublicCache); 0: never.
  int public_cache_seconds = 0;

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

struct CookieOptions {
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
  std::optional<int> max_age_seconds;  // none: a session cookie; 0: delete
};

// "name=value; Path=/; HttpOnly; SameSite=Lax[; Secure][; Max-Age=N]".
std::string SetCookieHeader(std::string_view name, std::string_view value,
                            const CookieOptions& options);

// Decodes %XX and, when plus_is_space, '+'. InvalidArgument for a broken escape or for
// a result that is not UTF-8 or holds a NUL.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

std::string PercentEncode(std::string_view text);

// Parses "a=1&b=%E7%B7%91" into decoded pairs; malformed pairs are InvalidArgument.
Result<std::map<std::string, std::string>> ParseUrlEncoded(std::string_view text);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

Response JsonResponse(int status, std::string body);
Response TextResponse(int status, std::string body);
Response RedirectResponse(std::string location);  // 303 See Other

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_MESSAGE_H_
