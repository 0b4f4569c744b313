#ifndef CIVICDESK_OPENDATA_DOWNLOADS_H_
#define CIVICDESK_OPENDATA_DOWNLOADS_H_

#include <cstdint>
#include <map>
#include <string>

#include "core/date.h"
#include "core/result.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::opendata {

// Table opendata_download: downloads per dataset per month ("YYYY-MM", Japan time).
storage::ModuleMigrations OpendataMigrations();

// Adds one download of `dataset` in the month of `day`. Durable when it returns Ok.
Status CountDownload(storage::Database& database, const std::string& dataset, Date day);

// Downloads per month, of one dataset or (empty `dataset`) of all: "YYYY-MM" → count.
Result<std::map<std::string, int64_t>> MonthlyDownloads(storage::Database& database,
                                                        const std::string& dataset = "");

// Total downloads per dataset id.
Result<std::map<std::string, int64_t>> DownloadsPerDataset(storage::Database& database);

// The plan's KPI 「月平均のオープンデータダウンロード数」 per fiscal year (April–March): the
// fiscal year's downloads divided by the months it has been counted — from the first month
// anything was counted (or April) to the month of `today` (or March). Rounded to a whole number.
std::map<int, double> MonthlyAverageByFiscalYear(const std::map<std::string, int64_t>& monthly,
                                                 Date today);

}  // namespace civicdesk::opendata

#endif  // CIVICDESK_OPENDATA_DOWNLOADS_H_
