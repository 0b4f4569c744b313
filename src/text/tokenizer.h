#ifndef CIVICDESK_TEXT_TOKENIZER_H_
#define CIVICDESK_TEXT_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace MeCab {
class Model;
}

namespace civicdesk::text {

// One morpheme as MeCab (IPAdic) sees it.
struct Token {
  std::string_view surface;  // a view into the tokenised text
  std::string base;          // dictionary form (見る for 見た); the surface for unknown words
  std::string pos;           // 品詞: 名詞, 動詞, 形容詞, 助詞, 記号, ...
  // A word that carries meaning: nouns (not pronouns, numbers or suffixes), verbs and
  // adjectives other than the most common auxiliaries. Used for groups and classification.
  bool content = false;
};

// One morpheme with its place in the text and IPAdic's part of speech, for callers that need
// the finer classes (固有名詞,人名,姓 for a surname).
struct Morpheme {
  size_t start = 0;  // byte offsets into the tokenised text
  size_t end = 0;
  std::string pos;                        // 品詞
  std::string detail1, detail2, detail3;  // 細分類1-3, "*" when unset
  bool unknown = false;                   // not in the dictionary (MeCab guessed it)
};

// Japanese morphological analysis with libmecab and mecab-ipadic-utf8, in process. The model
// (the dictionary) is loaded once and shared; each thread gets its own tagger and lattice, as
// MeCab requires, so Tokenize may be called from any number of threads at once.
class Tokenizer {
 public:
  // The process-wide tokenizer. Unavailable, with the dictionary path in the message, when
  // mecab-ipadic-utf8 is not installed.
  static Result<Tokenizer*> Shared();

  ~Tokenizer();

  // The morphemes of `text` (best path), in order. Views point into `text`.
  std::vector<Token> Tokenize(std::string_view text) const;

  // The morphemes of `text` (best path) with their offsets and part-of-speech classes.
  std::vector<Morpheme> Morphemes(std::string_view text) const;

  // The surfaces only, as `mecab -Owakati` prints them.
  void Surfaces(std::string_view text, std::vector<std::string_view>& out) const;

  // Content words' dictionary forms (see Token::content), in order, repeated as they occur.
  std::vector<std::string> ContentWords(std::string_view text) const;

 private:
  explicit Tokenizer(std::shared_ptr<MeCab::Model> model);
  struct ThreadState;
  ThreadState& State() const;

  std::shared_ptr<MeCab::Model> model_;
  uint64_t id_;
};

// The dictionary the tokenizer loads.
inline constexpr char kIpadicUtf8Directory[] = "/var/lib/mecab/dic/ipadic-utf8";

// Character n-grams of valid UTF-8 (n code points each, sliding by one); a text shorter than n
// yields itself when non-empty.
std::vector<std::string_view> CharacterNgrams(std::string_view text, size_t n);

// How much two short texts share: the Dice coefficient of their character bigrams (as
// multisets), 0–1; 1 for two empty texts. For titles and short opinions, not for search.
double CharacterBigramDice(std::string_view a, std::string_view b);

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_TOKENIZER_H_
