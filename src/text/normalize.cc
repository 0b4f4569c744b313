#include "text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <vector>

#include "core/text_normalize.h"

namespace civicdesk::text {
namespace {

// Characters folded after NFKC_Casefold, which leaves them distinct from what people mean.
UChar32 FoldPunctuation(UChar32 c) {
  switch (c) {
    case 0x2010:  // ‐ hyphen
    case 0x2011:  // non-breaking hyphen
    case 0x2012:  // figure dash
    case 0x2013:  // – en dash
    case 0x2014:  // — em dash
    case 0x2015:  // ― horizontal bar
    case 0x2212:  // − minus sign
      return '-';
    case 0x301C:  // 〜 wave dash
      return '~';
    default:
      return c;
  }
}

bool IsDropped(UChar32 c) {
  if (u_isUWhiteSpace(c)) return false;  // tab, line breaks, NEL: collapsed below
  const int8_t type = u_charType(c);
  if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR) return true;
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);  // variation selectors
}

}  // namespace

std::string FoldForMatching(std::string_view valid_utf8) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(error);
  if (U_FAILURE(error)) return std::string(valid_utf8);
  icu::UnicodeString normalized =
      fold->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                          valid_utf8.data(), static_cast<int32_t>(valid_utf8.size()))),
                      error);
  if (U_FAILURE(error)) return std::string(valid_utf8);

  std::string folded;
  folded.reserve(valid_utf8.size());
  bool pending_space = false;
  const int32_t length = normalized.length();
  for (int32_t i = 0; i < length;) {
    const UChar32 c = normalized.char32At(i);
    i += U16_LENGTH(c);
    if (IsDropped(c)) continue;
    if (u_isUWhiteSpace(c)) {
      pending_space = !folded.empty();
      continue;
    }
    if (pending_space) {
      folded.push_back(' ');
      pending_space = false;
    }
    const UChar32 out = FoldPunctuation(c);
    char bytes[U8_MAX_LENGTH];
    int32_t written = 0;
    UBool failed = false;  // cannot happen: a code point always fits in U8_MAX_LENGTH
    U8_APPEND(reinterpret_cast<uint8_t*>(bytes), written, U8_MAX_LENGTH, out, failed);
    if (!failed) folded.append(bytes, static_cast<size_t>(written));
  }
  return folded;
}

Result<std::string> NormalizeInput(std::string_view text, std::string_view field,
                                   bool allow_empty) {
  if (text.size() > kMaxTextBytes) {
    return Status::InvalidArgument("text.too_long", {{"limit", "1 MiB"}}, std::string(field));
  }
  if (!IsValidUtf8(text)) {
    return Status::InvalidArgument("text.not_utf8", std::string(field));
  }
  std::string folded = FoldForMatching(text);
  if (folded.empty() && !allow_empty) {
    return Status::InvalidArgument("text.empty", std::string(field));
  }
  return folded;
}

Status CheckInput(std::string_view text, std::string_view field) {
  if (text.size() > kMaxTextBytes || !IsValidUtf8(text))
    return NormalizeInput(text, field).status();
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // Printable ASCII other than the space: NFKC_Casefold keeps it (letters in lower case).
    if (byte > 0x20 && byte < 0x7F) return Status::Ok();
    // Three-byte sequences E3 81 81 .. E3 82 96 (ぁ..ゖ), E3 82 A1 .. E3 83 BA (ァ..ヺ) and
    // E4 B8 80 .. E9 BF BF (U+4E00..U+9FFF, CJK unified ideographs): stable under NFKC_Casefold
    // and neither controls, format characters nor white space.
    if (byte >= 0xE3 && byte <= 0xE9 && i + 2 < text.size()) {
      const uint32_t code = ((byte & 0x0Fu) << 12) |
                            ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      if ((code >= 0x3041 && code <= 0x3096) || (code >= 0x30A1 && code <= 0x30FA) ||
          (code >= 0x4E00 && code <= 0x9FFF)) {
        return Status::Ok();
      }
    }
  }
  return NormalizeInput(text, field).status();
}

std::vector<size_t> CharacterBoundaries(std::string_view valid_utf8) {
  std::vector<size_t> boundaries;
  boundaries.reserve(valid_utf8.size() / 2 + 1);
  for (size_t i = 0; i < valid_utf8.size(); ++i) {
    if ((static_cast<unsigned char>(valid_utf8[i]) & 0xC0) != 0x80) boundaries.push_back(i);
  }
  boundaries.push_back(valid_utf8.size());
  return boundaries;
}

}  // namespace civicdesk::text
