#ifndef CIVICDESK_PLAN_TESTING_H_
#define CIVICDESK_PLAN_TESTING_H_

// Test fixtures for the plan module; not part of the library.

#include <nlohmann/json.hpp>

#include "plan/plan_data.h"

namespace civicdesk::plan::testing {

// Minato's files plus a made-up second transcription for the 2023 edition, in the format of
// editions/<version>/: policy 24 reworded, policy 1 dropped; in policy 24, the first KPI's mid-term
// target raised to 80% and its second KPI dropped. Policies 25 and 26 keep their titles but their
// KPIs are transcribed for 2021 only.
inline PlanFiles MinatoFilesWithRevisedEdition() {
  PlanFiles files = MinatoPlanFiles();
  nlohmann::json plan = nlohmann::json::parse(files.at("plan.json"));
  nlohmann::json policies = nlohmann::json::array();
  for (nlohmann::json policy : plan["policies"]) {
    if (policy["number"] == 1) continue;
    if (policy["number"] == 24) policy["title"] = policy["title"].get<std::string>() + "（改定）";
    policies.push_back(policy);
  }
  files["editions/2023/plan.json"] = nlohmann::json{{"policies", policies}}.dump();
  nlohmann::json policy24 = nlohmann::json::parse(files.at("policies/24.json"));
  nlohmann::json& measure = policy24["measures"][0];
  nlohmann::json& target = measure["kpis"][0]["targets"][0];
  target["label"] = "80%";
  target["value"] = 80;
  if (measure["kpis"].size() > 1) measure["kpis"].erase(1);
  files["editions/2023/policies/24.json"] = policy24.dump();
  return files;
}

}  // namespace civicdesk::plan::testing

#endif  // CIVICDESK_PLAN_TESTING_H_
