#include "opendata/downloads.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

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

// What a crawler's User-Agent contains (lower case); see IsCrawler.
constexpr std::array<std::string_view, 8> kCrawlerMarks = {
    "bot",         "crawl", "spider", "slurp", "facebookexternalhit", "mediapartners-google",
    "ia_archiver", "scrapy"};

std::string Hex(const unsigned char* bytes, size_t length) {
  std::string hex(length * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, length);
  hex.pop_back();
  return hex;
}

// 32 random bytes in hex: a new day's secret key.
std::string NewSalt() {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work without its RNG
  unsigned char bytes[crypto_generichash_KEYBYTES];
  randombytes_buf(bytes, sizeof(bytes));
  return Hex(bytes, sizeof(bytes));
}

// BLAKE2b-128 of the client keyed with the day's secret (hex).
Result<std::string> ClientHash(std::string_view client, const std::string& salt_hex) {
  unsigned char key[crypto_generichash_KEYBYTES];
  size_t key_length = 0;
  if (sodium_hex2bin(key, sizeof(key), salt_hex.data(), salt_hex.size(), nullptr, &key_length,
                     nullptr) != 0 ||
      key_length != sizeof(key))
    return Status::Internal("opendata_download_salt holds a bad key");
  unsigned char digest[16];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(client.data()),
                     client.size(), key, sizeof(key));
  sodium_memzero(key, sizeof(key));
  return Hex(digest, sizeof(digest));
}

}  // namespace

storage::ModuleMigrations OpendataMigrations() {
  return {"opendata",
          {
              {1, "downloads per dataset per month",
               "CREATE TABLE opendata_download (dataset TEXT NOT NULL, month TEXT NOT NULL,"
               " downloads BIGINT NOT NULL, PRIMARY KEY (dataset, month))"},
              {2, "one download per client, dataset and day, the client hashed with a daily key",
               "CREATE TABLE opendata_download_client (dataset TEXT NOT NULL, day TEXT NOT NULL,"
               " client_hash TEXT NOT NULL, PRIMARY KEY (dataset, day, client_hash));"
               "CREATE TABLE opendata_download_salt (day TEXT PRIMARY KEY, salt TEXT NOT NULL)"},
          }};
}

bool IsCrawler(std::string_view user_agent) {
  std::string lower(user_agent.substr(0, 1024));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view mark : kCrawlerMarks) {
    for (size_t at = lower.find(mark); at != std::string::npos; at = lower.find(mark, at + 1)) {
      if (mark == "bot" && at >= 2 && lower.compare(at - 2, 5, "cubot") == 0) continue;
      return true;
    }
  }
  return false;
}

std::string ClientOf(std::string_view address) {
  const std::string text(address);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) return "4:" + Hex(bytes, 4);
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(std::begin(kMapped), std::end(kMapped), bytes)) return "4:" + Hex(bytes + 12, 4);
    return "6:" + Hex(bytes, 8);  // the /64 network
  }
  return "?:" + text;
}

Result<bool> CountDownload(storage::Database& database, const std::string& dataset, Date day,
                           std::string_view address) {
  const std::string date = FormatIsoDate(day);
  const std::string month =
      MonthKey(static_cast<int>(day.year()), static_cast<unsigned>(day.month()));
  const std::string client = ClientOf(address);
  bool counted = false;
  Status done = database.Transaction([&](storage::Connection& connection) -> Status {
    counted = false;
    // The day's secret: the day's first download draws it and deletes the earlier days' secrets
    // and hashes, which nobody needs once their day is over.
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult drawn,
        connection.Query("INSERT INTO opendata_download_salt (day, salt) VALUES (?, ?)"
                         " ON CONFLICT (day) DO NOTHING",
                         {date, NewSalt()}));
    if (drawn.affected_rows > 0) {
      CIVICDESK_RETURN_IF_ERROR(
          connection.Query("DELETE FROM opendata_download_salt WHERE day < ?", {date}).status());
      CIVICDESK_RETURN_IF_ERROR(
          connection.Query("DELETE FROM opendata_download_client WHERE day < ?", {date}).status());
    }
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult salt,
        connection.Query("SELECT salt FROM opendata_download_salt WHERE day = ?", {date}));
    if (salt.rows.empty()) return Status::Internal("no download key for " + date);
    CIVICDESK_ASSIGN_OR_RETURN(std::string hash, ClientHash(client, AsText(salt.rows[0][0])));
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult seen,
        connection.Query("INSERT INTO opendata_download_client (dataset, day, client_hash)"
                         " VALUES (?, ?, ?) ON CONFLICT (dataset, day, client_hash) DO NOTHING",
                         {dataset, date, hash}));
    if (seen.affected_rows == 0) return Status::Ok();  // counted already today
    counted = true;
    return connection
        .Query(
            "INSERT INTO opendata_download (dataset, month, downloads) VALUES (?, ?, 1)"
            " ON CONFLICT (dataset, month) DO UPDATE SET downloads ="
            " opendata_download.downloads + 1",
            {dataset, month})
        .status();
  });
  if (!done.ok()) return done;
  return counted;
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
