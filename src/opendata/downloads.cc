#include "opendata/downloads.h"

#include <cmath>
#include <cstdio>

#include "core/fiscal_year.h"

namespace civicdesk::opendata {
namespace {

using storage::AsInt;
using storage::AsText;

std::string MonthKey(int year, unsigned month) {
  char key[16];
  std::snprintf(key, sizeof(key), "%04d-%02u", year, month);
  return key;
}

// Months since year 0, so that ranges of months are differences.
int MonthIndex(int year, unsigned month) { return year * 12 + static_cast<int>(month) - 1; }

}  // namespace

storage::ModuleMigrations OpendataMigrations() {
  return {"opendata",
          {
              {1, "downloads per dataset per month",
               "CREATE TABLE opendata_download (dataset TEXT NOT NULL, month TEXT NOT NULL,"
               " downloads BIGINT NOT NULL, PRIMARY KEY (dataset, month))"},
          }};
}

Status CountDownload(storage::Database& database, const std::string& dataset, Date day) {
  const std::string month =
      MonthKey(static_cast<int>(day.year()), static_cast<unsigned>(day.month()));
  return database.Transaction([&](storage::Connection& connection) -> Status {
    return connection
        .Query(
            "INSERT INTO opendata_download (dataset, month, downloads) VALUES (?, ?, 1)"
            " ON CONFLICT (dataset, month) DO UPDATE SET downloads ="
            " opendata_download.downloads + 1",
            {dataset, month})
        .status();
  });
}

Result<std::map<std::string, int64_t>> MonthlyDownloads(storage::Database& database,
                                                        const std::string& dataset) {
  Result<storage::QueryResult> rows =
      dataset.empty()
          ? database.Query("SELECT month, SUM(downloads) FROM opendata_download GROUP BY month")
          : database.Query(
                "SELECT month, SUM(downloads) FROM opendata_download WHERE dataset = ?"
                " GROUP BY month",
                {dataset});
  if (!rows.ok()) return rows.status();
  std::map<std::string, int64_t> monthly;
  for (const auto& row : rows->rows) monthly[AsText(row[0])] = AsInt(row[1]);
  return monthly;
}

Result<std::map<std::string, int64_t>> DownloadsPerDataset(storage::Database& database) {
  Result<storage::QueryResult> rows =
      database.Query("SELECT dataset, SUM(downloads) FROM opendata_download GROUP BY dataset");
  if (!rows.ok()) return rows.status();
  std::map<std::string, int64_t> totals;
  for (const auto& row : rows->rows) totals[AsText(row[0])] = AsInt(row[1]);
  return totals;
}

std::map<int, double> MonthlyAverageByFiscalYear(const std::map<std::string, int64_t>& monthly,
                                                 Date today) {
  std::map<int, double> averages;
  if (monthly.empty()) return averages;
  int first_year = 0;
  unsigned first_month = 0;
  if (std::sscanf(monthly.begin()->first.c_str(), "%d-%u", &first_year, &first_month) != 2)
    return averages;
  const int first = MonthIndex(first_year, first_month);
  const int current =
      MonthIndex(static_cast<int>(today.year()), static_cast<unsigned>(today.month()));
  std::map<int, int64_t> totals;
  for (const auto& [key, downloads] : monthly) {
    int year = 0;
    unsigned month = 0;
    if (std::sscanf(key.c_str(), "%d-%u", &year, &month) != 2) continue;
    totals[FiscalYear::Containing(MakeDate(year, month, 1)).year()] += downloads;
  }
  for (const auto& [fiscal_year, downloads] : totals) {
    const int from = std::max(MonthIndex(fiscal_year, 4), first);
    const int to = std::min(MonthIndex(fiscal_year + 1, 3), current);
    const int months = std::max(1, to - from + 1);
    averages[fiscal_year] = std::round(static_cast<double>(downloads) / months);
  }
  return averages;
}

}  // namespace civicdesk::opendata
