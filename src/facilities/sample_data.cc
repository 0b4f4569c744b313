#include <sstream>

#include "core/date.h"
#include "embedded/facilities_sample.h"
#include "facilities/handlers.h"
#include "facilities/registry_io.h"
#include "facilities/store.h"

namespace civicdesk::facilities {

// Each shipped dataset is looked for on its own: a built-in policy by its id (a ward's own policy
// saved first no longer keeps 総務省 and 80-year out), the sample register by its sample rows.
Status LoadBuiltInPolicies(storage::Database& database) {
  for (const LifecyclePolicy& policy : {SoumuPolicy(), LongLife80Policy()}) {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult present,
        database.Query("SELECT 1 FROM facility_policy WHERE id = ?", {policy.id}));
    if (present.empty()) CIVICDESK_RETURN_IF_ERROR(SavePolicy(database, policy, "system").status());
  }
  return Status::Ok();
}

Status LoadSampleData(storage::Database& database) {
  CIVICDESK_RETURN_IF_ERROR(LoadBuiltInPolicies(database));
  // A register imported before the first start is the ward's own: no sample beside it. Once the
  // sample is there, it is there.
  CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult facilities_present,
                             database.Query("SELECT COUNT(*) FROM facility"));
  if (storage::AsInt(facilities_present.rows[0][0]) > 0) return Status::Ok();
  std::optional<std::string_view> csv = facilities_sample::FindEmbeddedFile("facilities.csv");
  if (!csv) return Status::Internal("the sample registry is not embedded");
  std::istringstream input{std::string(*csv)};
  Result<std::vector<Facility>> facilities =
      ReadFacilitiesCsv(input, static_cast<int>(TodayInJapan().year()));
  if (!facilities.ok())
    return Status::Internal("sample registry: " + facilities.status().ToString());
  return ImportRegistry(database, *facilities, true, "system");
}

}  // namespace civicdesk::facilities
