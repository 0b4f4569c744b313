#include "consultation/personal_data.h"

#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "text/tokenizer.h"

namespace civicdesk::consultation {
namespace {

// Building blocks of the patterns (ICU syntax, code points: full-width forms match properly).
#define CD_DIGIT "[0-9０-９]"
#define CD_HYPHEN "[\\-－‐‑‒–—―−ーｰ]"
#define CD_KANJI_NUMBER "[一二三四五六七八九十]"
#define CD_PLACE "[\\p{Han}\\p{Katakana}ーヶケノ]{1,12}"
#define CD_SPACE "[ 　]?"

enum class Rule {
  kEmail,
  kPhone,
  kMyNumber,
  kBirthDate,
  kStreet,        // 丁目・番地・番・号
  kNumbers,       // 港区芝5-36-4
  kShortNumbers,  // 港区港南2-16: needs the municipality
  kPostalCode,
  kRoom,
  kNameHonorific,  // patterns only
  kNameSelf,
  kNameLabel,
};

struct RuleSpec {
  Rule rule;
  const char* kind;
  const char* expression;
  bool with_mecab;  // also used when MeCab finds the names
};

constexpr RuleSpec kRules[] = {
    {Rule::kEmail, "email",
     "[A-Za-z0-9Ａ-Ｚａ-ｚ０-９._%+\\-＿．－]+[@＠][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-－]+(?:[.．][A-Za-"
     "z0-"
     "9Ａ-Ｚａ-ｚ０-９\\-－]+)+",
     true},
    {Rule::kPhone, "phone",
     "(?<![0-9０-９.．])(?:[+＋][ 　]?(?:81|８１)|[(（]?[0０])[0-9０-９()（）\\-－‐‑‒–—―−ーｰ "
     "　]{7,18}" CD_DIGIT,
     true},
    {Rule::kMyNumber, "my_number",
     "(?<![0-9０-９])" CD_DIGIT "{4}[ 　\\-－]?" CD_DIGIT "{4}[ 　\\-－]?" CD_DIGIT
     "{4}(?![0-9０-９])",
     true},
    {Rule::kBirthDate, "birth_date",
     "(?:(?:明治|大正|昭和|平成|令和)" CD_SPACE "(?:元|" CD_DIGIT "{1,2}|" CD_KANJI_NUMBER
     "{1,3})" CD_SPACE "年|(?:1[89]|20|１[８９]|２０)" CD_DIGIT "{2}" CD_SPACE "年)(?:" CD_SPACE
     "(?:" CD_DIGIT "{1,2}|" CD_KANJI_NUMBER "{1,3})" CD_SPACE "月(?:" CD_SPACE "(?:" CD_DIGIT
     "{1,2}|" CD_KANJI_NUMBER "{1,3})" CD_SPACE "日)?)?"
     "|(?<![A-Za-z])[MTSHRＭＴＳＨＲ]" CD_DIGIT "{1,2}[./／・．]" CD_DIGIT
     "{1,2}[./／・．]" CD_DIGIT "{1,2}(?![0-9０-９])"
     "|(?:19|20|１９|２０)" CD_DIGIT "{2}[/／\\-－.．]" CD_DIGIT "{1,2}[/／\\-－.．]" CD_DIGIT
     "{1,2}(?![0-9０-９])",
     true},
    {Rule::kStreet, "address",
     "(" CD_PLACE ")?(?:(?:" CD_DIGIT "{1,3}|" CD_KANJI_NUMBER "{1,3})丁目" CD_SPACE CD_DIGIT
     "{1,4}" CD_SPACE "(?:番地?|" CD_HYPHEN ")(?:" CD_SPACE "の?" CD_SPACE CD_DIGIT "{1,4}" CD_SPACE
     "号?)?(?:" CD_HYPHEN CD_DIGIT "{1,4})?"
     "|" CD_DIGIT "{1,4}" CD_SPACE "番地(?:" CD_SPACE "の?" CD_SPACE CD_DIGIT "{1,4}号?)?"
     "|" CD_DIGIT "{1,4}" CD_SPACE "番" CD_SPACE CD_DIGIT "{1,4}" CD_SPACE "号)",
     true},
    {Rule::kNumbers, "address",
     "(" CD_PLACE ")" CD_SPACE CD_DIGIT "{1,2}" CD_HYPHEN CD_DIGIT "{1,4}" CD_HYPHEN CD_DIGIT
     "{1,4}(?:" CD_HYPHEN CD_DIGIT "{1,4})?(?![0-9０-９])",
     true},
    {Rule::kShortNumbers, "address",
     "(" CD_PLACE ")" CD_SPACE CD_DIGIT "{1,2}" CD_HYPHEN CD_DIGIT "{1,4}(?![0-9０-９\\-－])",
     true},
    {Rule::kPostalCode, "address",
     "〒" CD_SPACE CD_DIGIT "{3}" CD_HYPHEN "?" CD_DIGIT "{4}|郵便番号" CD_SPACE
     "[:：]?" CD_SPACE CD_DIGIT "{3}" CD_HYPHEN CD_DIGIT "{4}",
     true},
    {Rule::kRoom, "address", CD_DIGIT "{2,4}号室", true},
    {Rule::kNameHonorific, "name",
     "\\p{Han}{1,4}[ 　]?\\p{Han}{1,3}(?:様|さん|氏)|\\p{Katakana}{2,8}(?:さん|氏)", false},
    {Rule::kNameSelf, "name",
     "(?<=私は|わたしは|僕は)[\\p{Han}\\p{Katakana}ー・]{2,10}(?=です|と申します|といいます|と言い"
     "ます)",
     true},
    {Rule::kNameLabel, "name",
     "(?<=氏名|お名前|名前)[ 　]*[:：][ 　]*[\\p{Han}\\p{Katakana}\\p{Hiragana}ー]{1,8}(?:[ "
     "　][\\p{"
     "Han}\\p{Katakana}ー]{1,8})?",
     true},
};

// Words before a number that make it a reference into a document, not a street number.
constexpr auto kNotAPlace = std::to_array<std::u16string_view>(
    {u"TEL",  u"FAX",  u"携帯",   u"連絡先", u"ＴＥＬ", u"取組", u"項目", u"目次", u"本文",
     u"素案", u"概要", u"本編",   u"令和",   u"施策",   u"目標", u"章",   u"節",   u"項",
     u"条",   u"図",   u"表",     u"資料",   u"番号",   u"頁",   u"別紙", u"事業", u"計画",
     u"案",   u"版",   u"期",     u"号",     u"第",     u"年",   u"月",   u"日",   u"時",
     u"分",   u"編",   u"巻",     u"回",     u"課題",   u"方針", u"指標", u"参照", u"附則",
     u"別表", u"様式", u"ページ", u"コード", u"電話",   u"バス", u"系統", u"路線"});

// Labels that may precede an address in the matched place name; the address starts after them.
constexpr auto kAddressLabels = std::to_array<std::u16string_view>(
    {u"現住所", u"住所", u"自宅", u"所在地", u"住まい", u"宛先"});

// Endings of the honorific pattern that are ordinary words (多様, 同様, 皆様…), not names.
constexpr auto kNotHonorific =
    std::to_array<std::u16string_view>({u"多様", u"同様", u"皆様", u"仕様", u"模様", u"異様",
                                        u"一様", u"神様", u"奥様", u"客様", u"王様", u"有様"});

// Place names in and around Minato that IPAdic also lists as surnames: alone they are places.
constexpr auto kPlaceSurnames = std::to_array<std::string_view>(
    {"芝",     "芝浦", "田町", "三田",   "西麻布", "赤羽",   "広尾", "有栖川", "古川", "汐留",
     "ヒルズ", "白金", "高輪", "青山",   "赤坂",   "麻布",   "新橋", "浜松",   "品川", "港南",
     "台場",   "愛宕", "海岸", "元麻布", "南麻布", "東麻布", "竹芝", "天王洲", "神谷", "飯倉",
     "渋谷",   "目黒", "大崎", "五反田", "新宿",   "中央",   "大田", "江戸川", "神田", "銀座",
     "築地",   "月島", "晴海", "豊洲",   "有明",   "大井",   "羽田", "六本木"});

// Readings of common surnames, for a full name written in katakana (ヤマダタロウ), which MeCab
// reads as one unknown word: the word is a name when it starts with one of these and the rest
// reads as a given name.
constexpr auto kSurnameReadings = std::to_array<std::string_view>(
    {"サトウ",   "スズキ",   "タカハシ", "タナカ",   "イトウ",   "ワタナベ", "ヤマモト", "ナカムラ",
     "コバヤシ", "カトウ",   "ヨシダ",   "ヤマダ",   "ササキ",   "ヤマグチ", "マツモト", "イノウエ",
     "キムラ",   "ハヤシ",   "サイトウ", "シミズ",   "ヤマザキ", "アベ",     "イケダ",   "ハシモト",
     "ヤマシタ", "イシカワ", "ナカジマ", "マエダ",   "フジタ",   "オガワ",   "ゴトウ",   "オカダ",
     "ハセガワ", "ムラカミ", "コンドウ", "イシイ",   "サカモト", "エンドウ", "アオキ",   "フジイ",
     "ニシムラ", "フクダ",   "オオタ",   "ミウラ",   "フジワラ", "オカモト", "マツダ",   "ナカガワ",
     "ナカノ",   "ハラダ",   "オノ",     "タムラ",   "タケウチ", "カネコ",   "ワダ",     "ナカヤマ",
     "イシダ",   "ウエダ",   "モリタ",   "シバタ",   "サカイ",   "クドウ",   "ヨコヤマ", "ミヤザキ",
     "ミヤモト", "ウチダ",   "タカギ",   "アンドウ", "タニグチ", "オオノ",   "マルヤマ", "イマイ",
     "タカダ",   "フジモト", "タケダ",   "ムラタ",   "ウエノ",   "スギヤマ", "マスダ",   "スガワラ",
     "ヒラノ",   "オオツカ", "コジマ",   "チバ",     "クボ",     "マツイ",   "イワサキ", "サクライ",
     "キノシタ", "ノグチ",   "マツオ",   "キクチ",   "ノムラ",   "アライ",   "ワタベ",   "ヒグチ"});

// Katakana or hiragana words that follow a surname in the names of shops, buildings and
// services (ヤマダデンキ, 中村ハウス), not given names.
constexpr auto kNotGivenNames = std::to_array<std::string_view>(
    {"デンキ",     "ショウテン", "ビル",       "ハウス",     "ストア",     "ショップ",
     "コウギョウ", "サンギョウ", "ケンセツ",   "ヤッキョク", "ビョウイン", "クリニック",
     "ギンコウ",   "ガクエン",   "ホイクエン", "ヨウチエン", "こども",     "ふれあい",
     "まつり",     "ホテル",     "マンション", "ハイツ",     "コーポ"});

constexpr auto kHonorifics =
    std::to_array<std::string_view>({"さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿"});
constexpr auto kTitles = std::to_array<std::string_view>(
    {"先生", "部長", "課長", "係長", "区長", "副区長", "議員", "区議", "委員", "会長", "理事長",
     "校長", "園長", "教頭", "社長", "医師", "弁護士", "所長", "館長", "主任", "院長", "代表"});
constexpr auto kSelfAfter =
    std::to_array<std::string_view>({"です", "と申します", "といいます", "と言います",
                                     "でございます", "と申す", "より", "宛", "あて"});
constexpr auto kSelfBefore = std::to_array<std::string_view>(
    {"私は", "わたしは", "私、", "僕は", "氏名", "名前は", "名前", "担当の", "担当者の", "担当者",
     "申込者", "代表者", "申請者", "連絡者",
     // family: 息子の翔, 妻の恵子
     "長男の", "次男の", "長女の", "次女の", "息子の", "娘の", "妻の", "夫の", "母の", "父の",
     "孫の", "祖母の", "祖父の"});
constexpr auto kBirthBefore =
    std::to_array<std::u16string_view>({u"生年月日", u"誕生日", u"生まれ", u"出生", u"生月日"});

struct CompiledRule {
  const RuleSpec* spec;
  std::unique_ptr<icu::RegexPattern> pattern;
};

const std::vector<CompiledRule>& CompiledRules() {
  static const std::vector<CompiledRule>* rules = [] {
    auto* compiled = new std::vector<CompiledRule>();
    for (const RuleSpec& spec : kRules) {
      UErrorCode error = U_ZERO_ERROR;
      UParseError parse;
      std::unique_ptr<icu::RegexPattern> pattern(icu::RegexPattern::compile(
          icu::UnicodeString::fromUTF8(spec.expression), 0, parse, error));
      if (U_SUCCESS(error)) compiled->push_back({&spec, std::move(pattern)});
    }
    return compiled;
  }();
  return *rules;
}

// A text both as ICU sees it (UTF-16) and as stored (UTF-8), with the offset map between them.
class Text {
 public:
  explicit Text(std::string_view utf8)
      : utf8_(utf8),
        unicode_(icu::UnicodeString::fromUTF8(
            icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())))) {
    offsets_.reserve(static_cast<size_t>(unicode_.length()) + 1);
    size_t byte = 0;
    for (int32_t i = 0; i < unicode_.length(); ++i) {
      offsets_.push_back(byte);
      const UChar unit = unicode_.charAt(i);
      if (U16_IS_LEAD(unit)) {
        offsets_.push_back(byte);  // the trail unit: the same code point
        ++i;
        byte += 4;
      } else {
        byte += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
      }
    }
    offsets_.push_back(std::min(byte, utf8.size()));
  }

