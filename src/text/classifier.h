#ifndef CIVICDESK_TEXT_CLASSIFIER_H_
#define CIVICDESK_TEXT_CLASSIFIER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace civicdesk::text {

struct LabeledText {
  std::string text;
  std::string label;
};

struct Prediction {
  std::string label;
  double score = 0;  // posterior probability over the candidate labels, 0–1
};

// A multinomial naive Bayes text classifier over hashed character bigrams and trigrams of the
// folded text. Character n-grams need no dictionary, cover words MeCab does not know (new
// place names, katakana loans), and keep prediction fast (no morphological analysis). Trained in
// one pass; predicting is one table lookup and one row of per-label weights per n-gram.
// Immutable after training, so it may be shared by threads.
class Classifier {
 public:
  // InvalidArgument when there is nothing to learn from.
  static Result<Classifier> Train(const std::vector<LabeledText>& examples);

  // The `top` most likely labels, best first, among `allowed` (all labels when empty).
  std::vector<Prediction> Predict(std::string_view text, size_t top,
                                  const std::vector<std::string>& allowed = {}) const;

  size_t label_count() const { return labels_.size(); }

 private:
  std::vector<std::string> labels_;
  std::vector<double> log_prior_;
  std::unordered_map<uint64_t, uint32_t> row_of_feature_;
  std::vector<float> log_likelihood_;  // row × label, relative to log_unseen_
  std::vector<double> log_unseen_;     // per label: the weight of a feature never seen with it
};

// The features of one text: hashes of its character bigrams and trigrams (folded text, not
// across spaces).
std::vector<uint64_t> ClassifierFeatures(std::string_view text);

struct Evaluation {
  size_t examples = 0;
  size_t labels = 0;
  size_t folds = 0;
  double accuracy = 0;
  double macro_f1 = 0;
};

// k-fold cross-validation (folds assigned round-robin after a seeded shuffle): each fold is
// predicted by a classifier trained on the other folds plus `always_train` (e.g. other
// consultations, the plan's texts). Accuracy and the macro-averaged F1 over the labels seen.
Result<Evaluation> CrossValidate(const std::vector<LabeledText>& examples,
                                 const std::vector<LabeledText>& always_train, size_t folds,
                                 uint64_t seed = 1);

}  // namespace civicdesk::text

#endif  // CIVICDESK_TEXT_CLASSIFIER_H_
