#ifndef CIVICDESK_CONSULTATION_PERSONAL_DATA_H_
#define CIVICDESK_CONSULTATION_PERSONAL_DATA_H_

#include <string>
#include <string_view>
#include <vector>

namespace civicdesk::consultation {

// A stretch of an opinion that looks like personal data, to be masked before publication.
struct PersonalDataFinding {
  std::string kind;  // "email", "phone", "address", "name"
  size_t start = 0;  // byte offsets into the text
  size_t end = 0;
  std::string excerpt;
};

// Flags e-mail addresses, telephone numbers (full- or half-width digits), street addresses
// (丁目・番地・番・号, or 1-2-3 style numbers after a place name) and names followed by an
// honorific (様, さん, 氏) or introduced by 「私は…です」. A finding is a prompt for the
// publisher, not a verdict: it errs towards flagging.
std::vector<PersonalDataFinding> FindPersonalData(std::string_view text);

// The text with every finding replaced by 「（個人情報のため削除）」.
std::string MaskPersonalData(std::string_view text,
                             const std::vector<PersonalDataFinding>& findings);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_PERSONAL_DATA_H_
