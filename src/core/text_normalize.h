#ifndef CIVICDESK_CORE_TEXT_NORMALIZE_H_
#define CIVICDESK_CORE_TEXT_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace civicdesk {

// Unicode NFKC (ICU): full-width digits, letters and parentheses become ASCII, half-width kana
// become full-width, U+3000 becomes a space. Invalid UTF-8 is replaced by U+FFFD.
std::string NormalizeNfkc(std::string_view utf8);

// `text` without leading and trailing white space: ASCII space, tab, CR, LF and the ideographic
// space U+3000 that Japanese input methods type.
std::string TrimSpaces(std::string_view text);
// The same, as a view into `text` (no copy).
std::string_view TrimSpacesView(std::string_view text);
// TrimSpaces(text).empty(), without making the copy.
bool IsBlank(std::string_view text);

// The lines of `text`, split at LF; a CR before the LF is dropped. An empty text is one empty
// line; a final LF ends the last line without adding another.
std::vector<std::string> SplitLines(std::string_view text);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_TEXT_NORMALIZE_H_
