// Minato's shipped data: the organisation chart (data/minato/organisation.json) and the
// published result of seed 000, loaded into an empty database.
#include <nlohmann/json.hpp>

#include "consultation/handlers.h"
#include "consultation/results_import.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "embedded/consultation_data.h"

namespace civicdesk::consultation {
namespace {

using nlohmann::json;
using storage::AsInt;

Status LoadOrganisation(storage::Database& database) {
  std::optional<std::string_view> file = consultation_data::FindEmbeddedFile("organisation.json");
  if (!file) return Status::Internal("organisation.json is not embedded");
  json chart = json::parse(*file, nullptr, false);
  if (chart.is_discarded() || !chart.contains("units"))
    return Status::InvalidArgument("consultation.organisation_units_required", "organisation.json");
  return database.Transaction([&](storage::Connection& connection) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult count,
                               connection.Query("SELECT COUNT(*) FROM consultation_org_unit"));
    if (AsInt(count.rows[0][0]) > 0) return Status::Ok();
    for (const json& unit : chart["units"]) {
      for (const json& section : unit.value("sections", json::array())) {
        Result<storage::QueryResult> inserted = connection.Query(
            "INSERT INTO consultation_org_unit (department, section) VALUES (?, ?)",
            {unit.value("department", ""), section.get<std::string>()});
        if (!inserted.ok()) return inserted.status();
      }
    }
    return Status::Ok();
  });
}

}  // namespace

// The published result of seed 000 is imported and marked published when the database holds
// no consultation yet.
Status LoadInitialData(storage::Database& database) {
  CIVICDESK_RETURN_IF_ERROR(LoadOrganisation(database));
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult count,
      database.Query("SELECT COUNT(*) FROM consultation WHERE kind = 'consultation'"));
  if (AsInt(count.rows[0][0]) > 0) return Status::Ok();
  std::optional<std::string_view> result =
      consultation_data::FindEmbeddedFile("consultations/kankyo-kihon-keikaku-soan.txt");
  if (!result) return Status::Internal("the Minato consultation result is not embedded");
  CIVICDESK_ASSIGN_OR_RETURN(ImportReport imported,
                             ImportResults(database, *result, Actor{0, "minato-data"}));
  return Publish(database, imported.consultation_id, Actor{0, "minato-data"});
}

}  // namespace civicdesk::consultation
