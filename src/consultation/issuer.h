#ifndef CIVICDESK_CONSULTATION_ISSUER_H_
#define CIVICDESK_CONSULTATION_ISSUER_H_

// The body that holds a consultation and publishes its result — a ward, a city, a town, a
// village, a prefecture or a ministry — and the words its publication uses for itself and its
// people: 区民意見 / 区の考え方 for a ward, 市民意見 / 市の考え方 for a city, 県民意見 / 県の考え方
// for a prefecture, 意見 / 国の考え方 for the state. Set per consultation (a result imported
// from another government keeps that government's words); every public page, export and open
// dataset of the consultation speaks in them.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "consultation/store.h"
#include "core/result.h"
#include "http/templates.h"
#include "storage/database.h"

namespace civicdesk::consultation {

// ward (区), city (市), town (町), village (村), tokyo (都), hokkaido (道), fu (府:
// 大阪府・京都府), prefecture (県), national (国). The default is ward: the site's own.
const std::vector<std::string_view>& IssuerKinds();
bool IsIssuerKind(std::string_view kind);

// The kind whose words a results file's response header uses: 「市の考え方」 → city,
// 「意見に対する県の考え方」 → prefecture; nullopt when the header names no body (「回答」).
std::optional<std::string> IssuerKindOfHeader(std::string_view header);

// A catalog text by key in one language: RequestContext::Message for a page, the Japanese
// catalog for a document (the PDF and XLSX are in Japanese).
using MessageLookup = std::function<std::string(std::string_view key)>;

// The words of one issuer, from the consultation catalog's issuer_<word>_<kind> keys. `name` is the
// body's own name (浜松市, 環境省) or empty for the site's own body. A default IssuerWords holds
// the ward's Japanese words: what a document uses when its caller names no issuer.
struct IssuerWords {
  std::string body = "区";                    // 区 / the ward
  std::string people = "区民";                // 区民 / residents of the ward
  std::string opinion = "区民意見";           // 区民意見 / Opinion
  std::string response = "区の考え方";        // 区の考え方 / The ward's response
  std::string route_public = "区民意見募集";  // 区民意見募集 / Public comment
  std::string route_meeting = "区民説明会";   // 区民説明会 / Town-hall meetings
  std::string name;
};
IssuerWords WordsOf(const MessageLookup& message, const Consultation& consultation);

// The Japanese words of the consultation's issuer: what its documents (PDF, XLSX, CSV, the open
// dataset) use whatever the reader's language.
IssuerWords DocumentWords(const http::MessageCatalog& catalog, const Consultation& consultation);

// `text` with {body}, {people}, {opinion}, {response}, {route_public}, {route_meeting} and
// {name} replaced by `words`.
std::string FillIssuerWords(std::string text, const IssuerWords& words);

// The catalog texts that speak of the issuer (issuer_text_result_title_suffix, …), filled with
// its words, keyed without the prefix: a consultation's public pages read them as
// {{consultation.words.result_title_suffix}}. issuer_name / has_issuer_name say who publishes.
nlohmann::json IssuerTexts(const MessageLookup& message, const Consultation& consultation);

// The published documents (PDF, XLSX, CSV/TSV, the open dataset) are in Japanese; these give
// their issuer-dependent parts from Japanese `words`.
// 「{title}に寄せられた区民意見に対する区の考え方」.
std::string DocumentTitle(const std::string& title, const IssuerWords& words);
// The table's columns: No, 主な該当分野, 区民意見, 区分, 部, 課, 区の考え方, 対応状況.
std::vector<std::string> PublishedColumns(const IssuerWords& words);
// The sheet of the table: 「区民意見と区の考え方」.
std::string PublishedSheetName(const IssuerWords& words);
// Legend text of 対応状況 1–5: status 5 names the body (「市に対する意見・要望として受けたもの」).
std::string StatusLegendText(int status, const IssuerWords& words);

// InvalidArgument naming issuer_kind for an unknown kind and issuer_name for a name longer than
// 100 characters or with control characters; Ok otherwise.
Status CheckIssuer(const std::string& kind, const std::string& name);

// Sets who publishes a consultation, checked as CheckIssuer. Audited (set_issuer).
Status SetIssuer(storage::Database& database, int64_t consultation_id, const std::string& kind,
                 const std::string& name, const Actor& actor);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_ISSUER_H_
