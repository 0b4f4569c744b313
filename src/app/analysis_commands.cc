#include "app/analysis_commands.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/cli.h"
#include "app/messages.h"
#include "consultation/opinions_import.h"
#include "consultation/suggestions.h"
#include "text/analysis.h"
#include "text/classifier.h"

namespace civicdesk::app {
namespace {

using nlohmann::json;

Result<double> ParseFraction(const Arguments& arguments, const std::string& name, double fallback) {
  if (!arguments.Has(name)) return fallback;
  const std::string text = arguments.Get(name);
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value <= 0 ||
      value > 1) {
    return Status::InvalidArgument("app.fraction_range", {{"value", text}}, "--" + name);
  }
  return value;
}

// The id a person knows an item by: the imported file's id (a number when it looks like one),
// otherwise the item id.
json ShownId(const consultation::AnalysisItem& item) {
  const std::string& id = item.external_id;
  if (id.empty()) return item.item_id;
  int64_t number = 0;
  auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
  if (error == std::errc() && end == id.data() + id.size() && id[0] != '0') return number;
  if (id == "0") return 0;
  return id;
}

json EvaluationJson(const Result<text::Evaluation>& evaluation) {
  if (!evaluation.ok()) return {{"error", Words(evaluation.status())}};
  return {{"examples", evaluation->examples},
          {"labels", evaluation->labels},
          {"folds", evaluation->folds},
          {"accuracy", evaluation->accuracy},
          {"macro_f1", evaluation->macro_f1}};
}

// A score with three decimals, as the evaluation line shows it.
std::string Decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f", value);
  return text;
}

json PredictionsJson(const std::vector<text::Prediction>& predictions) {
  json list = json::array();
  for (const text::Prediction& prediction : predictions)
    list.push_back({{"label", prediction.label}, {"score", prediction.score}});
  return list;
}

// `value` as json::dump(2) writes it `depth` levels deep in a document: every line after the
// first indented two spaces a level (dump escapes the line breaks inside strings).
void WriteIndented(std::ostream& out, const json& value, int depth) {
  const std::string text = value.dump(2);
  const std::string pad(2 * static_cast<size_t>(depth), ' ');
  size_t start = 0;
  for (size_t line_end; (line_end = text.find('\n', start)) != std::string::npos;
       start = line_end + 1) {
    out.write(text.data() + start, static_cast<std::streamsize>(line_end + 1 - start)) << pad;
  }
  out.write(text.data() + start, static_cast<std::streamsize>(text.size() - start));
}

// An array of `count` elements `depth` levels deep as json::dump(2) writes it, `element(i)`
// writing each (at depth + 1).
template <typename Element>
void WriteArray(std::ostream& out, size_t count, int depth, const Element& element) {
  if (count == 0) {
    out << "[]";
    return;
  }
  const std::string pad(2 * static_cast<size_t>(depth + 1), ' ');
  out << "[\n";
  for (size_t i = 0; i < count; ++i) {
    out << (i > 0 ? ",\n" : "") << pad;
    element(i);
  }
  out << "\n" << std::string(2 * static_cast<size_t>(depth), ' ') << "]";
}

}  // namespace

int AnalyzeCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  int64_t id = 0;
  if (words.empty() ||
      std::from_chars(words[0].data(), words[0].data() + words[0].size(), id).ptr !=
          words[0].data() + words[0].size() ||
      id <= 0) {
    err << "civicdesk: " << Say("app.analyze_expected") << "\n" << CommandUsageOf("analyze");
    return 2;
  }
  Result<Arguments> arguments =
      Arguments::Parse({words.begin() + 1, words.end()},
                       {"db", "group-threshold", "near-duplicate-threshold", "min-campaign-size"},
                       {"json", "save-groups", "evaluate"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  text::AnalysisOptions options;
  Result<double> group_threshold =
      ParseFraction(*arguments, "group-threshold", options.group_threshold);
  if (!group_threshold.ok()) return Fail(err, group_threshold.status());
  Result<double> near_threshold =
      ParseFraction(*arguments, "near-duplicate-threshold", options.near_duplicate_threshold);
  if (!near_threshold.ok()) return Fail(err, near_threshold.status());
  Result<int> min_campaign = ParseInt(*arguments, "min-campaign-size", 3, 2, 1000000);
  if (!min_campaign.ok()) return Fail(err, min_campaign.status());
  options.group_threshold = *group_threshold;
  options.near_duplicate_threshold = *near_threshold;
  options.min_campaign_size = static_cast<size_t>(*min_campaign);

  Result<std::unique_ptr<storage::Database>> database = OpenMigrated(*arguments, out, false);
  if (!database.ok()) return Fail(err, database.status());
  Result<std::vector<consultation::AnalysisItem>> items =
      consultation::ListAnalysisItems(**database, id);
  if (!items.ok()) return Fail(err, items.status());
  std::vector<text::AnalysisInput> inputs;
  inputs.reserve(items->size());
  for (const consultation::AnalysisItem& item : *items)
    inputs.push_back({item.text, item.response});
  if (inputs.size() >= 10000) {
    options.progress = [&err, last = std::string()](const char* stage, double fraction) mutable {
      if (last == stage) return;
      last = stage;
      err << "civicdesk: analyze " << stage << " " << static_cast<int>(fraction * 100) << "%\n";
    };
  }
  Result<text::Analysis> analysis = text::Analyze(inputs, options);
  if (!analysis.ok()) return Fail(err, analysis.status());

  auto ids = [&](const std::vector<size_t>& indices) {
    json list = json::array();
    for (size_t index : indices) list.push_back(ShownId((*items)[index]));
    return list;
  };
  // Built in place and moved, never copied: a million ids are copied in seconds.
  json campaigns = json::array();
  for (const text::Campaign& campaign : analysis->campaigns) {
    json& entry = campaigns.emplace_back(json::object());
    entry["items"] = ids(campaign.items);
    entry["size"] = campaign.items.size();
    entry["exact_copies"] = campaign.exact_copies;
    entry["template"] = (*items)[campaign.template_item].text;
  }
  json groups = json::array();
  for (const text::Group& group : analysis->groups) {
    json& entry = groups.emplace_back(json::object());
    entry["items"] = ids(group.items);
    entry["terms"] = group.terms;
    entry["reason"] = group.reason;
  }
  if (arguments->Has("save-groups")) {
    Status saved =
        consultation::SaveGroups(**database, id, consultation::GroupAssignments(*analysis, *items),
                                 consultation::Actor{0, "cli"});
    if (!saved.ok()) return Fail(err, saved);
  }
  // Classification suggestions for items still missing a field or a section.
  Result<std::vector<consultation::ItemSuggestion>> suggested =
      consultation::SuggestClassification(**database, id, *items);
  if (!suggested.ok()) return Fail(err, suggested.status());
  // Items come in id order (ListAnalysisItems), so an id is found by bisection.
  auto item_of_id = [&](int64_t item_id) -> const consultation::AnalysisItem& {
    auto found = std::lower_bound(
        items->begin(), items->end(), item_id,
        [](const consultation::AnalysisItem& item, int64_t id) { return item.item_id < id; });
    return *found;
  };
  json evaluation;
  if (arguments->Has("evaluate")) {
    Result<consultation::ClassificationEvaluation> evaluated =
        consultation::EvaluateClassification(**database, id);
    if (!evaluated.ok()) return Fail(err, evaluated.status());
    evaluation = {{"fields", EvaluationJson(evaluated->fields)},
                  {"sections", EvaluationJson(evaluated->sections)}};
  }

  if (arguments->Has("json")) {
    // Written as it is produced, byte for byte what json::dump(2) of the whole document gives
    // (keys in order, two spaces a level): a suggestion per item made a million small objects
    // and a 100 MB string first.
    out << "{\n  \"campaigns\": ";
    WriteArray(out, campaigns.size(), 1, [&](size_t c) { WriteIndented(out, campaigns[c], 2); });
    out << ",\n  \"consultation_id\": " << id;
    if (!evaluation.is_null()) {
      out << ",\n  \"evaluation\": ";
      WriteIndented(out, evaluation, 1);
    }
    out << ",\n  \"groups\": ";
    WriteArray(out, groups.size(), 1, [&](size_t g) { WriteIndented(out, groups[g], 2); });
    out << ",\n  \"items\": " << items->size() << ",\n  \"suggestions\": ";
    WriteArray(out, suggested->size(), 1, [&](size_t i) {
      const consultation::ItemSuggestion& suggestion = (*suggested)[i];
      out << "{\n      \"fields\": ";
      WriteIndented(out, PredictionsJson(suggestion.fields), 3);
      out << ",\n      \"item\": " << ShownId(item_of_id(suggestion.item_id)).dump()
          << ",\n      \"sections\": ";
      WriteIndented(out, PredictionsJson(suggestion.sections), 3);
      out << "\n    }";
    });
    out << ",\n  \"unique_texts\": " << analysis->unique_texts << "\n}\n";
    return 0;
  }
  if (!evaluation.is_null()) {
    for (const char* target : {"fields", "sections"}) {
      const json& scores = evaluation[target];
      out << Say("app.analysis_evaluation", {{"target", target}}) << ": ";
      if (scores.contains("error")) {
        out << scores["error"].get<std::string>() << "\n";
        continue;
      }
      out << Say("app.analysis_scores",
                 {{"items", std::to_string(scores["examples"].get<size_t>())},
                  {"labels", std::to_string(scores["labels"].get<size_t>())},
                  {"folds", std::to_string(scores["folds"].get<size_t>())},
                  {"accuracy", Decimal(scores["accuracy"].get<double>())},
                  {"macro_f1", Decimal(scores["macro_f1"].get<double>())}})
          << "\n";
    }
  }
  out << Say("app.analysis_items", {{"items", std::to_string(items->size())},
                                    {"distinct", std::to_string(analysis->unique_texts)}})
      << "\n";
  out << Say("app.analysis_campaigns", {{"count", std::to_string(analysis->campaigns.size())}})
      << "\n";
  for (const json& campaign : campaigns) {
    std::string text = campaign["template"];
    out << "  "
        << Say("app.analysis_campaign_size",
               {{"size", std::to_string(campaign["size"].get<size_t>())}})
        << ": " << text.substr(0, 120) << "\n";
  }
  out << Say("app.analysis_suggestions", {{"count", std::to_string(suggested->size())}}) << "\n";
  out << Say("app.analysis_groups", {{"count", std::to_string(analysis->groups.size())}}) << "\n";
  for (const json& group : groups) {
    out << "  " << group["items"].dump() << " " << group["reason"].get<std::string>() << ": "
        << group["terms"].dump() << "\n";
  }
  return 0;
}

}  // namespace civicdesk::app
