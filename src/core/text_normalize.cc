#include "core/text_normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace civicdesk {

std::string NormalizeNfkc(std::string_view utf8) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(error);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (U_FAILURE(error)) return std::string(utf8);
  icu::UnicodeString normalized = nfkc->normalize(source, error);
  if (U_FAILURE(error)) return std::string(utf8);
  std::string result;
  normalized.toUTF8String(result);
  return result;
}

bool IsBlank(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  while (!text.empty()) {
    if (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
        text.front() == '\n') {
      text.remove_prefix(1);
    } else if (text.starts_with(kIdeographicSpace)) {
      text.remove_prefix(kIdeographicSpace.size());
    } else {
      return false;
    }
  }
  return true;
}

std::string TrimSpaces(std::string_view text) { return std::string(TrimSpacesView(text)); }

std::string_view TrimSpacesView(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  auto is_ascii_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty()) {
    if (is_ascii_space(text.front())) {
      text.remove_prefix(1);
    } else if (text.starts_with(kIdeographicSpace)) {
      text.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  while (!text.empty()) {
    if (is_ascii_space(text.back())) {
      text.remove_suffix(1);
    } else if (text.ends_with(kIdeographicSpace)) {
      text.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return text;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (true) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.emplace_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
    if (text.empty()) break;
  }
  return lines;
}

bool IsValidUtf8(std::string_view text) {
  int32_t offset = 0;
  const auto length = static_cast<int32_t>(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  while (offset < length) {
    UChar32 code_point;
    U8_NEXT(bytes, offset, length, code_point);
    if (code_point < 0) return false;
  }
  return true;
}

}  // namespace civicdesk