  const icu::UnicodeString& unicode() const { return unicode_; }
  int32_t length() const { return unicode_.length(); }
  UChar32 At(int32_t i) const { return i >= 0 && i < length() ? unicode_.char32At(i) : -1; }
  size_t Byte(int32_t utf16) const { return offsets_[static_cast<size_t>(utf16)]; }
  bool IsDigit(int32_t i) const { return i >= 0 && i < length() && u_isdigit(At(i)); }
  // The code units [start, end) as a u16string.
  std::u16string Slice(int32_t start, int32_t end) const {
    start = std::max(0, start);
    end = std::min(length(), end);
    if (end <= start) return {};
    return std::u16string(reinterpret_cast<const char16_t*>(unicode_.getBuffer()) + start,
                          static_cast<size_t>(end - start));
  }

 private:
  std::string_view utf8_;
  icu::UnicodeString unicode_;
  std::vector<size_t> offsets_;
};

bool EndsWith(std::u16string_view text, std::u16string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The ASCII digits among [start, end).
std::string DigitsOf(const Text& text, int32_t start, int32_t end) {
  std::string digits;
  for (int32_t i = start; i < end; ++i) {
    if (text.IsDigit(i)) digits += static_cast<char>('0' + u_charDigitValue(text.At(i)));
  }
  return digits;
}

bool IsPhoneNumber(const Text& text, int32_t start, int32_t end) {
  int separators = 0;
  for (int32_t i = start; i < end; ++i) {
    if (text.IsDigit(i)) {
      separators = 0;
    } else if (++separators > 2) {
      return false;
    }
  }
  std::string digits = DigitsOf(text, start, end);
  const UChar32 first = text.At(start);
  if (first == '+' || first == 0xFF0B) {  // +81 3-1234-5678: 81 and 9 or 10 digits
    return digits.size() >= 11 && digits.size() <= 12 && digits[2] != '0';
  }
  if (digits.empty() || digits[0] != '0') return false;
  if (digits.size() == 10) return digits[1] != '0' || StartsWith(digits, "0120");
  if (digits.size() == 11) {
    for (std::string_view prefix : {"020", "050", "060", "070", "080", "090", "0800"})
      if (StartsWith(digits, prefix)) return true;
  }
  return false;
}

// The longest phone number at the start of the candidate [start, end): a candidate may run on
// into the next number ("03-1234-5678 2件").
std::optional<std::pair<int32_t, int32_t>> PhoneSpan(const Text& text, int32_t start, int32_t end) {
  for (int32_t stop = end; stop > start; --stop) {
    if (!text.IsDigit(stop - 1) || text.IsDigit(stop)) continue;
    if (IsPhoneNumber(text, start, stop)) return std::make_pair(start, stop);
  }
  return std::nullopt;
}

bool NearBefore(const Text& text, int32_t start, int32_t window, const std::u16string_view* words,
                size_t count) {
  std::u16string before = text.Slice(start - window, start);
  // Only within the sentence.
  size_t stop = before.find_last_of(u"。\n");
  if (stop != std::u16string::npos) before = before.substr(stop + 1);
  for (size_t i = 0; i < count; ++i) {
    if (before.find(words[i]) != std::u16string::npos) return true;
  }
  return false;
}

bool IsBirthDate(const Text& text, int32_t start, int32_t end) {
  std::u16string after = text.Slice(end, end + 8);
  while (!after.empty() && (after[0] == u' ' || after[0] == u'　')) after.erase(0, 1);
  for (std::u16string_view lead : {u"に生まれ", u"の生まれ", u"生まれ", u"誕生", u"に誕生"}) {
    if (after.substr(0, lead.size()) == lead) return true;
  }
  // 「1975年生」「S50.3.1生」, but not 「2050年生物多様性」.
  if (!after.empty() && after[0] == u'生') {
    if (after.size() == 1) return true;
    const UChar32 next = after[1];
    if (!u_hasBinaryProperty(next, UCHAR_IDEOGRAPHIC)) return true;
  }
  return NearBefore(text, start, 12, kBirthBefore.data(), kBirthBefore.size());
}

bool IsIndividualNumberSpan(const Text& text, int32_t start, int32_t end) {
  if (IsValidIndividualNumber(DigitsOf(text, start, end))) return true;
  static constexpr std::u16string_view kWords[] = {u"マイナンバー", u"個人番号"};
  return NearBefore(text, start, 20, kWords, 2);
}

// Where the place before a street number really starts (after 住所, 自宅…), or nullopt when the
// "place" is a reference into a document (施策2-1-3, 資料3-2).
std::optional<int32_t> PlaceStart(const Text& text, int32_t place_start, int32_t place_end,
                                  bool needs_municipality) {
  std::u16string place = text.Slice(place_start, place_end);
  for (std::u16string_view word : kNotAPlace) {
    if (EndsWith(place, word)) return std::nullopt;
  }
  int32_t start = place_start;
  for (std::u16string_view label : kAddressLabels) {
    size_t at = place.rfind(label);
    if (at != std::u16string::npos) {
      start = place_start + static_cast<int32_t>(at + label.size());
      place = place.substr(at + label.size());
      break;
    }
  }
  if (place.empty()) return std::nullopt;
  if (needs_municipality) {
    // 港区港南: a municipality after a name and before the town, not 区民… or 地区.
    size_t at = place.find_first_of(u"都道府県市区町村", 1);
    if (at == std::u16string::npos || at + 1 >= place.size() || place.substr(at - 1, 2) == u"地区")
      return std::nullopt;
  }
  return start;
}

void AddFinding(std::string_view utf8, const Text& text, const char* kind, int32_t start,
                int32_t end, std::vector<PersonalDataFinding>& findings) {
  if (end <= start) return;
  PersonalDataFinding finding{kind, text.Byte(start), text.Byte(end), ""};
  finding.excerpt = std::string(utf8.substr(finding.start, finding.end - finding.start));
  findings.push_back(std::move(finding));
}

// What a text contains that some rule needs: most opinions hold no digit and no @, and their
// patterns need not run at all.
struct Needs {
  bool digit = false;
  bool at = false;
  bool year = false;   // 年: a birth date in kanji numerals (昭和二十年)
  bool self = false;   // 私は, わたしは, 僕は
  bool label = false;  // 氏名, 名前

  explicit Needs(const Text& text) {
    const icu::UnicodeString& unicode = text.unicode();
    for (int32_t i = 0; i < unicode.length(); ++i) {
      const UChar c = unicode.charAt(i);
      digit = digit || (c >= u'0' && c <= u'9') || (c >= u'０' && c <= u'９');
      at = at || c == u'@' || c == u'＠';
      year = year || c == u'年';
      self = self || c == u'私' || c == u'僕' || c == u'わ';
      label = label || c == u'名';
    }
  }

  bool Met(Rule rule) const {
    switch (rule) {
      case Rule::kEmail:
        return at;
      case Rule::kBirthDate:
        return digit || year;
      case Rule::kNameHonorific:
        return true;
      case Rule::kNameSelf:
        return self;
      case Rule::kNameLabel:
        return label;
      default:
        return digit;
    }
  }
};

void FindByPatterns(std::string_view utf8, const Text& text, bool with_mecab,
                    std::vector<PersonalDataFinding>& findings) {
  const Needs needs(text);
  for (const CompiledRule& compiled : CompiledRules()) {
    if (with_mecab && !compiled.spec->with_mecab) continue;
    if (!needs.Met(compiled.spec->rule)) continue;
    UErrorCode error = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> matcher(compiled.pattern->matcher(text.unicode(), error));
    if (U_FAILURE(error)) continue;
    while (matcher->find(error) && U_SUCCESS(error)) {
      int32_t start = matcher->start(error);
      int32_t end = matcher->end(error);
      if (U_FAILURE(error) || end <= start) break;
      const Rule rule = compiled.spec->rule;
      if (rule == Rule::kPhone) {
        auto span = PhoneSpan(text, start, end);
        if (!span) continue;
        std::tie(start, end) = *span;
        // A leading parenthesis belongs to the number only when closed inside it:
        // （03）3452-1234, but not （080-1111-2222）.
        const UChar32 first = text.At(start);
        if (first == u'(' || first == u'（') {
          bool closed = false;
          for (int32_t i = start + 1; i < end; ++i)
            closed = closed || text.At(i) == u')' || text.At(i) == u'）';
          if (!closed) ++start;
        }
      } else if (rule == Rule::kMyNumber) {
        if (!IsIndividualNumberSpan(text, start, end)) continue;
      } else if (rule == Rule::kBirthDate) {
        if (!IsBirthDate(text, start, end)) continue;
      } else if (rule == Rule::kStreet || rule == Rule::kNumbers || rule == Rule::kShortNumbers) {
        const int32_t place_start = matcher->start(1, error);
        const int32_t place_end = matcher->end(1, error);
        if (rule != Rule::kStreet) {
          // House numbers do not start with 0 (03-5555-1234 is a telephone number).
          int32_t first = place_end;
          while (first < end && !text.IsDigit(first)) ++first;
          if (first < end && u_charDigitValue(text.At(first)) == 0) continue;
        }
        if (place_start >= 0) {
          std::optional<int32_t> begins =
              PlaceStart(text, place_start, place_end, rule == Rule::kShortNumbers);
          if (!begins) {
            if (rule != Rule::kStreet) continue;
            start = place_end;  // 第3丁目… keep the street part only
          } else {
            start = *begins;
          }
        }
      } else if (rule == Rule::kNameHonorific) {
        std::u16string matched = text.Slice(start, end);
        bool ordinary = false;
        for (std::u16string_view word : kNotHonorific)
          ordinary = ordinary || EndsWith(matched, word);
        if (ordinary) continue;
      } else if (rule == Rule::kNameLabel) {
        while (start < end && (text.At(start) == u' ' || text.At(start) == u'　' ||
                               text.At(start) == u':' || text.At(start) == u'：'))
          ++start;
      }
      AddFinding(utf8, text, compiled.spec->kind, start, end, findings);
    }
  }
}

template <size_t N>
bool OneOf(std::string_view word, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool OnlySpaces(std::string_view gap) {
  while (!gap.empty()) {
    if (gap[0] == ' ' || gap[0] == '\t') {
      gap.remove_prefix(1);
    } else if (StartsWith(gap, "　")) {
      gap.remove_prefix(std::string_view("　").size());
    } else {
      return false;
    }
  }
  return true;
}

bool IsKanjiOrKatakana(std::string_view word) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  if (unicode.isEmpty()) return false;
  for (int32_t i = 0; i < unicode.length(); i = unicode.moveIndex32(i, 1)) {
    const UChar32 c = unicode.char32At(i);
    const UScriptCode script = uscript_getScript(c, nullptr);
    if (script != USCRIPT_HAN && script != USCRIPT_KATAKANA && c != u'ー') return false;
  }
  return true;
}

size_t CodePoints(std::string_view word) {
  size_t count = 0;
  for (unsigned char c : word) count += (c & 0xC0) != 0x80;
  return count;
}

// True when every character of `word` is katakana (hiragana with `hiragana`) that a Japanese
// given name or surname is written with: no long-vowel mark, small vowel or ヴ, which loanwords
// (サービス, ウェブ) have and names rarely do.
bool IsNameKana(std::string_view word, bool hiragana) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  if (unicode.isEmpty()) return false;
  for (int32_t i = 0; i < unicode.length(); i = unicode.moveIndex32(i, 1)) {
    const UChar32 c = unicode.char32At(i);
    const bool katakana = c >= u'ァ' && c <= u'ヶ';
    const bool kana = katakana || (hiragana && c >= u'ぁ' && c <= u'ゖ');
    if (!kana) return false;
    for (char16_t loan : std::u16string_view(u"ァィゥェォヴぁぃぅぇぉゔ"))
      if (c == loan) return false;
  }
  return true;
}

