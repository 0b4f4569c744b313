#ifndef CIVICDESK_HTTP_TEMPLATES_H_
#define CIVICDESK_HTTP_TEMPLATES_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::http {

// Mustache templates (kainjow), HTML-escaped by default ({{{raw}}} for trusted HTML).
// Each module adds its templates at start-up; rendering is thread-safe afterwards. Every
// template is available to the others as a partial under its name: {{>plan/kpi_table}}.
class TemplateEngine {
 public:
  // InvalidArgument when the template does not parse, naming it; a name is added once.
  Status Add(std::string name, std::string source);

  // Renders with `data` (objects, arrays, strings, numbers, booleans; null, false, "" and []
  // are false: {{#x}} is skipped and {{^x}} shown).
  // NotFound for an unknown template name.
  Result<std::string> Render(std::string_view name, const nlohmann::json& data) const;

 private:
  std::map<std::string, std::string, std::less<>> sources_;
};

// UI strings per language, from JSON objects {"key": "text"}. Japanese is the reference: every
// key must exist in Japanese, and a key missing in another language falls back to Japanese and
// is logged once, so a missing translation never breaks a page.
class MessageCatalog {
 public:
  // InvalidArgument for JSON that is not an object of strings, naming `origin`.
  Status Add(std::string_view language, std::string_view json_text, std::string_view origin);

  // All Japanese keys with this language's text (or the Japanese fallback). Unknown languages
  // get Japanese. Thread-safe once serving starts.
  const nlohmann::json& For(std::string_view language) const;

  // The text for `key`, or the key itself (logged) when Japanese lacks it too.
  std::string Get(std::string_view language, std::string_view key) const;

  // The words of a failed Status in `language`: the catalog's text for its message id with each
  // {name} replaced by the argument's value, after its context ("file.csv: …"); the field is
  // the caller's to show (a form marks it, the CLI prints it first). An id no catalog holds (a
  // database's own error text) is shown as it is, with its arguments after it.
  std::string Format(std::string_view language, const Status& status) const;

  // Japanese, then " / " and English when they differ: for the command line and logs.
  std::string FormatBoth(const Status& status) const;

  // True when Japanese has `key`.
  bool Has(std::string_view key) const;

  // Computes the fallbacks; call after the last Add.
  void Finalize();

 private:
  std::map<std::string, nlohmann::json, std::less<>> raw_;
  std::map<std::string, nlohmann::json, std::less<>> resolved_;
};

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_TEMPLATES_H_
