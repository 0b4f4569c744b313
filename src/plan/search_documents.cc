#include "plan/search_documents.h"

#include <string>
#include <vector>

#include "plan/repository.h"
#include "text/search_index.h"

namespace civicdesk::plan {

Status IndexPlan(storage::Database& database) {
  text::SearchIndex& index = text::SearchIndex::For(database);
  if (index.HasKind("plan")) return Status::Ok();
  Result<PlanData> data = ReadPlan(database);
  if (!data.ok()) return data.status();
  std::vector<text::SearchDocument> documents;
  for (const Policy& policy : data->policies) {
    const std::string policy_url = "/plan/policies/" + std::to_string(policy.number);
    std::string body;
    for (const std::string& paragraph : policy.direction) body += paragraph + "\n";
    for (const Kpi& kpi : policy.kpis) body += kpi.name + "\n";
    documents.push_back({"plan",
                         policy.number * 10000,
                         "政策" + std::to_string(policy.number) + " " + policy.title,
                         body,
                         policy_url,
                         true,
                         {}});
    for (const Measure& measure : policy.measures) {
      std::string measure_body = measure.goal + "\n";
      for (const Kpi& kpi : measure.kpis) measure_body += kpi.name + "\n";
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
