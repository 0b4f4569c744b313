#ifndef CIVICDESK_TEXT_NORMALIZE_H_
#define CIVICDESK_TEXT_NORMALIZE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk::text {

// The largest text the engine accepts (1 MiB): a whole docket entry fits, a pasted file does
// not.
inline constexpr size_t kMaxTextBytes = 1 << 20;

// The form every comparison in the engine works on (search, duplicates, groups,
// classification). From valid UTF-8:
// - NFKC with case folding (ICU): full-width ASCII and digits become half-width, half-width
//   kana become full-width, ① becomes 1, Latin letters become lower case;
// - the dashes and wave dashes a Japanese IME types (−, ‐, –, —, 〜) fold to '-' and '~';
// - control and format characters (C0/C1 controls, zero-width spaces, BOM, emoji variation
//   selectors) are dropped;
// - every run of white space (including U+3000 and line breaks) becomes one ASCII space, and
//   the ends are trimmed.
// Emoji and all other characters are kept as they are.
std::string FoldForMatching(std::string_view valid_utf8);

// FoldForMatching for input from outside: InvalidArgument naming `field` for invalid UTF-8, a
// text over kMaxTextBytes, or (when `allow_empty` is false) a text that folds to nothing.
Result<std::string> NormalizeInput(std::string_view text, std::string_view field,
                                   bool allow_empty = false);

// NormalizeInput's checks without the folded text, for callers that store the text as given
// (a bulk import checks a million): the same Status for the same text. A text holding a
// character that folding always keeps (ASCII letters, digits and punctuation; hiragana,
// katakana, common kanji) cannot fold to nothing and is not folded at all.
Status CheckInput(std::string_view text, std::string_view field);

// The code points of valid UTF-8, as offsets: boundaries[i] is where the i-th character starts,
// and boundaries.back() == text.size().
std::vector<size_t> CharacterBoundaries(std::string_view valid_utf8);

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_NORMALIZE_H_