// Names from MeCab's classes (see FindPersonalData).
void FindNames(const text::Tokenizer& tokenizer, std::string_view text,
               std::vector<PersonalDataFinding>& findings) {
  const std::vector<text::Morpheme> m = tokenizer.Morphemes(text);
  auto surface = [&](size_t i) { return text.substr(m[i].start, m[i].end - m[i].start); };
  auto person = [&](size_t i) {
    return i < m.size() && m[i].pos == "名詞" && m[i].detail1 == "固有名詞" &&
           m[i].detail2 == "人名";
  };
  auto adjacent = [&](size_t i, size_t j) {
    return j < m.size() && OnlySpaces(text.substr(m[i].end, m[j].start - m[i].end));
  };
  auto honorific_token = [&](size_t i) {
    return i < m.size() && m[i].pos == "名詞" && m[i].detail1 == "接尾" && m[i].detail2 == "人名" &&
           OneOf(surface(i), kHonorifics);
  };
  // A word MeCab does not know as a common noun: an unlisted name before an honorific.
  auto name_like = [&](size_t i) {
    if (m[i].pos != "名詞" || !IsKanjiOrKatakana(surface(i))) return false;
    if (m[i].detail1 == "固有名詞") return m[i].detail2 != "地域" && m[i].detail2 != "組織";
    return m[i].unknown;
  };
  auto add = [&](size_t start, size_t end) {
    findings.push_back({"name", start, end, std::string(text.substr(start, end - start))});
  };
  auto starts_with_any = [&](size_t at, auto& words) -> std::string_view {
    std::string_view after = text.substr(at);
    for (std::string_view word : words)
      if (StartsWith(after, word)) return word;
    return {};
  };
  // What may follow a name: the end, a space, a particle, an auxiliary, a symbol or an
  // honorific; never another noun (佐藤こども園, 中村ハウス前).
  auto name_ends = [&](size_t last) {
    const size_t next = last + 1;
    if (next >= m.size() || !adjacent(last, next) || m[next].start > m[last].end) return true;
    const std::string& pos = m[next].pos;
    return pos == "助詞" || pos == "助動詞" || pos == "記号" || honorific_token(next);
  };
  // A given name written in kana after a kanji surname (中村さくら, 中村サクラ), which MeCab
  // reads as a common noun: 2 to 4 kana, a word of its own, then the end of the name.
  auto kana_given_name = [&](size_t k) {
    if (k >= m.size() || m[k].pos != "名詞") return false;
    if (m[k].detail1 != "一般" && m[k].detail1 != "固有名詞") return false;
    const std::string_view word = surface(k);
    const size_t length = CodePoints(word);
    return length >= 2 && length <= 4 && IsNameKana(word, true) && !OneOf(word, kNotGivenNames) &&
           name_ends(k);
  };
  // A full name in katakana (ヤマダタロウ), one word MeCab does not know: a common surname's
  // reading, then 2 to 5 kana of a given name, then the end of the name.
  auto katakana_full_name = [&](size_t k) {
    if (!m[k].unknown || m[k].pos != "名詞") return false;
    const std::string_view word = surface(k);
    if (!IsNameKana(word, false) || CodePoints(word) > 10) return false;
    if (k > 0 && adjacent(k - 1, k) && m[k - 1].pos == "名詞" && IsKanjiOrKatakana(surface(k - 1)))
      return false;  // the end of a longer word
    for (std::string_view surname : kSurnameReadings) {
      if (!StartsWith(word, surname)) continue;
      const std::string_view given = word.substr(surname.size());
      const size_t length = CodePoints(given);
      // モリモリ, タナカタナカ: a word said twice is no name.
      if (length >= 2 && length <= 5 && given != surname && !OneOf(given, kNotGivenNames))
        return name_ends(k);
    }
    return false;
  };
  auto ends_with_any = [&](size_t at, auto& words) {
    std::string_view before = text.substr(0, at);
    while (!before.empty() && (before.back() == ' ' || before.back() == ':'))
      before.remove_suffix(1);
    for (std::string_view trim : {"　", "："}) {
      while (EndsWith(before, trim)) before.remove_suffix(trim.size());
    }
    for (std::string_view word : words)
      if (EndsWith(before, word)) return true;
    return false;
  };

  for (size_t i = 0; i < m.size();) {
    if (person(i)) {
      size_t j = i;
      bool given = m[i].detail3 == "名";
      for (;;) {
        if (person(j + 1) && adjacent(j, j + 1)) {
          ++j;
        } else if (j + 2 < m.size() && (surface(j + 1) == "・" || surface(j + 1) == "＝") &&
                   person(j + 2)) {
          j += 2;
        } else {
          break;
        }
        given = given || m[j].detail3 == "名";
      }
      const bool run = j > i;
      // 芝浦, 田町, 有栖川宮: places that IPAdic also lists as names.
      const bool place = OneOf(surface(i), kPlaceSurnames);
      size_t end = m[j].end;
      bool named = run && !place && (given || m[i].detail3 == "姓");
      if (std::string_view title = starts_with_any(end, kHonorifics); !title.empty()) {
        named = true;
        end += title.size();
      } else if (!place && !starts_with_any(end, kTitles).empty()) {
        named = true;
      } else if (!named && !place && !run && m[i].detail3 == "姓" && CodePoints(surface(i)) > 1 &&
                 j + 1 < m.size() && adjacent(j, j + 1) && kana_given_name(j + 1)) {
        // 中村さくら: the surname and its kana given name, with an honorific after it if any.
        ++j;
        named = true;
        end = m[j].end;
        if (std::string_view title = starts_with_any(end, kHonorifics); !title.empty())
          end += title.size();
      } else if (!named && !place) {
        const bool surname = m[i].detail3 == "姓";
        const bool before = ends_with_any(m[i].start, kSelfBefore);
        const bool after = !starts_with_any(end, kSelfAfter).empty();
        // A one-character surname (森, 林, 原) is a common word too: it needs the words before.
        named = before || (after && surname && CodePoints(surface(i)) > 1);
      }
      if (named) add(m[i].start, end);
      i = j + 1;
      continue;
    }
    if (katakana_full_name(i)) {
      size_t end = m[i].end;
      if (std::string_view title = starts_with_any(end, kHonorifics); !title.empty())
        end += title.size();
      add(m[i].start, end);
      ++i;
      continue;
    }
    if (honorific_token(i) && i > 0 && adjacent(i - 1, i) && name_like(i - 1)) {
      size_t k = i - 1;
      while (k > 0 && i - k < 3 && adjacent(k - 1, k) && name_like(k - 1)) --k;
      add(m[k].start, m[i].end);
    }
    ++i;
  }
}

