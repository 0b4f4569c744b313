#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "embedded/text_files.h"
#include "text/handlers.h"

namespace civicdesk::text {
namespace {

// Who the results are for: the public on public pages; staff (a section's, or all) on the staff
// page and in the API when signed in.
SearchScope ScopeOf(http::RequestContext& context, bool staff_page) {
  const auto& principal = context.principal();
  if (!principal) return {SearchScope::Audience::kPublic, ""};
  if (!staff_page && !context.request().IsApi()) return {SearchScope::Audience::kPublic, ""};
  if (principal->role == http::Role::kSectionStaff)
    return {SearchScope::Audience::kSection, principal->department + "/" + principal->section};
  return {SearchScope::Audience::kAllStaff, ""};
}

// glossary/en_ja.json: English words and the Japanese the ward's texts use for them.
const std::map<std::string, std::vector<std::string>>& Glossary() {
  static const auto* glossary = [] {
    auto* words = new std::map<std::string, std::vector<std::string>>();
    std::optional<std::string_view> file = text_files::FindEmbeddedFile("glossary/en_ja.json");
    nlohmann::json parsed = file ? nlohmann::json::parse(*file, nullptr, false) : nlohmann::json();
    if (!parsed.is_object()) return words;
    for (const auto& [word, japanese] : parsed.items()) {
      if (!japanese.is_array()) continue;
      for (const auto& term : japanese) {
        if (term.is_string()) (*words)[word].push_back(term.get<std::string>());
      }
    }
    return words;
  }();
  return *glossary;
}

// The Japanese words of an English word ("noise" → 騒音; "parks" as "park"); empty when the
// glossary has none.
std::vector<std::string> JapaneseFor(std::string word) {
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& glossary = Glossary();
  if (auto found = glossary.find(word); found != glossary.end()) return found->second;
  if (word.size() > 3 && word.back() == 's') {
    if (auto found = glossary.find(word.substr(0, word.size() - 1)); found != glossary.end())
      return found->second;
  }
  return {};
}

// The queries an English page also asks: each English word of `query` the glossary knows
// replaced by one of its Japanese words ("aircraft noise" → "飛行機 騒音"); the other words kept.
std::vector<std::string> JapaneseQueries(const std::string& query) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find(' ', start);
    if (end == std::string::npos) end = query.size();
    if (end > start) words.push_back(query.substr(start, end - start));
    start = end + 1;
  }
  if (words.empty() || query.find('"') != std::string::npos) return {};
  std::vector<std::string> queries;
  // One query per Japanese word of the first known English word; the others take their first.
  size_t varied = words.size();
  for (size_t i = 0; i < words.size() && varied == words.size(); ++i) {
    if (!JapaneseFor(words[i]).empty()) varied = i;
  }
  if (varied == words.size()) return {};
  for (const std::string& choice : JapaneseFor(words[varied])) {
    std::string alternative;
    for (size_t i = 0; i < words.size(); ++i) {
      std::vector<std::string> japanese = JapaneseFor(words[i]);
      const std::string& word =
          i == varied ? choice : (japanese.empty() ? words[i] : japanese.front());
      alternative += (alternative.empty() ? "" : " ") + word;
    }
    queries.push_back(alternative);
  }
  return queries;
}

}  // namespace

Result<std::vector<SearchHit>> RunSearch(http::RequestContext& context, bool staff_page) {
  const std::string kind = context.request().QueryParam("kind").value_or("");  // "": any
  if (!kind.empty() && std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end())
    return Status::InvalidArgument("text.kind_invalid", {{"value", kind}}, "kind");
  SearchRequest request;
  request.query = context.request().QueryParam("q").value_or("");
  if (!kind.empty()) request.kind = kind;
  request.scope = ScopeOf(context, staff_page);
  request.limit = 50;
  SearchIndex& index = SearchIndex::For(context.app().database());
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<SearchHit> hits, index.Search(request));
  if (context.language() != "en") return hits;
  // On an English page, English words also find the Japanese the ward wrote ("noise" → 騒音),
  // after what the English itself found.
  std::set<std::pair<std::string, int64_t>> seen;
  for (const SearchHit& hit : hits) seen.insert({hit.kind, hit.ref_id});
  for (const std::string& japanese : JapaneseQueries(request.query)) {
    SearchRequest also = request;
    also.query = japanese;
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<SearchHit> more, index.Search(also));
    for (SearchHit& hit : more) {
      if (hits.size() >= request.limit) break;
      if (seen.insert({hit.kind, hit.ref_id}).second) hits.push_back(std::move(hit));
    }
  }
  return hits;
}

}  // namespace civicdesk::text
