#include "text/tokenizer.h"

#include <mecab.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <atomic>
#include <mutex>
#include <set>
#include <unordered_map>

#include "text/normalize.h"

namespace civicdesk::text {
namespace {

std::atomic<uint64_t> next_tokenizer_id{1};

// The n-th comma-separated field of an IPAdic feature string
// (品詞,細分類1,細分類2,細分類3,活用型,活用形,原形,読み,発音).
std::string_view FeatureField(std::string_view feature, int n) {
  for (int i = 0; i < n; ++i) {
    size_t comma = feature.find(',');
    if (comma == std::string_view::npos) return {};
    feature.remove_prefix(comma + 1);
  }
  return feature.substr(0, feature.find(','));
}

// True when `text` holds a letter of some script (kanji, kana, Latin, ...), not only digits,
// symbols or punctuation.
bool HasLetter(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t offset = 0; offset < length;) {
    UChar32 c;
    U8_NEXT(bytes, offset, length, c);
    if (c >= 0 && u_isalpha(c)) return true;
  }
  return false;
}

bool IsContentWord(std::string_view pos, std::string_view detail, std::string_view base) {
  if (!HasLetter(base)) return false;
  if (pos == "名詞") {
    return detail != "代名詞" && detail != "数" && detail != "接尾" && detail != "非自立" &&
           detail != "特殊";
  }
  if (pos == "動詞") {
    return detail == "自立" && base != "する" && base != "いる" && base != "ある" &&
           base != "なる" && base != "れる" && base != "られる";
  }
  if (pos == "形容詞") return detail == "自立" && base != "ない";
  return false;
}

}  // namespace

struct Tokenizer::ThreadState {
  std::unique_ptr<MeCab::Tagger> tagger;
  std::unique_ptr<MeCab::Lattice> lattice;
};

Result<Tokenizer*> Tokenizer::Shared() {
  static std::once_flag once;
  static Tokenizer* shared = nullptr;
  static std::string failure;  // MeCab's reason, when the dictionary could not be loaded
  std::call_once(once, [] {
    const std::string arguments = std::string("-d ") + kIpadicUtf8Directory;
    std::shared_ptr<MeCab::Model> model(MeCab::createModel(arguments.c_str()));
    if (!model) {
      failure = MeCab::getLastError();
      return;
    }
    shared = new Tokenizer(std::move(model));  // lives for the process
  });
  if (shared == nullptr) {
    return Status::Unavailable("text.mecab_dictionary_missing",
                               {{"directory", kIpadicUtf8Directory}, {"reason", failure}});
  }
  return shared;
}

Tokenizer::Tokenizer(std::shared_ptr<MeCab::Model> model)
    : model_(std::move(model)), id_(next_tokenizer_id++) {}

Tokenizer::~Tokenizer() = default;

Tokenizer::ThreadState& Tokenizer::State() const {
  thread_local std::unordered_map<uint64_t, ThreadState> states;
  ThreadState& state = states[id_];
  if (!state.tagger) {
    state.tagger.reset(model_->createTagger());
    state.lattice.reset(model_->createLattice());
  }
  return state;
}

std::vector<Token> Tokenizer::Tokenize(std::string_view text) const {
  std::vector<Token> tokens;
  ThreadState& state = State();
  state.lattice->set_sentence(text.data(), text.size());
  if (!state.tagger->parse(state.lattice.get())) return tokens;
  for (const MeCab::Node* node = state.lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    Token token;
    token.surface = std::string_view(node->surface, node->length);
    std::string_view feature = node->feature;
    std::string_view pos = FeatureField(feature, 0);
    std::string_view detail = FeatureField(feature, 1);
    std::string_view base = FeatureField(feature, 6);
    token.pos = std::string(pos);
    token.base = std::string(base.empty() || base == "*" ? token.surface : base);
    token.content = IsContentWord(pos, detail, token.base);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::vector<Morpheme> Tokenizer::Morphemes(std::string_view text) const {
  std::vector<Morpheme> morphemes;
  ThreadState& state = State();
  state.lattice->set_sentence(text.data(), text.size());
  if (!state.tagger->parse(state.lattice.get())) return morphemes;
  for (const MeCab::Node* node = state.lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    Morpheme morpheme;
    morpheme.start = static_cast<size_t>(node->surface - text.data());
    morpheme.end = morpheme.start + node->length;
    std::string_view feature = node->feature;
    morpheme.pos = std::string(FeatureField(feature, 0));
    morpheme.detail1 = std::string(FeatureField(feature, 1));
    morpheme.detail2 = std::string(FeatureField(feature, 2));
    morpheme.detail3 = std::string(FeatureField(feature, 3));
    morpheme.unknown = node->stat == MECAB_UNK_NODE;
    morphemes.push_back(std::move(morpheme));
  }
  return morphemes;
}

void Tokenizer::Surfaces(std::string_view text, std::vector<std::string_view>& out) const {
  out.clear();
  ThreadState& state = State();
  state.lattice->set_sentence(text.data(), text.size());
  if (!state.tagger->parse(state.lattice.get())) return;
  for (const MeCab::Node* node = state.lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    out.emplace_back(node->surface, node->length);
  }
}

std::vector<std::string> Tokenizer::ContentWords(std::string_view text) const {
  // As Tokenize, without building a Token for every particle and symbol.
  std::vector<std::string> words;
  ThreadState& state = State();
  state.lattice->set_sentence(text.data(), text.size());
  if (!state.tagger->parse(state.lattice.get())) return words;
  for (const MeCab::Node* node = state.lattice->bos_node(); node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    std::string_view feature = node->feature;
    std::string_view pos = FeatureField(feature, 0);
    if (pos != "名詞" && pos != "動詞" && pos != "形容詞") continue;
    std::string_view base = FeatureField(feature, 6);
    if (base.empty() || base == "*") base = std::string_view(node->surface, node->length);
    if (IsContentWord(pos, FeatureField(feature, 1), base)) words.emplace_back(base);
  }
  return words;
}

std::vector<std::string_view> CharacterNgrams(std::string_view text, size_t n) {
  std::vector<std::string_view> grams;
  if (text.empty() || n == 0) return grams;
  std::vector<size_t> boundaries = CharacterBoundaries(text);
  const size_t characters = boundaries.size() - 1;
  if (characters <= n) {
    grams.push_back(text);
    return grams;
  }
  grams.reserve(characters - n + 1);
  for (size_t i = 0; i + n <= characters; ++i)
    grams.push_back(text.substr(boundaries[i], boundaries[i + n] - boundaries[i]));
  return grams;
}

double CharacterBigramDice(std::string_view a, std::string_view b) {
  std::vector<std::string_view> left = CharacterNgrams(a, 2);
  std::vector<std::string_view> right = CharacterNgrams(b, 2);
  if (left.empty() && right.empty()) return 1.0;
  std::multiset<std::string_view> pool(right.begin(), right.end());
  size_t shared = 0;
  for (std::string_view gram : left) {
    auto found = pool.find(gram);
    if (found != pool.end()) {
      ++shared;
      pool.erase(found);
    }
  }
  return 2.0 * static_cast<double>(shared) / static_cast<double>(left.size() + right.size());
}

}  // namespace civicdesk::text
