#include "consultation/suggestions.h"

#include <cstdio>
#include <set>

#include "consultation/opinions_import.h"
#include "consultation/setup.h"
#include "consultation/workflow.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

constexpr size_t kSuggestions = 3;
constexpr size_t kFolds = 5;

// The plan module indexes a policy as number × 10000 and a measure as policy × 10000 +
// measure × 100 (see plan_module.cc); an indicator code points at its measure (or, for
// measure 0, its policy).
int64_t PlanDocumentId(const std::string& code) {
  int policy = 0, measure = 0;
  std::sscanf(code.c_str(), "%d-%d", &policy, &measure);
  return policy * 10000 + measure * 100;
}

struct TrainingSets {
  std::vector<text::LabeledText> fields_other;    // other consultations and the plan's texts
  std::vector<text::LabeledText> sections_other;  // other consultations
  std::vector<text::LabeledText> fields_here;     // this consultation
  std::vector<text::LabeledText> sections_here;
  std::vector<std::string> field_labels;  // this consultation's fields
  // The organisation chart: an item can only be routed there (imported results may name
  // sections the chart does not have, e.g. with OCR damage; they are learned from, not offered).
  std::vector<std::string> section_labels;
  std::set<int64_t> has_field, has_section;
};

Result<TrainingSets> LoadTraining(storage::Database& database, int64_t consultation_id) {
  TrainingSets sets;
  Result<std::vector<ClassifiedItem>> classified = ListClassifiedItems(database);
  if (!classified.ok()) return classified.status();
  for (const ClassifiedItem& item : *classified) {
    const bool here = item.consultation_id == consultation_id;
    for (const std::string& field : item.fields)
      (here ? sets.fields_here : sets.fields_other).push_back({item.text, field});
    for (const std::string& section : item.sections)
      (here ? sets.sections_here : sets.sections_other).push_back({item.text, section});
    if (!item.fields.empty()) sets.has_field.insert(item.item_id);
    if (!item.sections.empty()) sets.has_section.insert(item.item_id);
  }
  Result<std::vector<FieldOption>> fields = ListFields(database, consultation_id);
  if (!fields.ok()) return fields.status();
  text::SearchIndex& index = text::SearchIndex::For(database);
  for (const FieldOption& field : *fields) {
    sets.field_labels.push_back(field.label);
    Result<std::vector<PlanLink>> links = ParsePlanRefs(field.plan_ref);
    if (!links.ok()) continue;
    for (const PlanLink& link : *links) {
      Result<std::string> plan_text = index.DocumentText("plan", PlanDocumentId(link.code));
      if (plan_text.ok() && !plan_text->empty())
        sets.fields_other.push_back({*plan_text, field.label});
    }
  }
  Result<std::vector<SectionRef>> chart = ListOrgUnits(database);
  if (!chart.ok()) return chart.status();
  for (const auto& [department, section] : *chart)
    sets.section_labels.push_back(department + "/" + section);
  return sets;
}

std::vector<text::LabeledText> Joined(const std::vector<text::LabeledText>& a,
                                      const std::vector<text::LabeledText>& b) {
  std::vector<text::LabeledText> all = a;
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

// One label per item for evaluation: the first of each run of the same text.
std::vector<text::LabeledText> FirstLabels(const std::vector<text::LabeledText>& list) {
  std::vector<text::LabeledText> kept;
  for (const text::LabeledText& example : list) {
    if (kept.empty() || kept.back().text != example.text) kept.push_back(example);
  }
  return kept;
}

}  // namespace

Result<std::vector<ItemSuggestion>> SuggestClassification(storage::Database& database,
                                                          int64_t consultation_id,
                                                          int64_t only_item) {
  if (only_item == 0) return SuggestClassification(database, consultation_id, std::set<int64_t>{});
  return SuggestClassification(database, consultation_id, std::set<int64_t>{only_item});
}

