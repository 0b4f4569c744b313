#ifndef CIVICDESK_FACILITIES_STORE_H_
#define CIVICDESK_FACILITIES_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "facilities/lifecycle.h"
#include "http/public_data.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::facilities {

storage::ModuleMigrations FacilitiesMigrations();

struct Registry {
  std::vector<Facility> facilities;  // ordered by id
  bool sample = false;               // the shipped sample data, not the ward's own
};

// Imports `facilities` in one transaction: each is created or replaced (with its works history)
// by id. Importing the ward's own data (`sample` false) first removes the sample facilities, so
// the two never mix. Audited under `user_login`.
Status ImportRegistry(storage::Database& database, const std::vector<Facility>& facilities,
                      bool sample, const std::string& user_login);
Result<Registry> LoadRegistry(storage::Database& database);

// Appends a completed work to a facility's history (it then counts for KPI 26-4-1 and moves the
// facility's later works). InvalidArgument naming year, kind or cost_yen: a year before the
// facility was built or after `current_year`; NotFound for an unknown facility. Audited.
Status AddWorkRecord(storage::Database& database, const std::string& facility_id,
                     const WorkRecord& work, int current_year, const std::string& user_login);

// A stored policy version.
struct StoredPolicy {
  LifecyclePolicy policy;
  std::string saved_at;
  std::string saved_by;
};

// Saves `policy` as the next version of its id (the version field is assigned here) and
// returns that version. Audited.
Result<int> SavePolicy(storage::Database& database, LifecyclePolicy policy,
                       const std::string& user_login);
// The latest version of every policy, by id.
Result<std::vector<StoredPolicy>> LatestPolicies(storage::Database& database);
// One policy's latest version (version 0) or a given one; NotFound otherwise.
Result<StoredPolicy> FindPolicy(storage::Database& database, const std::string& id,
                                int version = 0);
// Every version of one policy, newest first.
Result<std::vector<StoredPolicy>> PolicyHistory(storage::Database& database, const std::string& id);

// Works recorded in the ward's own registry (not the sample) since fiscal 2021, counted
// cumulatively per year: the indicator facilities.maintenance_works.
Result<std::map<int, double>> MaintenanceWorksByYear(storage::Database& database);

Result<std::vector<http::AuditEntry>> FacilitiesAuditTrail(storage::Database& database,
                                                           const http::AuditQuery& query);

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_STORE_H_
