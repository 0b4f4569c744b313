#ifndef CIVICDESK_OPENDATA_DOWNLOADS_H_
#define CIVICDESK_OPENDATA_DOWNLOADS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace civicdesk::opendata {

// Table opendata_download: downloads per dataset per month ("YYYY-MM", Japan time). Tables
// opendata_download_client (who has been counted today: dataset, day, keyed hash of the client)
// and opendata_download_salt (the day's secret key).
storage::ModuleMigrations OpendataMigrations();

// The counting rule, as the dataset page and KPI 24-2-1 state it:
//  - one download per client, dataset and day (Japan time): 300 requests from one address for
//    one dataset on one day count once, whatever the formats (CSV, CP932, JSON, XLSX);
//  - the client is its address (an IPv6 address by its /64 network, which one household or
//    server holds), kept only as a keyed BLAKE2b hash under a secret drawn at random for each
//    day; the secret and the hashes of earlier days are deleted when a new day's first download
//    comes, so a stored hash cannot be tested against a guessed address afterwards, and the
//    address itself is never stored;
//  - a request whose User-Agent names a crawler (IsCrawler) is not counted. Scripts (curl,
//    wget, Python) are counted: they are how people use open data, and the daily rule already
//    stops them inflating the figure.
// The unique key (dataset, day, client hash) makes the count atomic on both backends: of two
// concurrent requests by one client, one counts.

// True when `user_agent` identifies a crawler: it contains, in any case, "bot" (Googlebot,
// bingbot, DuckDuckBot, Applebot, YandexBot, AhrefsBot…; not the phone maker Cubot), "crawl",
// "spider" (Baiduspider), "slurp" (Yahoo), "facebookexternalhit", "mediapartners-google",
// "ia_archiver" or "scrapy". An empty User-Agent names nothing and is counted.
bool IsCrawler(std::string_view user_agent);

// The client as counted: its IPv4 address, or the /64 network of its IPv6 address (an
// IPv4-mapped IPv6 address is its IPv4 address); any other text as it is.
std::string ClientOf(std::string_view address);

// Counts a download of `dataset` on `day` by the client at `address` unless that client has
// been counted for that dataset on that day. True when counted. Durable when it returns Ok.
Result<bool> CountDownload(storage::Database& database, const std::string& dataset, Date day,
                           std::string_view address);

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
