#include "surveys/results.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace civicdesk::surveys {

namespace {

constexpr std::array<std::string_view, 3> kDimensions = {kDistrict, kAgeBand, kResidence};

const std::string& DimensionOf(const AnswerRow& row, size_t dimension) {
  return dimension == 0 ? row.district : dimension == 1 ? row.age_band : row.residence;
}
const std::string& DimensionOf(const PopulationCell& cell, size_t dimension) {
  return dimension == 0 ? cell.district : dimension == 1 ? cell.age_band : cell.residence;
}

// The post-stratification weights: the cell key (the values of the dimensions the population
// table splits by, joined by '\t') → weight.
class Weights {
 public:
  Weights() = default;
  Weights(const Population& population, const std::vector<PopulationCell>& respondents) {
    for (size_t d = 0; d < kDimensions.size(); ++d)
      for (const PopulationCell& cell : population.cells)
        if (!DimensionOf(cell, d).empty()) {
          used_[d] = true;
          break;
        }
    std::map<std::string, double> people;
    for (const PopulationCell& cell : population.cells)
      people[Key(cell)] += static_cast<double>(cell.population);
    std::map<std::string, double> answered;
    for (const PopulationCell& cell : respondents)
      answered[Key(cell)] += static_cast<double>(cell.population);
    double covered_people = 0, covered_respondents = 0;
    for (const auto& [key, n] : answered) {
      auto found = people.find(key);
      if (found == people.end() || found->second <= 0) continue;
      covered_people += found->second;
      covered_respondents += n;
    }
    for (const auto& [key, n] : answered) {
      auto found = people.find(key);
      if (found == people.end() || found->second <= 0) continue;
      weight_[key] = found->second / n * covered_respondents / covered_people;
    }
  }
  template <typename Row>
  double Of(const Row& row) const {
    auto found = weight_.find(Key(row));
    return found == weight_.end() ? 0 : found->second;
  }
  std::vector<std::string> Dimensions() const {
    std::vector<std::string> names;
    for (size_t d = 0; d < kDimensions.size(); ++d)
      if (used_[d]) names.emplace_back(kDimensions[d]);
    return names;
  }

 private:
  template <typename Row>
  std::string Key(const Row& row) const {
    std::string key;
    for (size_t d = 0; d < kDimensions.size(); ++d) {
      if (!used_[d]) continue;
      key += DimensionOf(row, d);
      key += '\t';
    }
    return key;
  }
  std::array<bool, 3> used_{};
  std::map<std::string, double> weight_;
};

struct SegmentAccumulator {
  int64_t n = 0;
  std::vector<int64_t> counts;
};

struct QuestionAccumulator {
  const Question* question = nullptr;
  std::unordered_map<std::string, size_t> choice_index;
  int64_t n = 0;
  double weight_sum = 0;
  double weight_square_sum = 0;
  std::vector<int64_t> counts;
  std::vector<double> weighted;
  std::array<std::map<std::string, SegmentAccumulator>, 3> segments;
  double sum = 0;
  std::optional<double> minimum, maximum;
  int64_t last_response = 0;
};

std::optional<double> ReadNumber(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

QuestionResult Finish(const QuestionAccumulator& q, bool weighted) {
  QuestionResult result;
  result.question = q.question;
  result.n = q.n;
  if (q.question->type == QuestionType::kNumber) {
    if (q.n > 0) result.mean = q.sum / static_cast<double>(q.n);
    result.minimum = q.minimum;
    result.maximum = q.maximum;
  }
  if (weighted && q.weight_square_sum > 0)
    result.n_effective = q.weight_sum * q.weight_sum / q.weight_square_sum;
  for (size_t c = 0; c < q.question->choices.size(); ++c) {
    ChoiceResult choice;
    choice.value = q.question->choices[c].value;
    choice.count = q.counts[c];
    if (q.n > 0) {
      const double p = static_cast<double>(q.counts[c]) / static_cast<double>(q.n);
      choice.share = 100 * p;
      choice.margin = MarginOfError(p, static_cast<double>(q.n));
    }
    if (weighted && q.weight_sum > 0) {
      const double p = q.weighted[c] / q.weight_sum;
      choice.weighted_share = 100 * p;
      choice.margin = MarginOfError(p, *result.n_effective);
    }
    result.choices.push_back(std::move(choice));
  }
  for (size_t d = 0; d < kDimensions.size(); ++d) {
    for (const auto& [value, segment] : q.segments[d]) {
      SegmentResult out{
          std::string(kDimensions[d]), value, segment.n, segment.n < kMinimumCell, {}};
      if (!out.suppressed) out.counts = segment.counts;
      result.segments.push_back(std::move(out));
    }
  }
  return result;
}

}  // namespace

double MarginOfError(double p, double n) {
  if (n <= 0) return 0;
  return 1.96 * std::sqrt(p * (1 - p) / n) * 100;
}

Result<SurveyResults> ComputeResults(storage::Database& database, const Survey& survey,
                                     const std::optional<Population>& population) {
  SurveyResults results;
  std::vector<const Question*> questions = survey.Questions();
  if (survey.status == kPublished) {
    CIVICDESK_ASSIGN_OR_RETURN(auto shares, PublishedShares(database, survey.id));
    for (const Question* question : questions) {
      QuestionResult result;
      result.question = question;
      result.published = true;
      for (const auto& [choice, share] : shares[question->key])
        result.choices.push_back({choice, 0, share, std::nullopt, std::nullopt});
      results.questions.push_back(std::move(result));
    }
    return results;
  }
  CIVICDESK_ASSIGN_OR_RETURN(results.respondents, CountResponses(database, survey.id));
  Weights weights;
  if (population && !population->cells.empty()) {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<PopulationCell> cells,
                               RespondentsByCell(database, survey.id));
    weights = Weights(*population, cells);
    results.weighted = true;
    results.population_label = population->label;
    results.weighting_dimensions = weights.Dimensions();
    for (const PopulationCell& cell : cells)
      if (weights.Of(cell) == 0) results.unweighted += cell.population;
  }
  std::vector<QuestionAccumulator> accumulators(questions.size());
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < questions.size(); ++i) {
    QuestionAccumulator& q = accumulators[i];
    q.question = questions[i];
    for (size_t c = 0; c < questions[i]->choices.size(); ++c)
      q.choice_index[questions[i]->choices[c].value] = c;
    q.counts.assign(questions[i]->choices.size(), 0);
    q.weighted.assign(questions[i]->choices.size(), 0);
    index[questions[i]->key] = i;
  }
  CIVICDESK_RETURN_IF_ERROR(ForEachAnswer(database, survey.id, "", [&](const AnswerRow& row) {
    auto found = index.find(row.question);
    if (found == index.end()) return Status::Ok();  // a question since removed
    QuestionAccumulator& q = accumulators[found->second];
    const double weight = results.weighted ? weights.Of(row) : 0;
    const bool first = q.last_response != row.response;
    if (first) {
      q.last_response = row.response;
      ++q.n;
      q.weight_sum += weight;
      q.weight_square_sum += weight * weight;
      for (size_t d = 0; d < kDimensions.size(); ++d) {
        SegmentAccumulator& segment = q.segments[d][DimensionOf(row, d)];
        if (segment.counts.empty()) segment.counts.assign(q.counts.size(), 0);
        ++segment.n;
      }
    }
    if (q.question->type == QuestionType::kNumber) {
      if (std::optional<double> value = ReadNumber(row.value)) {
        q.sum += *value;
        q.minimum = q.minimum ? std::min(*q.minimum, *value) : *value;
        q.maximum = q.maximum ? std::max(*q.maximum, *value) : *value;
      }
      return Status::Ok();
    }
    auto choice = q.choice_index.find(row.value);
    if (choice == q.choice_index.end()) return Status::Ok();
    ++q.counts[choice->second];
    q.weighted[choice->second] += weight;
    for (size_t d = 0; d < kDimensions.size(); ++d)
      ++q.segments[d][DimensionOf(row, d)].counts[choice->second];
    return Status::Ok();
  }));
  for (const QuestionAccumulator& q : accumulators)
    results.questions.push_back(Finish(q, results.weighted));
  return results;
}

