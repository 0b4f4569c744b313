#ifndef CIVICDESK_TEXT_ANALYSIS_H_
#define CIVICDESK_TEXT_ANALYSIS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk::text {

// One opinion to analyse. `response` is the ward's answer when there is one: items that share
// an answer were judged the same by the ward, and are grouped together.
// Views: the caller keeps the texts alive while Analyze runs (a million opinions are not
// copied).
struct AnalysisInput {
  std::string_view text;
  std::string_view response;
};

struct AnalysisOptions {
  // Estimated Jaccard similarity of character 4-gram shingles at or above which two texts are
  // the same form letter with small edits.
  double near_duplicate_threshold = 0.6;
  // A campaign has at least this many items (exact and near duplicates together).
  size_t min_campaign_size = 3;
  // Opinions say the same thing ("同種の意見") when their group's mean cosine similarity of
  // content-word TF-IDF vectors, over all its pairs, is at least this (average linkage). Lower
  // groups more. 0.1 scored best over the real consultations of tests/real/consultations/.
  double group_threshold = 0.1;
  // Worker threads for shingling and tokenising; 0 means the machine's cores.
  unsigned threads = 0;
  // Called now and then with a stage name and a fraction done (for progress on stderr).
  std::function<void(const char* stage, double fraction)> progress;
};

// A form letter: its items (indices into the input) and its template (the most frequent exact
// text among them).
struct Campaign {
  std::vector<size_t> items;
  size_t template_item = 0;
  size_t exact_copies = 0;  // items identical (after folding) to the template
};

// Items that say the same thing. `terms` are the content words most of them share; `reason` is
// "terms", "response" (a shared answer), "campaign" (one form letter) or "duplicate" (copies
// too few for a campaign).
struct Group {
  std::vector<size_t> items;
  std::vector<std::string> terms;
  std::string reason;
};

struct Analysis {
  std::vector<Campaign> campaigns;  // largest first
  std::vector<Group> groups;        // largest first; every item in at most one group
  size_t unique_texts = 0;          // distinct texts after folding
};

// Exact duplicates (folded text without spaces and punctuation), near duplicates (one-
// permutation MinHash of character 4-grams, 16 bands × 4 rows of LSH, verified on the
// signature), campaigns as connected components, then similar-opinion groups over one
// representative per campaign and per unique text: a shared answer first, then average linkage
// of content-word TF-IDF vectors. Unavailable when MeCab cannot load.
Result<Analysis> Analyze(const std::vector<AnalysisInput>& inputs, const AnalysisOptions& options);

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_ANALYSIS_H_
