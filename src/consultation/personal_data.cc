#include "consultation/personal_data.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

namespace civicdesk::consultation {
namespace {

struct Pattern {
  const char* kind;
  const char* expression;
};

// ICU regular expressions work on code points, so Japanese and full-width forms are matched
// properly (unlike std::regex, which sees bytes).
constexpr Pattern kPatterns[] = {
    {"email", "[\\p{L}\\p{Nd}._%+\\-]+[@＠][\\p{L}\\p{Nd}\\-]+(?:[.．][\\p{L}\\p{Nd}\\-]+)+"},
    {"phone",
     "(?<!\\p{Nd})[0０]\\p{Nd}{1,4}[\\-－ー―‐(（)）\\s]{0,2}\\p{Nd}{1,4}[\\-－ー―‐)）\\s]{0,2}\\p{"
     "Nd}{3,4}(?!\\p{Nd})"},
    {"phone", "(?<!\\p{Nd})[0０][5789５７８９][0０]\\p{Nd}{8}(?!\\p{Nd})"},
    {"address",
     "(?:東京都)?(?:\\p{Han}{1,4}[区市町村])?\\p{Han}{1,6}(?:\\p{Nd}+|[一二三四五六七八九十]+)丁目"
     "(?:\\p{Nd}+(?:番地?|[\\-－ー])(?:\\p{Nd}+号?)?)?"},
    {"address", "\\p{Han}{2,6}\\p{Nd}{1,2}[\\-－ー]\\p{Nd}{1,3}[\\-－ー]\\p{Nd}{1,4}"},
    {"name", "\\p{Han}{1,4}[\\s　]?\\p{Han}{1,3}(?:(?<![同皆])様|さん|氏)"},
    {"name", "(?<=私は)[\\p{Han}\\p{Katakana}]{2,8}(?=です|と申します)"},
};

size_t Utf8Offset(const icu::UnicodeString& text, int32_t utf16_index) {
  std::string prefix;
  text.tempSubString(0, utf16_index).toUTF8String(prefix);
  return prefix.size();
}

}  // namespace

std::vector<PersonalDataFinding> FindPersonalData(std::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::vector<PersonalDataFinding> findings;
  for (const Pattern& pattern : kPatterns) {
    UErrorCode error = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> matcher(
        new icu::RegexMatcher(icu::UnicodeString::fromUTF8(pattern.expression), unicode, 0, error));
    if (U_FAILURE(error)) continue;
    while (matcher->find(error) && U_SUCCESS(error)) {
      int32_t start = matcher->start(error);
      int32_t end = matcher->end(error);
      if (U_FAILURE(error) || end <= start) break;
      PersonalDataFinding finding{pattern.kind, Utf8Offset(unicode, start),
                                  Utf8Offset(unicode, end), ""};
      finding.excerpt = std::string(text.substr(finding.start, finding.end - finding.start));
      findings.push_back(std::move(finding));
    }
  }
  // Keep the earliest, longest finding where several overlap.
  std::sort(findings.begin(), findings.end(),
            [](const PersonalDataFinding& a, const PersonalDataFinding& b) {
              return a.start != b.start ? a.start < b.start : a.end > b.end;
            });
  std::vector<PersonalDataFinding> kept;
  for (PersonalDataFinding& finding : findings) {
    if (!kept.empty() && finding.start < kept.back().end) continue;
    kept.push_back(std::move(finding));
  }
  return kept;
}

std::string MaskPersonalData(std::string_view text,
                             const std::vector<PersonalDataFinding>& findings) {
  std::string masked;
  size_t at = 0;
  for (const PersonalDataFinding& finding : findings) {
    if (finding.start < at || finding.end > text.size()) continue;
    masked += text.substr(at, finding.start - at);
    masked += "（個人情報のため削除）";
    at = finding.end;
  }
  masked += text.substr(at);
  return masked;
}

}  // namespace civicdesk::consultation
