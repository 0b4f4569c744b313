#include <sstream>

#include "core/date.h"
#include "embedded/facilities_sample.h"
#include "facilities/handlers.h"
#include "facilities/registry_io.h"
#include "facilities/store.h"

namespace civicdesk::facilities {

Status LoadSampleData(storage::Database& database) {
  CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult existing,
                             database.Query("SELECT COUNT(*) FROM facility_policy"));
  if (storage::AsInt(existing.rows[0][0]) > 0) return Status::Ok();
  for (const LifecyclePolicy& policy : {SoumuPolicy(), LongLife80Policy()})
    CIVICDESK_RETURN_IF_ERROR(SavePolicy(database, policy, "system").status());
  // A register imported before the first start is the ward's own: no sample beside it.
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
