#ifndef CIVICDESK_APP_ANALYSIS_COMMANDS_H_
#define CIVICDESK_APP_ANALYSIS_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace civicdesk::app {

// `civicdesk analyze ID --db URL [--json] [--save-groups] [--group-threshold X]
// [--near-duplicate-threshold X] [--min-campaign-size N]`: campaigns and similar-opinion
// groups of a consultation's items, with the imported file's ids.
int AnalyzeCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_ANALYSIS_COMMANDS_H_
