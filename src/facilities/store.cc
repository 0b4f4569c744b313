#include "facilities/store.h"

#include <map>

#include "core/date.h"
#include "facilities/registry_io.h"

namespace civicdesk::facilities {
namespace {

using storage::AsDouble;
using storage::AsInt;
using storage::AsText;
using storage::IsNull;

Status Audit(storage::Connection& connection, const std::string& user, const std::string& action,
             const std::string& entity, const std::string& before, const std::string& after) {
  return connection
      .Query(
          "INSERT INTO facilities_audit (at, user_login, action, entity, before_value, "
          "after_value) VALUES (?, ?, ?, ?, ?, ?)",
          {NowIso8601Utc(), user, action, entity, before, after})
      .status();
}

Result<StoredPolicy> PolicyFromRow(const std::vector<storage::Value>& row) {
  nlohmann::json body = nlohmann::json::parse(AsText(row[0]), nullptr, false);
  Result<LifecyclePolicy> policy = PolicyFromJson(body);
  if (!policy.ok())
    return Status::Internal("stored policy unreadable: " + policy.status().ToString());
  policy->version = static_cast<int>(AsInt(row[1]));
  return StoredPolicy{*policy, AsText(row[2]), AsText(row[3])};
}

}  // namespace

storage::ModuleMigrations FacilitiesMigrations() {
  return {
      "facilities",
      {
          {1, "facility registry, works history, policy versions, audit",
           "CREATE TABLE facility (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
           " category TEXT NOT NULL, district TEXT NOT NULL, floor_area_sqm DOUBLE PRECISION"
           " NOT NULL, year_built BIGINT NOT NULL, structure TEXT NOT NULL, section TEXT NOT"
           " NULL, rebuild_age BIGINT, rebuild_yen_per_sqm BIGINT, sample BIGINT NOT NULL);"
           "CREATE TABLE facility_work (facility_id TEXT NOT NULL REFERENCES facility(id)"
           " ON DELETE CASCADE, position BIGINT NOT NULL, year BIGINT NOT NULL,"
           " kind TEXT NOT NULL, cost_yen BIGINT NOT NULL, PRIMARY KEY (facility_id, position));"
           "CREATE TABLE facility_policy (id TEXT NOT NULL, version BIGINT NOT NULL,"
           " body TEXT NOT NULL, saved_at TEXT NOT NULL, saved_by TEXT NOT NULL,"
           " PRIMARY KEY (id, version));"
           "CREATE TABLE facilities_audit (at TEXT NOT NULL, user_login TEXT NOT NULL,"
           " action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
           " after_value TEXT NOT NULL)"},
          {2, "owning department of a facility",
           "ALTER TABLE facility ADD COLUMN department TEXT NOT NULL DEFAULT ''"},
          {3, "audit records numbered, for the audit page's cursor (older records in time order)",
           "CREATE TABLE facilities_audit_numbered (id {{id}}, at TEXT NOT NULL, user_login TEXT"
           " NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
           " after_value TEXT NOT NULL);"
           "INSERT INTO facilities_audit_numbered (at, user_login, action, entity, before_value,"
           " after_value) SELECT at, user_login, action, entity, before_value, after_value FROM"
           " facilities_audit ORDER BY at;"
           "DROP TABLE facilities_audit;"
           "ALTER TABLE facilities_audit_numbered RENAME TO facilities_audit"},
      }};
}

Status ImportRegistry(storage::Database& database, const std::vector<Facility>& facilities,
                      bool sample, const std::string& user_login) {
  return database.Transaction([&](storage::Connection& connection) -> Status {
    if (!sample) {
      Result<storage::QueryResult> removed = connection.Query(
          "DELETE FROM facility_work WHERE facility_id IN (SELECT id FROM "
          "facility WHERE sample = 1)");
      if (!removed.ok()) return removed.status();
      removed = connection.Query("DELETE FROM facility WHERE sample = 1");
      if (!removed.ok()) return removed.status();
      if (removed->affected_rows > 0) {
        if (Status audited =
                Audit(connection, user_login, "remove_sample", "facility",
                      std::to_string(removed->affected_rows) + " sample facilities", "");
            !audited.ok())
          return audited;
      }
    }
    const std::vector<std::vector<std::string>> rows = FacilityRows(facilities);
    for (size_t i = 0; i < facilities.size(); ++i) {
      const Facility& facility = facilities[i];
      Result<storage::QueryResult> old =
          connection.Query("SELECT name FROM facility WHERE id = ?", {facility.id});
      if (!old.ok()) return old.status();
      if (Result<storage::QueryResult> cleared =
              connection.Query("DELETE FROM facility_work WHERE facility_id = ?", {facility.id});
          !cleared.ok())
        return cleared.status();
      Result<storage::QueryResult> written = connection.Query(
          "INSERT INTO facility (id, name, category, district, floor_area_sqm, year_built,"
          " structure, department, section, rebuild_age, rebuild_yen_per_sqm, sample)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
          " name = excluded.name, category = excluded.category, district = excluded.district,"
          " floor_area_sqm = excluded.floor_area_sqm, year_built = excluded.year_built,"
          " structure = excluded.structure, department = excluded.department,"
          " section = excluded.section,"
          " rebuild_age = excluded.rebuild_age, rebuild_yen_per_sqm ="
          " excluded.rebuild_yen_per_sqm, sample = excluded.sample",
          {facility.id, facility.name, std::string(CategoryName(facility.category)),
           facility.district, facility.floor_area_sqm, int64_t{facility.year_built},
           facility.structure, facility.department, facility.section,
           facility.rebuild_age ? storage::Value(int64_t{*facility.rebuild_age}) : storage::Null(),
           facility.rebuild_yen_per_sqm ? storage::Value(*facility.rebuild_yen_per_sqm)
                                        : storage::Null(),
           int64_t{sample ? 1 : 0}});
      if (!written.ok()) return written.status();
      for (size_t w = 0; w < facility.history.size(); ++w) {
        const WorkRecord& work = facility.history[w];
        Result<storage::QueryResult> inserted = connection.Query(
            "INSERT INTO facility_work (facility_id, position, year, kind, cost_yen)"
            " VALUES (?, ?, ?, ?, ?)",
            {facility.id, static_cast<int64_t>(w), int64_t{work.year},
             std::string(WorkKindName(work.kind)), work.cost_yen});
        if (!inserted.ok()) return inserted.status();
      }
      std::string after;
      for (size_t c = 0; c < rows[i].size(); ++c) after += (c ? "," : "") + rows[i][c];
      if (Status audited =
              Audit(connection, user_login, old->empty() ? "create" : "replace",
                    "facility " + facility.id, old->empty() ? "" : AsText(old->rows[0][0]), after);
          !audited.ok())
        return audited;
    }
    return Status::Ok();
  });
}

Result<Registry> LoadRegistry(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT id, name, category, district, floor_area_sqm, year_built, structure, section,"
      " rebuild_age, rebuild_yen_per_sqm, sample, department FROM facility ORDER BY id");
  if (!rows.ok()) return rows.status();
  Result<storage::QueryResult> works = database.Query(
      "SELECT facility_id, year, kind, cost_yen FROM facility_work ORDER BY facility_id, position");
  if (!works.ok()) return works.status();
  std::map<std::string, std::vector<WorkRecord>> history;
  for (const auto& row : works->rows) {
    Result<WorkKind> kind = ParseWorkKind(AsText(row[2]));
    if (!kind.ok()) return Status::Internal("stored kind of work unreadable");
    history[AsText(row[0])].push_back({static_cast<int>(AsInt(row[1])), *kind, AsInt(row[3])});
  }
  Registry registry;
  for (const auto& row : rows->rows) {
    Facility facility;
    facility.id = AsText(row[0]);
    facility.name = AsText(row[1]);
    Result<Category> category = ParseCategory(AsText(row[2]));
    if (!category.ok()) return Status::Internal("stored category unreadable");
    facility.category = *category;
    facility.district = AsText(row[3]);
    facility.floor_area_sqm = AsDouble(row[4]);
    facility.year_built = static_cast<int>(AsInt(row[5]));
    facility.structure = AsText(row[6]);
    facility.section = AsText(row[7]);
    if (!IsNull(row[8])) facility.rebuild_age = static_cast<int>(AsInt(row[8]));
    if (!IsNull(row[9])) facility.rebuild_yen_per_sqm = AsInt(row[9]);
    if (AsInt(row[10]) == 1) registry.sample = true;
    facility.department = AsText(row[11]);
    if (auto found = history.find(facility.id); found != history.end())
      facility.history = found->second;
    registry.facilities.push_back(std::move(facility));
  }
  return registry;
}

