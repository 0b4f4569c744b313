#ifndef CIVICDESK_PLAN_REPOSITORY_H_
#define CIVICDESK_PLAN_REPOSITORY_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "core/result.h"
#include "http/public_data.h"
#include "plan/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::plan {

// The plan module's tables (plan_*), in migration order.
storage::ModuleMigrations PlanMigrations();

// Writes `data` into the plan tables. REQUIRES: called inside a transaction on empty tables.
Status SavePlan(storage::Connection& connection, const PlanData& data);

// True when a plan has been loaded.
Result<bool> PlanIsLoaded(storage::Database& database);

// Loads the plan into an empty database (one transaction); does nothing when one is loaded.
Status LoadPlanIfEmpty(storage::Database& database, const PlanData& data);

// Reads the plan back. With `only_policy`, the policies list holds just that policy (with its
// measures, initiatives and KPIs) and the overview parts are still complete.
Result<PlanData> ReadPlan(storage::Database& database,
                          std::optional<int> only_policy = std::nullopt);

// The plan's audit trail (actuals, owners, evaluation imports) as `query` asks, newest first.
Result<std::vector<http::AuditEntry>> ReadPlanAudit(storage::Database& database,
                                                    const http::AuditQuery& query);

}  // namespace civicdesk::plan

#endif  // CIVICDESK_PLAN_REPOSITORY_H_
