#ifndef CIVICDESK_CONSULTATION_PERSONAL_DATA_H_
#define CIVICDESK_CONSULTATION_PERSONAL_DATA_H_

#include <string>
#include <string_view>
#include <vector>

namespace civicdesk::consultation {

// Raised when the rules below change, so that stored flags are re-checked (personal_data_flags.h).
inline constexpr int kPersonalDataDetectorVersion = 3;

// What replaces a masked span in every published text.
inline constexpr std::string_view kPersonalDataMask = "（個人情報のため削除）";

// A stretch of an opinion that looks like personal data, to be masked before publication.
struct PersonalDataFinding {
  // "name", "address", "phone", "email", "my_number" (個人番号), "birth_date"
  std::string kind;
  size_t start = 0;  // byte offsets into the text
  size_t end = 0;
  std::string excerpt;
};

// Flags, in text order and without overlaps:
// - person names, from MeCab's IPAdic classes (名詞,固有名詞,人名,姓/名): a surname and given
//   name together (山田太郎, 山田 太郎), a name with an honorific (田中様, 佐藤さん, スミス氏) or a
//   title (田中部長), a name introduced as one's own or a family member's (私は山田です,
//   鈴木と申します, 妻の恵子), and anything after 「氏名：」; a kanji surname with a kana given
//   name MeCab reads as a common noun (中村さくら, 中村サクラ) and a katakana full name it does not
//   know that starts with a common surname's reading (ヤマダタロウ), each ending there (not
//   佐藤こども園, ヤマダデンキ, サービス). Place names IPAdic also lists as surnames (芝浦, 田町,
//   広尾…) are not names on their own; common nouns before さん (店長さん) are not either;
// - addresses down to the house: 丁目 with 番地/番/号, 番地, N番N号, 港区芝5-36-4 style numbers
//   after a place name (not plan references such as 施策2-1-3), postal codes (〒105-8511), and
//   room numbers (301号室). A 丁目 alone (芝浦三丁目の交差点) is a place, not an address;
// - telephone numbers: 10 or 11 digits starting with 0, or +81, half- or full-width, with or
//   without hyphens, spaces or parentheses (03-3578-2111, 090 1234 5678, (03)1234-5678);
// - e-mail addresses, half- or full-width;
// - 12-digit individual numbers (マイナンバー) whose check digit is right, or any 12 digits
//   after マイナンバー/個人番号;
// - birth dates, 和暦 (昭和50年3月1日, S50.3.1, 平成元年) or Western (1975年3月1日, 1975/3/1),
//   when the text says they are a birth (生年月日, 誕生日, …生まれ).
// A finding is a prompt for staff, not a verdict. Without the MeCab dictionary, names are found
// by honorifics and self-introductions only.
std::vector<PersonalDataFinding> FindPersonalData(std::string_view text);

// The same without MeCab: names only by honorific, self-introduction and 「氏名：」 patterns.
std::vector<PersonalDataFinding> FindPersonalDataByPatterns(std::string_view text);

// True when `digits` (12 ASCII digits) is an individual number with a valid check digit
// (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 8条).
bool IsValidIndividualNumber(std::string_view digits);

// The bytes at the end of a flagged name that are its honorific or title (さん, 様, 部長…), or 0:
// what may stay when staff replace only the name itself (山田太郎さん → ○○さん).
size_t NameSuffixBytes(std::string_view name);

// True when `word` is one of those honorifics or titles and nothing more.
bool IsNameSuffix(std::string_view word);

// The text with every finding replaced by kPersonalDataMask.
std::string MaskPersonalData(std::string_view text,
                             const std::vector<PersonalDataFinding>& findings);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PERSONAL_DATA_H_