Result<std::vector<kpi_feed::Row>> FedValues(storage::Database& database, std::string_view code) {
  std::vector<kpi_feed::Row> values;
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Survey> surveys, ListSurveys(database));
  std::optional<Population> population;
  bool population_read = false;
  for (const Survey& survey : surveys) {
    if (survey.status != kClosed && survey.status != kPublished) continue;
    for (const Feed& feed : survey.feeds) {
      if (!code.empty() && feed.kpi != code) continue;
      kpi_feed::Row value;
      value.kpi = feed.kpi;
      value.fiscal_year = survey.fiscal_year;
      value.segment = feed.segment;
      value.module = "surveys";
      value.source = survey.title;
      value.reference = "surveys/survey/" + std::to_string(survey.id);
      value.address = "/surveys/" + std::to_string(survey.id) + "/results";
      auto chosen = [&](const std::string& answer) {
        return std::find(feed.choices.begin(), feed.choices.end(), answer) != feed.choices.end();
      };
      if (survey.status == kPublished) {
        CIVICDESK_ASSIGN_OR_RETURN(auto shares, PublishedShares(database, survey.id));
        double sum = 0;
        for (const auto& [answer, share] : shares[feed.question]) sum += chosen(answer) ? share : 0;
        value.value = std::round(sum * 10) / 10;
        values.push_back(std::move(value));
        continue;
      }
      if (!population_read) {
        CIVICDESK_ASSIGN_OR_RETURN(population, LatestPopulation(database));
        population_read = true;
      }
      Weights weights;
      bool weighted = population && !population->cells.empty();
      if (weighted) {
        CIVICDESK_ASSIGN_OR_RETURN(std::vector<PopulationCell> cells,
                                   RespondentsByCell(database, survey.id));
        weights = Weights(*population, cells);
      }
      int64_t n = 0, hits = 0, last = 0;
      bool last_hit = false;
      double weight_sum = 0, weight_squares = 0, weight_hits = 0;
      CIVICDESK_RETURN_IF_ERROR(
          ForEachAnswer(database, survey.id, feed.question, [&](const AnswerRow& row) {
            if (!feed.segment.empty() && row.residence != feed.segment) return Status::Ok();
            const double weight = weighted ? weights.Of(row) : 1;
            if (row.response != last) {
              last = row.response;
              last_hit = false;
              ++n;
              weight_sum += weight;
              weight_squares += weight * weight;
            }
            if (!last_hit && chosen(row.value)) {
              last_hit = true;  // a multiple-choice respondent counts once
              ++hits;
              weight_hits += weight;
            }
            return Status::Ok();
          }));
      // Fewer than kMinimumCell respondents (in the segment) would show a few people's answers
      // with their segment, and say little: no value.
      if (n < kMinimumCell || weight_sum <= 0) continue;
      const double p = weight_hits / weight_sum;
      const double n_effective = weight_sum * weight_sum / weight_squares;
      value.value = std::round(p * 1000) / 10;
      value.n = n;
      value.margin_of_error = std::round(MarginOfError(p, n_effective) * 10) / 10;
      values.push_back(std::move(value));
    }
  }
  return values;
}

}  // namespace civicdesk::surveys
