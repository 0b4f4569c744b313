#include "text/analysis.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "text/normalize.h"
#include "text/tokenizer.h"

namespace civicdesk::text {
namespace {

constexpr int kBins = 64;
constexpr int kBands = 16;
constexpr int kRowsPerBand = kBins / kBands;
constexpr size_t kShingleCharacters = 4;
constexpr size_t kTopTermsForCandidates = 4;
constexpr size_t kMaxCandidatesPerText = 100;
// Up to this many distinct texts, every pair that shares a term is compared (a consultation of
// a few thousand opinions); beyond, a text's candidates share one of its strongest terms.
constexpr size_t kAllPairsLimit = 5000;
// Pairs less similar than this share of the group threshold count as 0 in a group's mean.
constexpr double kEdgeFloorShare = 0.5;
// Two texts are similar only when they share at least this many content words.
constexpr size_t kMinSharedTerms = 2;
// Beyond kAllPairsLimit, each text keeps its most similar neighbours only (memory stays flat).
constexpr size_t kNeighboursKept = 20;
constexpr size_t kTermsShown = 5;
// An answer cut short still identifies its full form when at least this long (about 30
// Japanese characters).
constexpr size_t kMinTruncatedAnswerBytes = 90;

using Signature = std::array<uint32_t, kBins>;

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t HashBytes(std::string_view bytes, uint64_t seed = 0) {
  uint64_t hash = 0xCBF29CE484222325ULL ^ seed;
  for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001B3ULL;
  return Mix(hash);
}

// The folded text without white space and punctuation: what makes two letters "the same text".
std::string DuplicateKey(std::string_view text) {
  std::string folded = FoldForMatching(text);
  std::string key;
  key.reserve(folded.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(folded.data());
  const auto length = static_cast<int32_t>(folded.size());
  for (int32_t offset = 0; offset < length;) {
    const int32_t start = offset;
    UChar32 c;
    U8_NEXT(bytes, offset, length, c);
    if (c < 0 || u_isUWhiteSpace(c) || u_ispunct(c)) continue;
    key.append(folded, static_cast<size_t>(start), static_cast<size_t>(offset - start));
  }
  return key;
}

// One-permutation MinHash with rotation densification (Shrivastava 2017): each shingle is
// hashed once, its top bits pick a bin, and each bin keeps its minimum.
Signature MinHashOf(std::string_view key) {
  Signature signature;
  signature.fill(std::numeric_limits<uint32_t>::max());
  std::array<bool, kBins> filled{};
  for (std::string_view shingle : CharacterNgrams(key, kShingleCharacters)) {
    const uint64_t hash = HashBytes(shingle);
    const int bin = static_cast<int>(hash >> 58);
    const auto value = static_cast<uint32_t>(hash);
    if (value <= signature[bin]) signature[bin] = value;
    filled[bin] = true;
  }
  if (std::none_of(filled.begin(), filled.end(), [](bool f) { return f; })) return signature;
  for (int bin = 0; bin < kBins; ++bin) {
    if (filled[bin]) continue;
    int source = bin;
    int distance = 0;
    do {
      source = (source + 1) % kBins;
      ++distance;
    } while (!filled[source]);
    signature[bin] = signature[source] + static_cast<uint32_t>(distance) * 0x9E3779B9U;
  }
  return signature;
}

double EstimatedJaccard(const Signature& a, const Signature& b) {
  int equal = 0;
  for (int i = 0; i < kBins; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / kBins;
}

class UnionFind {
 public:
  explicit UnionFind(size_t size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  bool Unite(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return false;
    if (b < a) std::swap(a, b);
    parent_[b] = a;  // the smaller index stays the root: output is deterministic
    return true;
  }

 private:
  std::vector<size_t> parent_;
};

unsigned ThreadCount(const AnalysisOptions& options, size_t work) {
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1U, threads);
  return static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, work / 256)));
}

// Runs body(i) for i in [0, count) on `threads` threads, in contiguous slices.
template <typename Body>
void ParallelFor(size_t count, unsigned threads, const Body& body) {
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::vector<std::thread> workers;
  const size_t slice = (count + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const size_t begin = t * slice;
    const size_t end = std::min(count, begin + slice);
    if (begin >= end) break;
    workers.emplace_back([&body, begin, end] {
      for (size_t i = begin; i < end; ++i) body(i);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

// Sorts on up to two threads: each half alone, then one merge.
template <typename T>
void ParallelSort(std::vector<T>& values, unsigned threads) {
  if (threads <= 1 || values.size() < 4096) {
    std::sort(values.begin(), values.end());
    return;
  }
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::thread first_half([&] { std::sort(values.begin(), middle); });
  std::sort(middle, values.end());
  first_half.join();
  std::inplace_merge(values.begin(), middle, values.end());
}

void Report(const AnalysisOptions& options, const char* stage, double fraction) {
  if (options.progress) options.progress(stage, fraction);
}

// A sparse, L2-normalised TF-IDF vector sorted by term id.
using SparseVector = std::vector<std::pair<uint32_t, float>>;

double Cosine(const SparseVector& a, const SparseVector& b) {
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      dot += static_cast<double>(a[i].second) * b[j].second;
      ++i;
      ++j;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return dot;
}

// How many terms two vectors share.
size_t SharedTerms(const SparseVector& a, const SparseVector& b) {
  size_t shared = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      ++shared;
      ++i;
      ++j;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return shared;
}

// Two distinct texts (or starting clusters) and the cosine of their content words.
struct Edge {
  uint32_t a;
  uint32_t b;
  float similarity;
};

// Average linkage (UPGMA) on a sparse similarity graph: starting from `sizes.size()` clusters
// (of `sizes[c]` texts each), repeatedly joins the two whose mean similarity over all their
// pairs of texts is highest (a pair without an edge counts 0), while that mean is at least
// `threshold`. A group is measured as a whole, so a chain of neighbours does not join texts
// that share nothing (single linkage did). Returns the final cluster of each starting one;
// `joined[c]` is set for the final clusters made by a join.
std::vector<uint32_t> AverageLinkage(std::vector<uint32_t> sizes, const std::vector<Edge>& edges,
                                     double threshold, std::vector<bool>& joined) {
  const size_t clusters = sizes.size();
  std::vector<std::unordered_map<uint32_t, double>> links(clusters);  // summed similarities
  for (const Edge& edge : edges) {
    if (edge.a == edge.b) continue;
    links[edge.a][edge.b] += edge.similarity;
    links[edge.b][edge.a] += edge.similarity;
  }
  struct Candidate {
    double mean;
    uint32_t a, b, version_a, version_b;
    bool operator<(const Candidate& other) const {
      if (mean != other.mean) return mean < other.mean;
      return std::tie(other.a, other.b) < std::tie(a, b);  // ties: the lower ids first
    }
  };
  std::vector<uint32_t> version(clusters, 0);
  std::vector<uint32_t> merged_into(clusters);
  std::iota(merged_into.begin(), merged_into.end(), 0);
  joined.assign(clusters, false);
  std::priority_queue<Candidate> queue;
  for (uint32_t a = 0; a < clusters; ++a) {
    for (const auto& [b, sum] : links[a]) {
      if (b <= a) continue;
      const double mean = sum / (static_cast<double>(sizes[a]) * sizes[b]);
      if (mean >= threshold) queue.push({mean, a, b, 0, 0});
    }
  }
  while (!queue.empty()) {
    const Candidate best = queue.top();
    queue.pop();
    if (merged_into[best.a] != best.a || merged_into[best.b] != best.b ||
        version[best.a] != best.version_a || version[best.b] != best.version_b)
      continue;  // one side has changed since
    // The cluster with more neighbours stays; the other's links move to it.
    uint32_t keep = best.a, gone = best.b;
    if (links[keep].size() < links[gone].size()) std::swap(keep, gone);
    for (const auto& [other, sum] : links[gone]) {
      if (other == keep) continue;
      links[keep][other] += sum;
      links[other][keep] += sum;
      links[other].erase(gone);
    }
    links[keep].erase(gone);
    std::unordered_map<uint32_t, double>().swap(links[gone]);
    sizes[keep] += sizes[gone];
    merged_into[gone] = keep;
    joined[keep] = true;
    ++version[keep];
    for (const auto& [other, sum] : links[keep]) {
      const double mean = sum / (static_cast<double>(sizes[keep]) * sizes[other]);
      if (mean < threshold) continue;
      queue.push({mean, std::min(keep, other), std::max(keep, other),
                  version[std::min(keep, other)], version[std::max(keep, other)]});
    }
  }
  for (uint32_t c = 0; c < clusters; ++c) {
    uint32_t root = c;
    while (merged_into[root] != root) root = merged_into[root];
    merged_into[c] = root;
  }
  return merged_into;
}

}  // namespace

Result<Analysis> Analyze(const std::vector<AnalysisInput>& inputs, const AnalysisOptions& options) {
  Result<Tokenizer*> tokenizer = Tokenizer::Shared();
  if (!tokenizer.ok()) return tokenizer.status();
  Analysis analysis;
  const size_t n = inputs.size();
  if (n == 0) return analysis;

  // 1. Exact duplicates. Byte-identical texts are grouped first (copies of a letter mostly are),
  // so folding runs once per distinct text, not once per item.
  Report(options, "exact", 0);
  // Sorting (hash, index) pairs instead of a hash map: no allocation per item, and the first
  // item of each run of equal texts is its earliest. The hash only orders; equality is checked.
  const unsigned exact_threads = ThreadCount(options, n);
  std::vector<std::pair<uint64_t, uint32_t>> by_hash(n);
  ParallelFor(n, exact_threads, [&](size_t i) {
    by_hash[i] = {std::hash<std::string_view>{}(inputs[i].text), static_cast<uint32_t>(i)};
  });
  ParallelSort(by_hash, exact_threads);
  // same_as[k]: the first sorted position of k's run whose text equals k's (k itself when k
  // starts a distinct text). Almost every run is one text, so this is one memcmp per item.
  std::vector<uint32_t> run_start(n);
  for (size_t k = 0; k < n; ++k) {
    run_start[k] = k > 0 && by_hash[k].first == by_hash[k - 1].first ? run_start[k - 1]
                                                                     : static_cast<uint32_t>(k);
  }
  std::vector<uint32_t> same_as(n);
  ParallelFor(n, exact_threads, [&](size_t k) {
    const std::string_view text = inputs[by_hash[k].second].text;
    uint32_t position = run_start[k];
    while (position < k && inputs[by_hash[position].second].text != text) ++position;
    same_as[k] = position;
  });
  std::vector<uint32_t>().swap(run_start);
  std::vector<uint32_t> raw_of_item(n);
  std::vector<size_t> first_item_of_raw;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t item = by_hash[k].second;
    if (same_as[k] == k) {
      same_as[k] = static_cast<uint32_t>(first_item_of_raw.size());  // now: the raw text's id
      first_item_of_raw.push_back(item);
    } else {
      same_as[k] = same_as[same_as[k]];
    }
    raw_of_item[item] = same_as[k];
  }
  std::vector<uint32_t>().swap(same_as);
  std::vector<std::pair<uint64_t, uint32_t>>().swap(by_hash);
  // Number the distinct texts in order of first appearance, so results do not depend on hashes.
  {
    std::vector<uint32_t> order(first_item_of_raw.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return first_item_of_raw[a] < first_item_of_raw[b]; });
    std::vector<uint32_t> renumbered(order.size());
    std::vector<size_t> first_sorted(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
      renumbered[order[k]] = static_cast<uint32_t>(k);
      first_sorted[k] = first_item_of_raw[order[k]];
    }
    for (uint32_t& raw : raw_of_item) raw = renumbered[raw];
    first_item_of_raw.swap(first_sorted);
  }
  const size_t raws = first_item_of_raw.size();
  std::vector<std::string> keys(raws);  // by distinct raw text
  ParallelFor(raws, ThreadCount(options, raws),
              [&](size_t r) { keys[r] = DuplicateKey(inputs[first_item_of_raw[r]].text); });
  std::unordered_map<std::string_view, uint32_t> unique_of_key;
  unique_of_key.reserve(raws);
  std::vector<uint32_t> unique_of_raw(raws);
  std::vector<size_t> first_item_of_unique;
  std::vector<size_t> key_of_unique;  // index into keys
  for (size_t r = 0; r < raws; ++r) {
    auto [found, inserted] =
        unique_of_key.try_emplace(keys[r], static_cast<uint32_t>(first_item_of_unique.size()));
    if (inserted) {
      first_item_of_unique.push_back(first_item_of_raw[r]);
      key_of_unique.push_back(r);
    }
    unique_of_raw[r] = found->second;
  }
  std::vector<uint32_t> unique_of_item(n);
  std::vector<size_t> copies_of_unique(first_item_of_unique.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    unique_of_item[i] = unique_of_raw[raw_of_item[i]];
    ++copies_of_unique[unique_of_item[i]];
  }
  const size_t uniques = first_item_of_unique.size();
  analysis.unique_texts = uniques;

  // 2. Near duplicates among the distinct texts.
  Report(options, "minhash", 0.1);
  std::vector<Signature> signatures(uniques);
  ParallelFor(uniques, ThreadCount(options, uniques),
              [&](size_t u) { signatures[u] = MinHashOf(keys[key_of_unique[u]]); });
  // Bands are independent: each yields the pairs it finds similar (a check on the signatures
  // alone), on all threads; the pairs are united afterwards in band order, as one loop would.
  Report(options, "lsh", 0.2);
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> band_pairs(kBands);
  {
    const unsigned workers = std::min<unsigned>(ThreadCount(options, uniques), kBands);
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        std::vector<std::pair<uint64_t, uint32_t>> band_keys(uniques);
        for (int band = static_cast<int>(w); band < kBands; band += static_cast<int>(workers)) {
          for (size_t u = 0; u < uniques; ++u) {
            std::string_view rows(
                reinterpret_cast<const char*>(&signatures[u][band * kRowsPerBand]),
                sizeof(uint32_t) * kRowsPerBand);
            band_keys[u] = {HashBytes(rows, static_cast<uint64_t>(band)), static_cast<uint32_t>(u)};
          }
          std::sort(band_keys.begin(), band_keys.end());
          for (size_t start = 0; start < uniques;) {
            size_t end = start + 1;
            while (end < uniques && band_keys[end].first == band_keys[start].first) ++end;
            const uint32_t first = band_keys[start].second;
            for (size_t k = start + 1; k < end; ++k) {
              const uint32_t current = band_keys[k].second;
              const uint32_t previous = band_keys[k - 1].second;
              if (EstimatedJaccard(signatures[first], signatures[current]) >=
                  options.near_duplicate_threshold) {
                band_pairs[band].emplace_back(first, current);
              } else if (EstimatedJaccard(signatures[previous], signatures[current]) >=
                         options.near_duplicate_threshold) {
                band_pairs[band].emplace_back(previous, current);
              }
            }
            start = end;
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  UnionFind letters(uniques);
  for (const auto& pairs : band_pairs)
    for (const auto& [a, b] : pairs) letters.Unite(a, b);
  std::vector<Signature>().swap(signatures);

  // 3. Campaigns: components with enough items. Every component, campaign or not, is one
  // representative for grouping (its most copied text).
  std::unordered_map<size_t, size_t> component_items;
  std::unordered_map<size_t, size_t> component_template;  // root → unique
  for (size_t u = 0; u < uniques; ++u) {
    const size_t root = letters.Find(u);
    component_items[root] += copies_of_unique[u];
    auto [found, inserted] = component_template.try_emplace(root, u);
    if (!inserted && copies_of_unique[u] > copies_of_unique[found->second]) found->second = u;
  }
  std::vector<size_t> representative_of_unique(uniques);
  std::vector<size_t> representative_template;  // representative → unique
  std::unordered_map<size_t, size_t> representative_of_root;
  for (size_t u = 0; u < uniques; ++u) {
    const size_t root = letters.Find(u);
    auto [found, inserted] =
        representative_of_root.try_emplace(root, representative_template.size());
    if (inserted) representative_template.push_back(component_template[root]);
    representative_of_unique[u] = found->second;
  }
  const size_t representatives = representative_template.size();
  std::vector<std::vector<size_t>> items_of_representative(representatives);
  for (size_t i = 0; i < n; ++i)
    items_of_representative[representative_of_unique[unique_of_item[i]]].push_back(i);
  std::vector<bool> is_campaign(representatives, false);
  for (size_t r = 0; r < representatives; ++r) {
    if (items_of_representative[r].size() < options.min_campaign_size) continue;
    is_campaign[r] = true;
    const size_t template_unique = representative_template[r];
    analysis.campaigns.push_back({items_of_representative[r], first_item_of_unique[template_unique],
                                  copies_of_unique[template_unique]});
  }
  std::sort(analysis.campaigns.begin(), analysis.campaigns.end(),
            [](const Campaign& a, const Campaign& b) {
              return a.items.size() != b.items.size() ? a.items.size() > b.items.size()
                                                      : a.items.front() < b.items.front();
            });

  // 4. Content words of each representative's text.
  Report(options, "tokenize", 0.5);
  std::vector<std::vector<std::string>> words(representatives);
  ParallelFor(representatives, ThreadCount(options, representatives), [&](size_t r) {
    const size_t item = first_item_of_unique[representative_template[r]];
    words[r] = (*tokenizer)->ContentWords(FoldForMatching(inputs[item].text));
  });
  std::unordered_map<std::string, uint32_t> term_ids;
  std::vector<std::string> terms;
  std::vector<std::vector<uint32_t>> term_lists(representatives);
  for (size_t r = 0; r < representatives; ++r) {
    for (const std::string& word : words[r]) {
      auto [found, inserted] = term_ids.try_emplace(word, static_cast<uint32_t>(terms.size()));
      if (inserted) terms.push_back(word);
      term_lists[r].push_back(found->second);
    }
  }
  std::vector<std::vector<std::string>>().swap(words);
  std::vector<uint32_t> document_frequency(terms.size(), 0);
  std::vector<SparseVector> vectors(representatives);
  for (size_t r = 0; r < representatives; ++r) {
    std::vector<uint32_t>& list = term_lists[r];
    std::sort(list.begin(), list.end());
    for (size_t k = 0; k < list.size(); ++k) {
      if (k == 0 || list[k] != list[k - 1]) ++document_frequency[list[k]];
    }
  }
  std::vector<float> idf(terms.size());
  for (size_t t = 0; t < terms.size(); ++t) {
    idf[t] =
        static_cast<float>(std::log((1.0 + representatives) / (1.0 + document_frequency[t])) + 1.0);
  }
  for (size_t r = 0; r < representatives; ++r) {
    const std::vector<uint32_t>& list = term_lists[r];
    SparseVector& vector = vectors[r];
    for (size_t k = 0; k < list.size(); ++k) {
      if (k > 0 && list[k] == list[k - 1]) {
        vector.back().second += idf[list[k]];
      } else {
        vector.emplace_back(list[k], idf[list[k]]);
      }
    }
    double norm = 0;
    for (const auto& [term, weight] : vector) norm += static_cast<double>(weight) * weight;
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (auto& entry : vector) entry.second = static_cast<float>(entry.second / norm);
    }
  }

  // 5. Groups: a shared answer, or similar content words.
  Report(options, "groups", 0.7);
  UnionFind groups(representatives);
  std::vector<bool> joined_by_terms(representatives, false);
  std::vector<bool> joined_by_response(representatives, false);
  // Answers are the same when equal, or when one is the other cut short (a published table
  // may truncate a long answer): after sorting, a prefix sits right before its completions.
  std::vector<std::pair<std::string, size_t>> responses;  // key, representative
  for (size_t i = 0; i < n; ++i) {
    if (inputs[i].response.empty()) continue;
    std::string response = DuplicateKey(inputs[i].response);
    if (response.empty()) continue;
    responses.emplace_back(std::move(response), representative_of_unique[unique_of_item[i]]);
  }
  std::sort(responses.begin(), responses.end());
  for (size_t k = 1; k < responses.size(); ++k) {
    const auto& [previous, previous_representative] = responses[k - 1];
    const auto& [current, current_representative] = responses[k];
    const bool same = previous == current || (previous.size() >= kMinTruncatedAnswerBytes &&
                                              current.compare(0, previous.size(), previous) == 0);
    if (same && groups.Unite(previous_representative, current_representative)) {
      joined_by_response[previous_representative] = true;
      joined_by_response[current_representative] = true;
    }
  }
  const size_t frequency_cap = std::max<size_t>(50, representatives / 100);
  std::vector<std::vector<uint32_t>> postings(terms.size());
  for (size_t r = 0; r < representatives; ++r) {
    for (const auto& [term, weight] : vectors[r]) {
      if (document_frequency[term] > 1 && document_frequency[term] <= frequency_cap)
        postings[term].push_back(static_cast<uint32_t>(r));
    }
  }
  // Candidate pairs share a term (one of a text's strongest, in a large docket); the cosine
  // check runs on all threads, each over its own slice, and the edges are kept in a fixed order.
  const bool all_pairs = representatives <= kAllPairsLimit;
  const double edge_floor = options.group_threshold * kEdgeFloorShare;
  const unsigned workers = ThreadCount(options, representatives);
  std::vector<std::vector<Edge>> found_edges(workers);
  {
    std::vector<std::thread> threads;
    const size_t slice = (representatives + workers - 1) / workers;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        std::vector<uint32_t> seen_by(representatives, std::numeric_limits<uint32_t>::max());
        std::vector<Edge> mine;
        const size_t begin = w * slice;
        const size_t end = std::min(representatives, begin + slice);
        for (size_t r = begin; r < end; ++r) {
          SparseVector top = vectors[r];
          const size_t keep = all_pairs ? top.size() : std::min(kTopTermsForCandidates, top.size());
          std::partial_sort(top.begin(), top.begin() + keep, top.end(),
                            [](const auto& a, const auto& b) { return a.second > b.second; });
          top.resize(keep);
          size_t examined = 0;
          mine.clear();
          for (const auto& [term, weight] : top) {
            for (uint32_t other : postings[term]) {
              if (other == r || seen_by[other] == r) continue;
              seen_by[other] = static_cast<uint32_t>(r);
              if (!all_pairs && ++examined > kMaxCandidatesPerText) break;
              if (all_pairs && other < r) continue;  // each pair once
              const double similarity = Cosine(vectors[r], vectors[other]);
              // One word in common is not yet a shared subject (住民, 増やす).
              if (similarity >= edge_floor &&
                  SharedTerms(vectors[r], vectors[other]) >= kMinSharedTerms)
                mine.push_back({static_cast<uint32_t>(r), other, static_cast<float>(similarity)});
            }
            if (!all_pairs && examined > kMaxCandidatesPerText) break;
          }
          if (!all_pairs && mine.size() > kNeighboursKept) {
            std::partial_sort(mine.begin(), mine.begin() + kNeighboursKept, mine.end(),
                              [](const Edge& a, const Edge& b) {
                                return a.similarity != b.similarity ? a.similarity > b.similarity
                                                                    : a.b < b.b;
                              });
            mine.resize(kNeighboursKept);
          }
          found_edges[w].insert(found_edges[w].end(), mine.begin(), mine.end());
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  // Average linkage over clusters that start as the texts a shared answer put together.
  std::vector<uint32_t> cluster_of(representatives);
  std::vector<uint32_t> cluster_sizes;
  std::vector<size_t> first_of_cluster;
  {
    std::unordered_map<size_t, uint32_t> cluster_of_root;
    for (size_t r = 0; r < representatives; ++r) {
      auto [found, inserted] =
          cluster_of_root.try_emplace(groups.Find(r), static_cast<uint32_t>(cluster_sizes.size()));
      if (inserted) {
        cluster_sizes.push_back(0);
        first_of_cluster.push_back(r);
      }
      cluster_of[r] = found->second;
      ++cluster_sizes[found->second];
    }
  }
  std::vector<Edge> edges;
  for (auto& list : found_edges) {
    for (Edge& edge : list)
      edges.push_back({cluster_of[edge.a], cluster_of[edge.b], edge.similarity});
    std::vector<Edge>().swap(list);
  }
  if (!all_pairs) {
    // Both ends may have kept the same pair: once in the mean.
    for (Edge& edge : edges)
      if (edge.b < edge.a) std::swap(edge.a, edge.b);
    std::sort(edges.begin(), edges.end(),
              [](const Edge& x, const Edge& y) { return std::tie(x.a, x.b) < std::tie(y.a, y.b); });
    edges.erase(std::unique(edges.begin(), edges.end(),
                            [](const Edge& x, const Edge& y) { return x.a == y.a && x.b == y.b; }),
                edges.end());
  }
  std::vector<bool> joined_cluster;
  const std::vector<uint32_t> final_cluster =
      AverageLinkage(std::move(cluster_sizes), edges, options.group_threshold, joined_cluster);
  std::vector<Edge>().swap(edges);
  for (size_t r = 0; r < representatives; ++r) {
    const uint32_t last = final_cluster[cluster_of[r]];
    if (!joined_cluster[last]) continue;
    groups.Unite(r, first_of_cluster[last]);
    joined_by_terms[r] = true;
  }

  std::unordered_map<size_t, std::vector<size_t>> members;  // root → representatives
  for (size_t r = 0; r < representatives; ++r) members[groups.Find(r)].push_back(r);
  for (auto& [root, group_representatives] : members) {
    Group group;
    bool by_terms = false, by_response = false, campaign = false;
    for (size_t r : group_representatives) {
      group.items.insert(group.items.end(), items_of_representative[r].begin(),
                         items_of_representative[r].end());
      by_terms |= joined_by_terms[r];
      by_response |= joined_by_response[r];
      campaign |= is_campaign[r];
    }
    if (group.items.size() < 2) continue;
    std::sort(group.items.begin(), group.items.end());
    group.reason = by_terms      ? "terms"
                   : by_response ? "response"
                   : campaign    ? "campaign"
                                 : "duplicate";
    // Shared terms: content words found in most of the group's distinct texts.
    std::unordered_map<uint32_t, size_t> counts;
    for (size_t r : group_representatives) {
      for (const auto& [term, weight] : vectors[r]) ++counts[term];
    }
    const size_t needed = group_representatives.size() == 1
                              ? 1
                              : std::max<size_t>(2, (group_representatives.size() + 1) / 2);
    std::vector<std::pair<uint32_t, size_t>> shared;
    for (const auto& [term, count] : counts) {
      if (count >= needed) shared.emplace_back(term, count);
    }
    std::sort(shared.begin(), shared.end(), [&](const auto& a, const auto& b) {
      if (a.second != b.second) return a.second > b.second;
      if (idf[a.first] != idf[b.first]) return idf[a.first] > idf[b.first];
      return terms[a.first] < terms[b.first];
    });
    for (size_t k = 0; k < shared.size() && k < kTermsShown; ++k)
      group.terms.push_back(terms[shared[k].first]);
    analysis.groups.push_back(std::move(group));
  }
  std::sort(analysis.groups.begin(), analysis.groups.end(), [](const Group& a, const Group& b) {
    return a.items.size() != b.items.size() ? a.items.size() > b.items.size()
                                            : a.items.front() < b.items.front();
  });
  Report(options, "done", 1.0);
  return analysis;
}

}  // namespace civicdesk::text
