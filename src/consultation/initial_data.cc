// Minato's shipped data: the organisation chart (data/minato/organisation.json) and the
// published result of 港区環境基本計画（素案）, each loaded when it is missing.
#include <nlohmann/json.hpp>

#include "consultation/handlers.h"
#include "consultation/publishing.h"
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
  // Each 課 by its 部 and name: the ones missing are added, in the chart's order.
  return database.Transaction([&](storage::Connection& connection) -> Status {
    for (const json& unit : chart["units"]) {
      for (const json& section : unit.value("sections", json::array())) {
        const std::vector<storage::Value> key = {unit.value("department", ""),
                                                 section.get<std::string>()};
        CIVICDESK_ASSIGN_OR_RETURN(
            storage::QueryResult present,
            connection.Query(
                "SELECT 1 FROM consultation_org_unit WHERE department = ? AND section = ?", key));
        if (!present.empty()) continue;
        CIVICDESK_RETURN_IF_ERROR(
            connection
                .Query("INSERT INTO consultation_org_unit (department, section) VALUES (?, ?)", key)
                .status());
      }
    }
    return Status::Ok();
  });
}

}  // namespace

// The published result shipped in data/minato/ (港区環境基本計画（素案）, 2024) is present when a
// consultation of that title is, whatever else the database holds: a consultation created before
// the first start no longer keeps it out. Imported and published once; a load interrupted between
// the two is published on the next start.
Status LoadInitialData(storage::Database& database) {
  CIVICDESK_RETURN_IF_ERROR(LoadOrganisation(database));
  std::optional<std::string_view> result =
      consultation_data::FindEmbeddedFile("consultations/kankyo-kihon-keikaku-soan.txt");
  if (!result) return Status::Internal("the Minato consultation result is not embedded");
  CIVICDESK_ASSIGN_OR_RETURN(std::string title, ResultTitle(*result));
  const Actor shipped{0, "minato-data"};
  PublishOptions earlier;  // the ward published it in 2024: its table is checked, as imported
  earlier.imported = true;
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult present,
      database.Query("SELECT id, state FROM consultation WHERE kind = 'consultation' AND title = ?"
                     " ORDER BY id",
                     {title}));
  if (!present.empty()) {
    const int64_t id = AsInt(present.rows[0][0]);
    if (storage::AsText(present.rows[0][1]) == "published") return Status::Ok();
    // Published only when this loader imported it (a result staff imported themselves is theirs
    // to publish).
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult ours,
        database.Query("SELECT 1 FROM consultation_audit WHERE user_login = ? AND action = 'import'"
                       " AND entity = 'consultation' AND entity_id = ?",
                       {shipped.login, id}));
    return ours.empty() ? Status::Ok() : Publish(database, id, shipped, earlier);
  }
  CIVICDESK_ASSIGN_OR_RETURN(ImportReport imported, ImportResults(database, *result, shipped));
  return Publish(database, imported.consultation_id, shipped, earlier);
}

}  // namespace civicdesk::consultation
