#ifndef CIVICDESK_BENCH_JAPANESE_CORPUS_H_
#define CIVICDESK_BENCH_JAPANESE_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace civicdesk::bench {

// A synthetic opinion: Japanese text about one topic (the label a ward would file it under).
struct CorpusOpinion {
  std::string text;
  std::string topic;
};

// `count` opinions from a fixed seed: each has one to three sentences built from its topic's
// words (about one word in five from another topic, as real opinions wander), ten topics with
// about fifteen nouns each and thirty predicates. Deterministic.
std::vector<CorpusOpinion> GenerateOpinions(size_t count, uint64_t seed);

// Query words from the same vocabulary: nouns of three or more characters, and of one or two.
std::vector<std::string> LongQueryWords();
std::vector<std::string> ShortQueryWords();

}  // namespace civicdesk::bench

#endif  // CIVICDESK_BENCH_JAPANESE_CORPUS_H_
