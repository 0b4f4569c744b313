#ifndef CIVICDESK_HTTP_PUBLIC_DATA_H_
#define CIVICDESK_HTTP_PUBLIC_DATA_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::http {

class App;

// Receives one row of a dataset: its cells in column order.
using DatasetRowWriter = std::function<Status(const std::vector<std::string>& cells)>;

// A public dataset a module offers to the open-data catalog. The catalog reads the modules only
// through these, never through their tables (ARCHITECTURE.md).
struct PublicDataset {
  std::string id;  // stable and URL-safe: "plan-kpis"; it names the dataset's files
  std::string title;
  std::string title_en;
  std::string description;
  std::vector<std::string> tags;
  std::string modified;  // ISO 8601 date of the last change; empty when unknown
  // The Digital Agency standard dataset (自治体標準オープンデータセット) it follows, e.g.
  // "オープンデータ一覧"; the catalog then adds the standard's leading columns. Empty: none.
  std::string standard;
  std::vector<std::string> columns;
  // The columns that hold numbers (counts, costs, years, values): in CSV a plain number there is
  // written as it is, where any other cell starting like a formula gets a leading ' (Table).
  std::vector<std::string> number_columns;
  // Streams the rows, in order; a non-Ok Status from the writer stops it and is returned.
  std::function<Status(App&, const DatasetRowWriter&)> rows;
};

// A figure one module measures that a plan KPI can take its actuals from (a KPI names it in
// `measured_by`).
struct Indicator {
  std::string id;      // "opendata.monthly_average_downloads"
  std::string source;  // what the actual's source note says
  // The value for each fiscal year measured so far, by Western starting year.
  std::function<Result<std::map<int, double>>(storage::Database&)> by_fiscal_year;
};

// One record of a module's append-only audit trail, as the admins' audit page shows it.
struct AuditEntry {
  std::string at;  // ISO 8601 UTC
  std::string user_login;
  std::string module;
  std::string action;
  std::string entity;
  std::string before;
  std::string after;
  int64_t id = 0;  // the record's id in its module's audit table (ids grow with time)
};

// What the audit page asks of one module's trail: its newest `limit` records (by id, newest
// first) with an id below `before_id` when set — or, `oldest_first`, its oldest `limit` records
// with an id above `after_id` (the page before) — of the staff member `user` only and whose
// action contains `action` when these are not empty. A far page costs one page of rows.
struct AuditQuery {
  size_t limit = 100;
  std::optional<int64_t> before_id;
  std::string user;
  std::string action;
  std::optional<int64_t> after_id;
  bool oldest_first = false;
};

// The statement a module's audit_trail runs for `query`: `select_from` ("SELECT ... FROM
// x_audit", a table with columns id, user_login and action) with the conditions, in the order
// asked, and its parameters.
std::pair<std::string, std::vector<storage::Value>> AuditTrailStatement(
    std::string_view select_from, const AuditQuery& query);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_PUBLIC_DATA_H_
