#ifndef CIVICDESK_APP_ANALYSIS_COMMANDS_H_
#define CIVICDESK_APP_ANALYSIS_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace civicdesk::app {

// `civicdesk import opinions FILE.csv --db URL [--title TEXT]`: a bulk comment file into a new
// consultation; prints its id last. Progress every 10,000 rows on `err`.
int ImportOpinionsCommand(const std::vector<std::string>& words, std::ostream& out,
                          std::ostream& err);

// `civicdesk analyze ID --db URL [--json] [--save-groups] [--group-threshold X]
// [--near-duplicate-threshold X] [--min-campaign-size N]`: campaigns and similar-opinion
// groups of a consultation's items, with the imported file's ids.
int AnalyzeCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_ANALYSIS_COMMANDS_H_
