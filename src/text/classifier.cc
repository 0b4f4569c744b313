#include "text/classifier.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "text/normalize.h"
#include "text/tokenizer.h"

namespace civicdesk::text {
namespace {

constexpr double kSmoothing = 0.1;  // additive (Lidstone) smoothing of feature counts

}  // namespace

std::vector<std::string> ClassifierFeatures(std::string_view text) {
  const std::string folded = FoldForMatching(text);
  std::vector<std::string> features;
  Result<Tokenizer*> tokenizer = Tokenizer::Shared();
  if (tokenizer.ok()) features = (*tokenizer)->ContentWords(folded);
  for (std::string_view gram : CharacterNgrams(folded, 2)) {
    if (gram.find(' ') != std::string_view::npos) continue;
    features.push_back("#" + std::string(gram));
  }
  return features;
}

Result<Classifier> Classifier::Train(const std::vector<LabeledText>& examples) {
  Result<Tokenizer*> tokenizer = Tokenizer::Shared();
  if (!tokenizer.ok()) return tokenizer.status();
  Classifier model;
  std::map<std::string, size_t> label_index;
  for (const LabeledText& example : examples) {
    if (example.label.empty()) continue;
    if (label_index.try_emplace(example.label, model.labels_.size()).second)
      model.labels_.push_back(example.label);
  }
  const size_t labels = model.labels_.size();
  if (labels == 0)
    return Status::InvalidArgument("分類済みの意見がありません / no classified examples",
                                   "examples");
  std::vector<double> documents(labels, 0), totals(labels, 0);
  std::unordered_map<std::string, std::vector<float>> counts;
  for (const LabeledText& example : examples) {
    if (example.label.empty()) continue;
    const size_t label = label_index[example.label];
    documents[label] += 1;
    for (std::string& feature : ClassifierFeatures(example.text)) {
      std::vector<float>& per_label = counts[feature];
      if (per_label.empty()) per_label.assign(labels, 0.0f);
      per_label[label] += 1;
      totals[label] += 1;
    }
  }
  const double vocabulary = static_cast<double>(counts.size());
  const double all_documents = std::accumulate(documents.begin(), documents.end(), 0.0);
  model.log_prior_.resize(labels);
  model.log_unseen_.resize(labels);
  for (size_t l = 0; l < labels; ++l) {
    model.log_prior_[l] = std::log(documents[l] / all_documents);
    model.log_unseen_[l] = std::log(kSmoothing / (totals[l] + kSmoothing * (vocabulary + 1)));
  }
  for (auto& [feature, per_label] : counts) {
    for (size_t l = 0; l < labels; ++l) {
      per_label[l] = static_cast<float>(
          std::log((per_label[l] + kSmoothing) / (totals[l] + kSmoothing * (vocabulary + 1))));
    }
    model.log_likelihood_.emplace(feature, std::move(per_label));
  }
  return model;
}

std::vector<Prediction> Classifier::Predict(std::string_view text, size_t top,
                                            const std::vector<std::string>& allowed) const {
  const size_t labels = labels_.size();
  std::vector<double> scores = log_prior_;
  for (const std::string& feature : ClassifierFeatures(text)) {
    auto found = log_likelihood_.find(feature);
    if (found == log_likelihood_.end()) continue;  // unseen everywhere: no evidence
    for (size_t l = 0; l < labels; ++l) scores[l] += found->second[l];
  }
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
    return Status::InvalidArgument(
        "評価には2件以上の分類済み意見が必要です / need at least 2 classified items", "examples");
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