namespace {

Result<std::vector<ItemSuggestion>> Suggest(storage::Database& database, int64_t consultation_id,
                                            const std::vector<AnalysisItem>& items,
                                            const std::set<int64_t>& only_items) {
  Result<TrainingSets> training = LoadTraining(database, consultation_id);
  if (!training.ok()) return training.status();
  Result<text::Classifier> field_model =
      text::Classifier::Train(Joined(training->fields_other, training->fields_here));
  Result<text::Classifier> section_model =
      text::Classifier::Train(Joined(training->sections_other, training->sections_here));
  std::vector<ItemSuggestion> suggestions;
  for (const AnalysisItem& item : items) {
    if (!only_items.empty() && !only_items.count(item.item_id)) continue;
    const bool needs_field = !training->has_field.count(item.item_id);
    const bool needs_section = !training->has_section.count(item.item_id);
    if (!needs_field && !needs_section) continue;
    ItemSuggestion suggestion{item.item_id, {}, {}};
    if (needs_field && field_model.ok())
      suggestion.fields = field_model->Predict(item.text, kSuggestions, training->field_labels);
    if (needs_section && section_model.ok()) {
      suggestion.sections =
          section_model->Predict(item.text, kSuggestions, training->section_labels);
    }
    suggestions.push_back(std::move(suggestion));
  }
  return suggestions;
}

}  // namespace

Result<std::vector<ItemSuggestion>> SuggestClassification(storage::Database& database,
                                                          int64_t consultation_id,
                                                          const std::set<int64_t>& only_items) {
  Result<std::vector<AnalysisItem>> items = ListAnalysisItems(database, consultation_id);
  if (!items.ok()) return items.status();
  return Suggest(database, consultation_id, *items, only_items);
}

Result<std::vector<ItemSuggestion>> SuggestClassification(storage::Database& database,
                                                          int64_t consultation_id,
                                                          const std::vector<AnalysisItem>& items) {
  return Suggest(database, consultation_id, items, {});
}

Result<ClassificationEvaluation> EvaluateClassification(storage::Database& database,
                                                        int64_t consultation_id) {
  Result<TrainingSets> training = LoadTraining(database, consultation_id);
  if (!training.ok()) return training.status();
  ClassificationEvaluation evaluation;
  evaluation.fields =
      text::CrossValidate(FirstLabels(training->fields_here), training->fields_other, kFolds);
  evaluation.sections =
      text::CrossValidate(FirstLabels(training->sections_here), training->sections_other, kFolds);
  return evaluation;
}

Status AcceptSuggestion(storage::Database& database, int64_t item_id, const std::string& field,
                        const std::string& section, const Actor& actor) {
  Result<Item> item = GetItem(database, item_id);
  if (!item.ok()) return item.status();
  ItemUpdate update;
  if (!field.empty()) {
    Result<std::vector<FieldOption>> fields = ListFields(database, item->consultation_id);
    if (!fields.ok()) return fields.status();
    auto found = std::find_if(fields->begin(), fields->end(),
                              [&](const FieldOption& option) { return option.label == field; });
    if (found == fields->end()) {
      return Status::InvalidArgument("consultation.suggestion_field_unknown", "field");
    }
    std::vector<int64_t> ids = item->field_ids;
    if (std::find(ids.begin(), ids.end(), found->id) == ids.end()) ids.push_back(found->id);
    update.field_ids = ids;
  }
  if (!section.empty()) {
    const size_t slash = section.find('/');
    if (slash == std::string::npos)
      return Status::InvalidArgument("consultation.section_format", "section");
    std::vector<SectionRef> sections = item->sections;
    SectionRef added{section.substr(0, slash), section.substr(slash + 1)};
    if (std::find(sections.begin(), sections.end(), added) == sections.end())
      sections.push_back(added);
    update.sections = sections;
  }
  if (!update.field_ids && !update.sections)
    return Status::InvalidArgument("consultation.nothing_to_accept", "field");
  return UpdateItem(database, item_id, update, actor);
}

}  // namespace civicdesk::consultation
