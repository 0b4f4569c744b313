#ifndef CIVICDESK_PLAN_PLAN_DATA_H_
#define CIVICDESK_PLAN_PLAN_DATA_H_

#include <map>
#include <string>

#include "core/result.h"
#include "plan/model.h"

namespace civicdesk::plan {

// The plan's files: "plan.json" and "policies/<n>.json" for each transcribed policy, by path.
using PlanFiles = std::map<std::string, std::string>;

// Reads and checks the plan files (format: data/minato/README.md). Fiscal years are written as
// in the plan ("令和2(2020)年度", "令和8(2026)年度末") and parsed as 和暦. Any problem is
// InvalidArgument naming the file and the JSON path, e.g.
// "policies/24.json: measures[0].kpis[1].code: expected 24-1-2, found 24-1-3".
Result<PlanData> ParsePlanFiles(const PlanFiles& files);

// The Minato data compiled into the binary from data/minato/.
const PlanFiles& MinatoPlanFiles();

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_PLAN_DATA_H_
