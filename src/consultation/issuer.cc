#include "consultation/issuer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "consultation/model.h"
#include "core/text_normalize.h"

namespace civicdesk::consultation {
namespace {

// Each kind with the character its documents call it by (区の考え方, 市民意見, 国の考え方).
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kKinds = {{
    {"ward", "区"},
    {"city", "市"},
    {"town", "町"},
    {"village", "村"},
    {"tokyo", "都"},
    {"hokkaido", "道"},
    {"fu", "府"},
    {"prefecture", "県"},
    {"national", "国"},
}};

// The texts that speak of the issuer, each kept in the catalog as issuer_text_<key> with
// {body}, {opinion}, … placeholders and given to templates as words.<key>.
constexpr std::array<std::string_view, 14> kIssuerTextKeys = {
    "consultation_see_result", "form_relationship",    "privacy_retention", "result_title_suffix",
    "result_route_public",     "result_route_meeting", "result_split_note", "result_table",
    "result_order_note",       "result_opinion",       "result_response",   "result_status_label_5",
    "meetings_heading",        "result_issuer",
};

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7F; });
}

}  // namespace

const std::vector<std::string_view>& IssuerKinds() {
  static const std::vector<std::string_view> kinds = [] {
    std::vector<std::string_view> names;
    for (const auto& [kind, character] : kKinds) names.push_back(kind);
    return names;
  }();
  return kinds;
}

bool IsIssuerKind(std::string_view kind) {
  return std::any_of(kKinds.begin(), kKinds.end(),
                     [kind](const auto& entry) { return entry.first == kind; });
}

std::optional<std::string> IssuerKindOfHeader(std::string_view header) {
  for (const auto& [kind, character] : kKinds) {
    const std::string words = std::string(character) + "の考え方";
    if (header.find(words) != std::string_view::npos) return std::string(kind);
  }
  return std::nullopt;
}

IssuerWords WordsOf(const MessageLookup& message, const Consultation& consultation) {
  const std::string kind =
      IsIssuerKind(consultation.issuer_kind) ? consultation.issuer_kind : "ward";
  const auto word = [&](std::string_view name) {
    return message("issuer_" + std::string(name) + "_" + kind);
  };
  return {word("body"),         word("people"),        word("opinion"),         word("response"),
          word("route_public"), word("route_meeting"), consultation.issuer_name};
}

IssuerWords DocumentWords(const http::MessageCatalog& catalog, const Consultation& consultation) {
  return WordsOf([&catalog](std::string_view key) { return catalog.Get("ja", key); }, consultation);
}

std::string FillIssuerWords(std::string text, const IssuerWords& words) {
  ReplaceAll(text, "{body}", words.body);
  ReplaceAll(text, "{people}", words.people);
  ReplaceAll(text, "{opinion}", words.opinion);
  ReplaceAll(text, "{response}", words.response);
  ReplaceAll(text, "{route_public}", words.route_public);
  ReplaceAll(text, "{route_meeting}", words.route_meeting);
  ReplaceAll(text, "{name}", words.name);
  return text;
}

nlohmann::json IssuerTexts(const MessageLookup& message, const Consultation& consultation) {
  const IssuerWords words = WordsOf(message, consultation);
  nlohmann::json texts = nlohmann::json::object();
  for (std::string_view key : kIssuerTextKeys)
    texts[std::string(key)] = FillIssuerWords(message("issuer_text_" + std::string(key)), words);
  texts["issuer_name"] = words.name;
  texts["has_issuer_name"] = !words.name.empty();
  return texts;
}

std::string DocumentTitle(const std::string& title, const IssuerWords& words) {
  return title + "に寄せられた" + words.opinion + "に対する" + words.response;
}

std::vector<std::string> PublishedColumns(const IssuerWords& words) {
  return {"No", "主な該当分野", words.opinion, "区分", "部", "課", words.response, "対応状況"};
}

std::string PublishedSheetName(const IssuerWords& words) {
  return words.opinion + "と" + words.response;
}

std::string StatusLegendText(int status, const IssuerWords& words) {
  if (status < 1 || status > static_cast<int>(kStatusLegend.size())) return "";
  if (status == 5) return words.body + "に対する意見・要望として受けたもの";
  return std::string(kStatusLegend[status - 1]);
}

Status CheckIssuer(const std::string& kind, const std::string& name) {
  if (!IsIssuerKind(kind))
    return Status::InvalidArgument("consultation.issuer_kind_unknown", {{"kind", kind}},
                                   "issuer_kind");
  if (!IsValidUtf8(name) || HasControlCharacter(name) || CodePoints(name) > 100)
    return Status::InvalidArgument("consultation.issuer_name_invalid", "issuer_name");
  return Status::Ok();
}

Status SetIssuer(storage::Database& database, int64_t consultation_id, const std::string& kind,
                 const std::string& name, const Actor& actor) {
  CIVICDESK_RETURN_IF_ERROR(CheckIssuer(kind, name));
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, consultation_id));
  return database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_RETURN_IF_ERROR(
        connection
            .Query("UPDATE consultation SET issuer_kind = ?, issuer_name = ? WHERE id = ?",
                   {kind, name, consultation_id})
            .status());
    return Audit(connection, actor, "set_issuer", "consultation", consultation_id,
                 consultation.issuer_kind + " " + consultation.issuer_name, kind + " " + name);
  });
}

}  // namespace civicdesk::consultation