Status AddWorkRecord(storage::Database& database, const std::string& facility_id,
                     const WorkRecord& work, int current_year, const std::string& user_login) {
  if (work.cost_yen < 0)
    return Status::InvalidArgument("facilities.work_cost_negative", "cost_yen");
  return database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> facility = connection.Query(
        "SELECT year_built, (SELECT COUNT(*) FROM facility_work w WHERE w.facility_id = f.id)"
        " FROM facility f WHERE id = ?",
        {facility_id});
    if (!facility.ok()) return facility.status();
    if (facility->empty())
      return Status::NotFound("facilities.facility_not_found", {{"id", facility_id}});
    const int64_t built = AsInt(facility->rows[0][0]);
    if (work.year < built || work.year > current_year) {
      return Status::InvalidArgument(
          "facilities.work_year_range",
          {{"built", std::to_string(built)}, {"current", std::to_string(current_year)}}, "year");
    }
    Result<storage::QueryResult> inserted = connection.Query(
        "INSERT INTO facility_work (facility_id, position, year, kind, cost_yen) VALUES (?, ?, ?, "
        "?, ?)",
        {facility_id, AsInt(facility->rows[0][1]), int64_t{work.year},
         std::string(WorkKindName(work.kind)), work.cost_yen});
    if (!inserted.ok()) return inserted.status();
    return Audit(connection, user_login, "record_work", "facility " + facility_id, "",
                 std::to_string(work.year) + ":" + std::string(WorkKindName(work.kind)) + ":" +
                     std::to_string(work.cost_yen));
  });
}

