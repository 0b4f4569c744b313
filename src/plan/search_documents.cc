#include "plan/search_documents.h"

#include <string>
#include <vector>

#include "plan/repository.h"
#include "text/search_index.h"

namespace civicdesk::plan {

namespace {

// A line of a document's body, when there is one. Our English names lead each body, so that an
// English search ("digital", "online applications") finds the element.
void AddLine(std::string& body, const std::string& line) {
  if (!line.empty()) body += line + "\n";
}

void AddKpiNames(std::string& body, const std::vector<Kpi>& kpis) {
  for (const Kpi& kpi : kpis) {
    AddLine(body, kpi.name);
    AddLine(body, kpi.name_en);
  }
}

constexpr int64_t kFirstPolicyDocument = 10000;  // policy 1

// True when the indexed plan already holds our English names (the index of a database whose
// plan was indexed before they were written is rebuilt once).
bool IndexedWithEnglish(text::SearchIndex& index, const PlanData& data) {
  if (data.policies.empty() || data.policies.front().title_en.empty()) return true;
  Result<std::string> indexed = index.DocumentText("plan", kFirstPolicyDocument);
  return indexed.ok() && indexed->find(data.policies.front().title_en) != std::string::npos;
}

}  // namespace

Status IndexPlan(storage::Database& database) {
  text::SearchIndex& index = text::SearchIndex::For(database);
  const bool indexed = index.HasKind("plan");
  Result<PlanData> data = ReadPlan(database);
  if (!data.ok()) return data.status();
  if (indexed && IndexedWithEnglish(index, *data)) return Status::Ok();
  std::vector<text::SearchDocument> documents;
  for (const Policy& policy : data->policies) {
    const std::string policy_url = "/plan/policies/" + std::to_string(policy.number);
    std::string body;
    AddLine(body, policy.title_en);
    for (const std::string& paragraph : policy.direction) body += paragraph + "\n";
    AddKpiNames(body, policy.kpis);
    documents.push_back({"plan",
                         policy.number * 10000,
                         "政策" + std::to_string(policy.number) + " " + policy.title,
                         body,
                         policy_url,
                         true,
                         {}});
    for (const Measure& measure : policy.measures) {
      std::string measure_body;
      AddLine(measure_body, measure.title_en);
      measure_body += measure.goal + "\n";
      AddKpiNames(measure_body, measure.kpis);
      const std::string measure_url = policy_url + "/measures/" + std::to_string(measure.number);
      documents.push_back({"plan",
                           policy.number * 10000 + measure.number * 100,
                           "施策" + std::to_string(policy.number) + "-" +
                               std::to_string(measure.number) + " " + measure.title,
                           measure_body,
                           measure_url,
                           true,
                           {}});
      for (const Initiative& initiative : measure.initiatives) {
        std::string initiative_body;
        AddLine(initiative_body, initiative.title_en);
        for (const std::string& paragraph : initiative.description)
          initiative_body += paragraph + "\n";
        documents.push_back({"plan",
                             policy.number * 10000 + measure.number * 100 + initiative.number,
                             initiative.title,
                             initiative_body,
                             measure_url,
                             true,
                             {}});
      }
    }
  }
  return index.Put(documents);
}

}  // namespace civicdesk::plan
