#ifndef CIVICDESK_APP_FACILITIES_COMMANDS_H_
#define CIVICDESK_APP_FACILITIES_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace civicdesk::app {

// `civicdesk facilities project|level|import|export ...` (see the usage text): the future-cost
// projection and levelling of a registry file (--input) or of the stored registry (--db), and the
// registry's import and export.
int FacilitiesCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_FACILITIES_COMMANDS_H_
