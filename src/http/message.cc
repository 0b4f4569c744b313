#include "http/message.h"

#include <cctype>
#include <optional>

#include "core/text_normalize.h"
#include "http/multipart.h"

namespace civicdesk::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string Request::Header(std::string_view lower_case_name) const {
  auto found = headers.find(std::string(lower_case_name));
  return found == headers.end() ? std::string() : found->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  const std::string header = Header("cookie");
  std::string_view cookies = header;
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view pair = Trim(cookies.substr(0, end));
    size_t equals = pair.find('=');
    if (equals != std::string_view::npos && Trim(pair.substr(0, equals)) == name) {
      return std::string(Trim(pair.substr(equals + 1)));
    }
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  auto found = query.find(std::string(name));
  if (found == query.end()) return std::nullopt;
  return found->second;
}

std::string Request::PathParam(std::string_view name) const {
  auto found = path_params.find(std::string(name));
  return found == path_params.end() ? std::string() : found->second;
}

std::map<std::string, std::string> Request::Form() const {
  const std::string content_type = Header("content-type");
  if (content_type.rfind("multipart/form-data", 0) == 0) {
    std::map<std::string, std::string> fields;
    Result<std::vector<FormPart>> parts = ParseMultipart(body, content_type);
    if (!parts.ok()) return fields;
    for (FormPart& part : *parts)
      if (!part.is_file) fields[part.name] = std::move(part.body);
    return fields;
  }
  Result<std::map<std::string, std::string>> fields = ParseUrlEncoded(body);
  return fields.ok() ? *fields : std::map<std::string, std::string>{};
}

namespace {

// The value of `name`="…" (or unquoted) in a header such as Content-Disposition.
std::optional<std::string> HeaderParameter(std::string_view header, std::string_view name) {
  size_t at = 0;
  while ((at = header.find(';', at)) != std::string_view::npos) {
    std::string_view rest = Trim(header.substr(at + 1));
    ++at;
    if (rest.size() <= name.size() || rest[name.size()] != '=') continue;
    std::string key(rest.substr(0, name.size()));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key != name) continue;
    std::string_view value = rest.substr(name.size() + 1);
    if (!value.empty() && value.front() == '"') {
      const size_t close = value.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      return std::string(value.substr(1, close - 1));
    }
    return std::string(value.substr(0, value.find(';')));
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view content_type) {
  const Status invalid = Status::InvalidArgument("http.multipart_invalid");
  std::optional<std::string> boundary = HeaderParameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return invalid;
  const std::string delimiter = "--" + *boundary;
  size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return invalid;
  std::vector<FormPart> parts;
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return invalid;
    at += 2;
    const size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return invalid;
    FormPart part;
    bool named = false;
    for (std::string_view headers = body.substr(at, headers_end - at); !headers.empty();) {
      const size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) return invalid;
      std::string key(Trim(line.substr(0, colon)));
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::string_view value = Trim(line.substr(colon + 1));
      if (key == "content-disposition") {
        std::optional<std::string> name = HeaderParameter(value, "name");
        if (!name) return invalid;
        part.name = *name;
        named = true;
        if (std::optional<std::string> filename = HeaderParameter(value, "filename")) {
          part.filename = *filename;
          part.is_file = true;
        }
      } else if (key == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!named) return invalid;
    const size_t content = headers_end + 4;
    const size_t next = body.find("\r\n" + delimiter, content);
    if (next == std::string_view::npos) return invalid;
    part.body = std::string(body.substr(content, next - content));
    parts.push_back(std::move(part));
    at = next + 2;
  }
}

std::string SetCookieHeader(std::string_view name, std::string_view value,
                            const CookieOptions& options) {
  std::string header = std::string(name) + "=" + std::string(value) + "; Path=/";
  if (options.http_only) header += "; HttpOnly";
  if (options.secure) header += "; Secure";
  if (!options.same_site.empty()) header += "; SameSite=" + options.same_site;
  if (options.max_age_seconds) header += "; Max-Age=" + std::to_string(*options.max_age_seconds);
  return header;
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) return Status::InvalidArgument("http.percent_escape_invalid");
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  if (decoded.find('\0') != std::string::npos || !IsValidUtf8(decoded)) {
    return Status::InvalidArgument("http.not_utf8");
  }
  return decoded;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 15]);
    }
  }
  return encoded;
}

Result<std::map<std::string, std::string>> ParseUrlEncoded(std::string_view text) {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    size_t end = text.find('&');
    std::string_view pair = text.substr(0, end);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      Result<std::string> key = PercentDecode(pair.substr(0, equals), true);
      if (!key.ok()) return key.status();
      std::string value;
      if (equals != std::string_view::npos) {
        Result<std::string> decoded = PercentDecode(pair.substr(equals + 1), true);
        if (!decoded.ok()) return decoded.status().WithField(*key);
        value = std::move(*decoded);
      }
      fields[*key] = std::move(value);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return fields;
}

std::string HtmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

Response JsonResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Response TextResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Response RedirectResponse(std::string location) {
  Response response;
  response.status = 303;
  response.AddHeader("Location", std::move(location));
  response.content_type = "text/plain; charset=utf-8";
  return response;
}

}  // namespace civicdesk::http
