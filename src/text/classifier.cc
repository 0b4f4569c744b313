#include "text/classifier.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "text/normalize.h"

namespace civicdesk::text {
namespace {

constexpr double kSmoothing = 0.1;  // additive (Lidstone) smoothing of feature counts

}  // namespace

std::vector<uint64_t> ClassifierFeatures(std::string_view text) {
  const std::string folded = FoldForMatching(text);
  const std::vector<size_t> boundaries = CharacterBoundaries(folded);
  const size_t characters = boundaries.size() - 1;
  std::vector<uint64_t> features;
  features.reserve(characters * 2);
  for (size_t n = 2; n <= 3; ++n) {
    for (size_t i = 0; i + n <= characters; ++i) {
      std::string_view gram(folded.data() + boundaries[i], boundaries[i + n] - boundaries[i]);
      if (gram.find(' ') != std::string_view::npos) continue;
      uint64_t hash = 0xCBF29CE484222325ULL ^ n;
      for (unsigned char c : gram) hash = (hash ^ c) * 0x100000001B3ULL;
      features.push_back(hash);
    }
  }
  return features;
}

Result<Classifier> Classifier::Train(const std::vector<LabeledText>& examples) {
  Classifier model;
  std::map<std::string, size_t> label_index;
  for (const LabeledText& example : examples) {
    if (example.label.empty()) continue;
    if (label_index.try_emplace(example.label, model.labels_.size()).second)
      model.labels_.push_back(example.label);
  }
  const size_t labels = model.labels_.size();
  if (labels == 0) return Status::InvalidArgument("text.no_classified_examples", "examples");
  std::vector<double> documents(labels, 0), totals(labels, 0);
  std::vector<float>& counts = model.log_likelihood_;
  for (const LabeledText& example : examples) {
    if (example.label.empty()) continue;
    const size_t label = label_index[example.label];
    documents[label] += 1;
    for (uint64_t feature : ClassifierFeatures(example.text)) {
      auto [found, added] =
          model.row_of_feature_.try_emplace(feature, static_cast<uint32_t>(counts.size() / labels));
      if (added) counts.resize(counts.size() + labels, 0.0f);
      counts[found->second * labels + label] += 1;
      totals[label] += 1;
    }
  }
  const double vocabulary = static_cast<double>(model.row_of_feature_.size());
  const double all_documents = std::accumulate(documents.begin(), documents.end(), 0.0);
  model.log_prior_.resize(labels);
  for (size_t l = 0; l < labels; ++l) model.log_prior_[l] = std::log(documents[l] / all_documents);
  // Stored relative to an unseen feature's weight, so a feature seen with no label adds nothing
  // and an absent one is simply skipped.
  std::vector<double> unseen(labels);
  for (size_t l = 0; l < labels; ++l)
    unseen[l] = std::log(kSmoothing / (totals[l] + kSmoothing * (vocabulary + 1)));
  for (size_t row = 0; row < counts.size() / labels; ++row) {
    for (size_t l = 0; l < labels; ++l) {
      float& cell = counts[row * labels + l];
      cell = static_cast<float>(
          std::log((cell + kSmoothing) / (totals[l] + kSmoothing * (vocabulary + 1))) - unseen[l]);
    }
  }
  model.log_unseen_ = std::move(unseen);
  return model;
}

std::vector<Prediction> Classifier::Predict(std::string_view text, size_t top,
                                            const std::vector<std::string>& allowed) const {
  const size_t labels = labels_.size();
  std::vector<double> scores = log_prior_;
  const std::vector<uint64_t> features = ClassifierFeatures(text);
  // A feature never seen in training is no evidence for any label and is skipped; each seen
  // one adds its log-likelihood (stored relative to the label's unseen weight).
  size_t seen = 0;
  for (uint64_t feature : features) {
    auto found = row_of_feature_.find(feature);
    if (found == row_of_feature_.end()) continue;
    ++seen;
    const float* row = &log_likelihood_[static_cast<size_t>(found->second) * labels];
    for (size_t l = 0; l < labels; ++l) scores[l] += row[l];
  }
  for (size_t l = 0; l < labels; ++l) scores[l] += log_unseen_[l] * static_cast<double>(seen);
  std::vector<size_t> candidates;
  for (size_t l = 0; l < labels; ++l) {
    if (allowed.empty() || std::find(allowed.begin(), allowed.end(), labels_[l]) != allowed.end())
      candidates.push_back(l);
  }
  if (candidates.empty()) return {};
  double best = -INFINITY;
  for (size_t l : candidates) best = std::max(best, scores[l]);
  double sum = 0;
  for (size_t l : candidates) sum += std::exp(scores[l] - best);
  std::vector<Prediction> predictions;
  for (size_t l : candidates) predictions.push_back({labels_[l], std::exp(scores[l] - best) / sum});
  std::sort(predictions.begin(), predictions.end(), [](const Prediction& a, const Prediction& b) {
    return a.score != b.score ? a.score > b.score : a.label < b.label;
  });
  if (predictions.size() > top) predictions.resize(top);
  return predictions;
}

Result<Evaluation> CrossValidate(const std::vector<LabeledText>& examples,
                                 const std::vector<LabeledText>& always_train, size_t folds,
                                 uint64_t seed) {
  if (examples.size() < 2)
    return Status::InvalidArgument("text.too_few_classified", {{"min", "2"}}, "examples");
  folds = std::clamp<size_t>(folds, 2, examples.size());
  std::vector<size_t> order(examples.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(seed);
  std::shuffle(order.begin(), order.end(), random);
  std::map<std::string, size_t> true_positive, predicted, actual;
  size_t correct = 0;
  for (size_t fold = 0; fold < folds; ++fold) {
    std::vector<LabeledText> training = always_train;
    std::vector<size_t> held_out;
    for (size_t k = 0; k < order.size(); ++k) {
      if (k % folds == fold) {
        held_out.push_back(order[k]);
      } else {
        training.push_back(examples[order[k]]);
      }
    }
    Result<Classifier> model = Classifier::Train(training);
    if (!model.ok()) return model.status();
    for (size_t index : held_out) {
      const LabeledText& example = examples[index];
      std::vector<Prediction> best = model->Predict(example.text, 1);
      const std::string guess = best.empty() ? "" : best[0].label;
      ++actual[example.label];
      ++predicted[guess];
      if (guess == example.label) {
        ++correct;
        ++true_positive[example.label];
      }
    }
  }
  Evaluation evaluation;
  evaluation.examples = examples.size();
  evaluation.folds = folds;
  evaluation.labels = actual.size();
  evaluation.accuracy = static_cast<double>(correct) / examples.size();
  double f1_sum = 0;
  for (const auto& [label, count] : actual) {
    const double tp = static_cast<double>(true_positive[label]);
    const double precision = predicted[label] > 0 ? tp / predicted[label] : 0;
    const double recall = tp / count;
    f1_sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  }
  evaluation.macro_f1 = f1_sum / actual.size();
  return evaluation;
}

}  // namespace civicdesk::text