// Keeps the earliest, longest finding where several overlap.
std::vector<PersonalDataFinding> WithoutOverlaps(std::vector<PersonalDataFinding> findings) {
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

}  // namespace

bool IsValidIndividualNumber(std::string_view digits) {
  if (digits.size() != 12) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  // P_n is the n-th digit from the right, excluding the check digit; Q_n = n + 1 for n <= 6,
  // n - 5 for n >= 7. The check digit is 11 - (sum mod 11), or 0 when the remainder is 0 or 1.
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    const int p = digits[11 - n] - '0';
    const int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const int remainder = sum % 11;
  const int check = remainder <= 1 ? 0 : 11 - remainder;
  return digits[11] - '0' == check;
}

std::vector<PersonalDataFinding> FindPersonalDataByPatterns(std::string_view text) {
  Text unicode(text);
  std::vector<PersonalDataFinding> findings;
  FindByPatterns(text, unicode, false, findings);
  return WithoutOverlaps(std::move(findings));
}

std::vector<PersonalDataFinding> FindPersonalData(std::string_view text) {
  Result<text::Tokenizer*> tokenizer = text::Tokenizer::Shared();
  if (!tokenizer.ok()) return FindPersonalDataByPatterns(text);
  Text unicode(text);
  std::vector<PersonalDataFinding> findings;
  FindByPatterns(text, unicode, true, findings);
  FindNames(**tokenizer, text, findings);
  return WithoutOverlaps(std::move(findings));
}

size_t NameSuffixBytes(std::string_view name) {
  size_t longest = 0;
  auto consider = [&](std::string_view suffix) {
    if (suffix.size() < name.size() && name.ends_with(suffix))
      longest = std::max(longest, suffix.size());
  };
  for (std::string_view suffix : kHonorifics) consider(suffix);
  for (std::string_view suffix : kTitles) consider(suffix);
  return longest;
}

bool IsNameSuffix(std::string_view word) {
  return OneOf(word, kHonorifics) || OneOf(word, kTitles);
}

std::string MaskPersonalData(std::string_view text,
                             const std::vector<PersonalDataFinding>& findings) {
  std::string masked;
  size_t at = 0;
  for (const PersonalDataFinding& finding : findings) {
    if (finding.start < at || finding.end > text.size()) continue;
    masked += text.substr(at, finding.start - at);
    masked += kPersonalDataMask;
    at = finding.end;
  }
  masked += text.substr(at);
  return masked;
}

}  // namespace civicdesk::consultation
