#include "http/templates.h"

#include <kainjow/mustache.hpp>

#include "core/log.h"

namespace civicdesk::http {
namespace {

namespace mustache = kainjow::mustache;

mustache::data ToMustache(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, ToMustache(item));
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) list.push_back(ToMustache(item));
      return list;
    }
    case nlohmann::json::value_t::string:
      // kainjow opens a section for "" (only false and [] are false to it); our templates mean
      // {{#text}}…{{/text}} as "when there is text", so an empty string is false (it renders
      // as nothing either way).
      if (value.get_ref<const std::string&>().empty()) return mustache::data(false);
      return mustache::data(value.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return mustache::data(value.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return mustache::data(std::to_string(value.get<int64_t>()));
    case nlohmann::json::value_t::number_float: {
      std::string text = value.dump();
      return mustache::data(text);
    }
    default:
      return mustache::data(false);
  }
}

}  // namespace

Status TemplateEngine::Add(std::string name, std::string source) {
  mustache::mustache parsed(source);
  if (!parsed.is_valid()) {
    return Status::InvalidArgument("template " + name + ": " + parsed.error_message());
  }
  if (sources_.count(name) > 0) return Status::Conflict("template " + name + " is added twice");
  sources_.emplace(std::move(name), std::move(source));
  return Status::Ok();
}

Result<std::string> TemplateEngine::Render(std::string_view name,
                                           const nlohmann::json& data) const {
  auto found = sources_.find(name);
  if (found == sources_.end()) return Status::NotFound("no template named " + std::string(name));
  mustache::mustache compiled(found->second);
  mustache::data context = ToMustache(data);
  // Every template can include any other as a partial: {{>plan/kpi_table}}.
  for (const auto& [partial_name, source] : sources_) {
    const std::string* partial_source = &source;
    context.set(partial_name, mustache::partial([partial_source] { return *partial_source; }));
  }
  std::string rendered = compiled.render(context);
  if (!compiled.is_valid()) {
    return Status::Internal("template " + std::string(name) + ": " + compiled.error_message());
  }
  return rendered;
}

Status MessageCatalog::Add(std::string_view language, std::string_view json_text,
                           std::string_view origin) {
  nlohmann::json parsed = nlohmann::json::parse(json_text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Status::InvalidArgument("message catalog " + std::string(origin) +
                                   " is not a JSON object");
  }
  nlohmann::json& target = raw_[std::string(language)];
  if (target.is_null()) target = nlohmann::json::object();
  for (const auto& [key, text] : parsed.items()) {
    if (!text.is_string()) {
      return Status::InvalidArgument("message catalog " + std::string(origin) + ": " + key +
                                     " is not a string");
    }
    if (target.contains(key)) {
      return Status::Conflict("message catalog " + std::string(origin) + ": " + key +
                              " is defined twice");
    }
    target[key] = text;
  }
  return Status::Ok();
}

void MessageCatalog::Finalize() {
  const nlohmann::json& japanese = raw_["ja"];
  resolved_.clear();
  for (const auto& [language, messages] : raw_) {
    nlohmann::json complete = nlohmann::json::object();
    for (const auto& [key, text] : japanese.items()) {
      if (messages.contains(key)) {
        complete[key] = messages[key];
      } else {
        complete[key] = text;
        Log(LogLevel::kWarning,
            "message " + key + " has no " + language + " text; Japanese is shown");
      }
    }
    for (const auto& [key, text] : messages.items()) {
      if (!japanese.contains(key)) {
        Log(LogLevel::kWarning,
            "message " + key + " exists in " + language + " but not in Japanese");
        complete[key] = text;
      }
    }
    resolved_[language] = std::move(complete);
  }
}

const nlohmann::json& MessageCatalog::For(std::string_view language) const {
  auto found = resolved_.find(language);
  if (found != resolved_.end()) return found->second;
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto japanese = resolved_.find("ja");
  return japanese != resolved_.end() ? japanese->second : kEmpty;
}

bool MessageCatalog::Has(std::string_view key) const {
  const nlohmann::json& messages = For("ja");
  return messages.find(key) != messages.end();
}

std::string MessageCatalog::Format(std::string_view language, const Status& status) const {
  std::string text;
  const nlohmann::json& messages = For(language);
  auto found = messages.find(status.message_id());
  if (found == messages.end()) {
    text = status.message();
  } else {
    text = found->get<std::string>();
    for (const auto& [name, value] : status.args()) {
      std::string placeholder = "{" + name + "}";
      for (size_t at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + value.size())) {
        text.replace(at, placeholder.size(), value);
      }
    }
  }
  std::string prefix = status.context().empty() ? std::string() : status.context() + ": ";
  return prefix + text;
}

std::string MessageCatalog::FormatBoth(const Status& status) const {
  std::string japanese = Format("ja", status);
  std::string english = Format("en", status);
  if (english == japanese) return japanese;
  std::string prefix = status.context().empty() ? std::string() : status.context() + ": ";
  return japanese + " / " + english.substr(prefix.size());
}

std::string MessageCatalog::Get(std::string_view language, std::string_view key) const {
  const nlohmann::json& messages = For(language);
  auto found = messages.find(key);
  if (found != messages.end()) return found->get<std::string>();
  Log(LogLevel::kWarning, "message " + std::string(key) + " is missing from every catalog");
  return std::string(key);
}

}  // namespace civicdesk::http