Result<int> SavePolicy(storage::Database& database, LifecyclePolicy policy,
                       const std::string& user_login) {
  int version = 0;
  Status saved = database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> latest = connection.Query(
        "SELECT MAX(version), (SELECT body FROM facility_policy p WHERE p.id = ? ORDER BY version"
        " DESC LIMIT 1) FROM facility_policy WHERE id = ?",
        {policy.id, policy.id});
    if (!latest.ok()) return latest.status();
    version = static_cast<int>(AsInt(latest->rows[0][0], 0)) + 1;
    policy.version = version;
    const std::string body = PolicyToJson(policy).dump();
    Result<storage::QueryResult> written = connection.Query(
        "INSERT INTO facility_policy (id, version, body, saved_at, saved_by) VALUES (?, ?, ?, ?, "
        "?)",
        {policy.id, int64_t{version}, body, NowIso8601Utc(), user_login});
    if (!written.ok()) return written.status();
    return Audit(connection, user_login, "save_policy",
                 "policy " + policy.id + " v" + std::to_string(version), AsText(latest->rows[0][1]),
                 body);
  });
  if (!saved.ok()) return saved;
  return version;
}

Result<std::vector<StoredPolicy>> LatestPolicies(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT body, version, saved_at, saved_by FROM facility_policy p WHERE version ="
      " (SELECT MAX(version) FROM facility_policy q WHERE q.id = p.id) ORDER BY id");
  if (!rows.ok()) return rows.status();
  std::vector<StoredPolicy> policies;
  for (const auto& row : rows->rows) {
    Result<StoredPolicy> policy = PolicyFromRow(row);
    if (!policy.ok()) return policy.status();
    policies.push_back(*policy);
  }
  return policies;
}

Result<StoredPolicy> FindPolicy(storage::Database& database, const std::string& id, int version) {
  Result<storage::QueryResult> rows =
      version > 0 ? database.Query(
                        "SELECT body, version, saved_at, saved_by FROM facility_policy"
                        " WHERE id = ? AND version = ?",
                        {id, int64_t{version}})
                  : database.Query(
                        "SELECT body, version, saved_at, saved_by FROM facility_policy"
                        " WHERE id = ? ORDER BY version DESC LIMIT 1",
                        {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("facilities.policy_not_found", {{"id", id}});
  return PolicyFromRow(rows->rows[0]);
}

Result<std::vector<StoredPolicy>> PolicyHistory(storage::Database& database,
                                                const std::string& id) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT body, version, saved_at, saved_by FROM facility_policy WHERE id = ?"
      " ORDER BY version DESC",
      {id});
  if (!rows.ok()) return rows.status();
  std::vector<StoredPolicy> history;
  for (const auto& row : rows->rows) {
    Result<StoredPolicy> policy = PolicyFromRow(row);
    if (!policy.ok()) return policy.status();
    history.push_back(*policy);
  }
  return history;
}

Result<std::map<int, double>> MaintenanceWorksByYear(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT w.year, COUNT(*) FROM facility_work w JOIN facility f ON f.id = w.facility_id"
      " WHERE f.sample = 0 AND w.year >= 2021 GROUP BY w.year ORDER BY w.year");
  if (!rows.ok()) return rows.status();
  std::map<int, double> cumulative;
  double running = 0;
  for (const auto& row : rows->rows) {
    running += static_cast<double>(AsInt(row[1]));
    cumulative[static_cast<int>(AsInt(row[0]))] = running;
  }
  return cumulative;
}

Result<std::vector<http::AuditEntry>> FacilitiesAuditTrail(storage::Database& database,
                                                           const http::AuditQuery& query) {
  const auto [sql, params] = http::AuditTrailStatement(
      "SELECT at, user_login, action, entity, before_value, after_value, id FROM facilities_audit",
      query);
  Result<storage::QueryResult> rows = database.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows->rows) {
    entries.push_back({AsText(row[0]), AsText(row[1]), "facilities", AsText(row[2]), AsText(row[3]),
                       AsText(row[4]), AsText(row[5]), storage::AsInt(row[6])});
  }
  return entries;
}

}  // namespace civicdesk::facilities
