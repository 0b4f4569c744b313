#ifndef CIVICDESK_APP_PARTNERS_COMMANDS_H_
#define CIVICDESK_APP_PARTNERS_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace civicdesk::app {

// `civicdesk partners import FILE.csv --db URL`: partner municipalities (columns code,
// prefecture, name[, agreement_type, agreement_title, signed_on]); every row is checked — the
// 全国地方公共団体コード's check digit included — before any is written; prints the count.
int PartnersCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_PARTNERS_COMMANDS_H_
