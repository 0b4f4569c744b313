#ifndef CIVICDESK_BENCH_DOCKET_H_
#define CIVICDESK_BENCH_DOCKET_H_

#include <cstddef>
#include <string>

namespace civicdesk::bench {

// An FCC-shaped docket of `count` opinions (the campaigns and docket_cli benchmarks): 7 form
// letters make up 38% of it (55% exact copies, 45% copies with small edits, the planted near
// duplicates), 56% repeated short comments (12,000 texts, Zipf-like counts), 6% one-off opinions.
// Written to `path` one opinion a line: id<TAB>text<TAB>truth, truth "T<k>" for an exact copy of
// letter k, "N<k>" for a planted near duplicate of it, "" otherwise. Returns the number of lines.
size_t WriteDocket(const std::string& path, size_t count);

// The docket at `docket_path` as the CSV a user would import (header id,text; every text
// quoted), without the truth column.
bool WriteDocketCsv(const std::string& docket_path, const std::string& csv_path);

// Recall of the planted near duplicates: the share of "N<k>" items in the campaign that holds
// most of letter k's exact copies. `campaigns_path` has one line per item in a campaign:
// id<TAB>campaign.
double Recall(const std::string& docket_path, const std::string& campaigns_path);

}  // namespace civicdesk::bench

#endif  // CIVICDESK_BENCH_DOCKET_H_
