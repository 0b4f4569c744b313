#include "partners/store.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "partners/codes.h"
#include "partners/store_support.h"

namespace civicdesk::partners {

using nlohmann::json;
using storage::AsInt;
using storage::AsText;

namespace internal {

Status Audit(storage::Connection& connection, const std::string& user, const std::string& action,
             const std::string& entity, const std::string& before, const std::string& after) {
  return connection
      .Query(
          "INSERT INTO partners_audit (at, user_login, action, entity, before_value, "
          "after_value) VALUES (?, ?, ?, ?, ?, ?)",
          {NowIso8601Utc(), user, action, entity, before, after})
      .status();
}

std::string Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

}  // namespace internal

namespace {

using internal::Audit;
using internal::Trim;

constexpr std::array<std::string_view, 7> kStatusKeys = {
    "received", "ineligible", "selected", "not_selected", "approved", "reported", "published"};

json ProgrammeToJson(const Programme& programme) {
  json body = {
      {"fiscal_year", programme.fiscal_year},
      {"title", programme.title},
      {"opens", programme.opens},
      {"closes", programme.closes},
      {"budget_yen", programme.budget_yen ? json(*programme.budget_yen) : json()},
      {"places", programme.places ? json(*programme.places) : json()},
      {"rate", std::to_string(programme.rules.rate_numerator) + "/" +
                   std::to_string(programme.rules.rate_denominator)},
      {"lodging_cap_per_person_night_yen", programme.rules.lodging_cap_per_person_night_yen},
      {"cap_per_business_yen", programme.rules.cap_per_business_yen},
      {"conditions", programme.conditions},
      {"eligibility", programme.eligibility},
      {"destinations", programme.destinations},
      {"contact", programme.contact}};
  return body;
}

Programme ProgrammeFromJson(const json& body) {
  Programme programme;
  programme.fiscal_year = body.value("fiscal_year", 0);
  programme.title = body.value("title", "");
  programme.opens = body.value("opens", "");
  programme.closes = body.value("closes", "");
  if (body.contains("budget_yen") && body["budget_yen"].is_number_integer())
    programme.budget_yen = body["budget_yen"].get<int64_t>();
  if (body.contains("places") && body["places"].is_number_integer())
    programme.places = body["places"].get<int>();
  const std::string rate = body.value("rate", "10/10");
  if (size_t slash = rate.find('/'); slash != std::string::npos) {
    programme.rules.rate_numerator = std::atoi(rate.substr(0, slash).c_str());
    programme.rules.rate_denominator = std::max(1, std::atoi(rate.substr(slash + 1).c_str()));
  }
  programme.rules.lodging_cap_per_person_night_yen =
      body.value("lodging_cap_per_person_night_yen", int64_t{10000});
  programme.rules.cap_per_business_yen = body.value("cap_per_business_yen", int64_t{200000});
  programme.conditions = body.value("conditions", std::vector<std::string>{});
  programme.eligibility = body.value("eligibility", "");
  programme.destinations = body.value("destinations", std::vector<std::string>{});
  programme.contact = body.value("contact", "");
  return programme;
}

std::string ReportJson(const std::vector<StaffExpense>& report) {
  json lines = json::array();
  for (const StaffExpense& line : report) {
    lines.push_back({{"nights", line.nights},
                     {"lodging_per_night_yen", line.lodging_per_night_yen},
                     {"transport_yen", line.transport_yen}});
  }
  return lines.dump();
}

constexpr char kApplicationColumns[] =
    "id, number, fiscal_year, business_name, corporate_number, representative, address,"
    " destination_code, staff_count, planned_nights, email, submitted_at, status,"
    " eligibility_note, report, subsidy_yen, report_url, duplicate_of";

Application ApplicationFromRow(const std::vector<storage::Value>& row) {
  Application application;
  application.id = AsInt(row[0]);
  application.number = AsText(row[1]);
  application.fiscal_year = static_cast<int>(AsInt(row[2]));
  application.business_name = AsText(row[3]);
  application.corporate_number = AsText(row[4]);
  application.representative = AsText(row[5]);
  application.address = AsText(row[6]);
  application.destination_code = AsText(row[7]);
  application.staff_count = static_cast<int>(AsInt(row[8]));
  application.planned_nights = static_cast<int>(AsInt(row[9]));
  application.email = AsText(row[10]);
  application.submitted_at = AsText(row[11]);
  Result<ApplicationStatus> status = ParseStatusKey(AsText(row[12]));
  application.status = status.ok() ? *status : ApplicationStatus::kReceived;
  application.eligibility_note = AsText(row[13]);
  json report = json::parse(AsText(row[14], "[]"), nullptr, false);
  if (report.is_array()) {
    Result<std::vector<StaffExpense>> lines = StaffFromJson(json{{"staff", report}});
    if (lines.ok()) application.report = *lines;
  }
  if (!storage::IsNull(row[15])) application.subsidy_yen = AsInt(row[15]);
  application.report_url = AsText(row[16]);
  application.duplicate_of = AsText(row[17]);
  return application;
}

// Moves one application from `from` to `to` inside a transaction, with `extra` SQL assignments.
Status Step(storage::Database& database, int64_t id, ApplicationStatus from, ApplicationStatus to,
            const std::string& user, const std::string& action, const std::string& extra_sql = {},
            std::vector<storage::Value> extra_params = {}) {
  return database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> current =
        connection.Query("SELECT status, number FROM workation_application WHERE id = ?", {id});
    if (!current.ok()) return current.status();
    if (current->empty()) return Status::NotFound("partners.application_not_found");
    const std::string status = AsText(current->rows[0][0]);
    if (status != StatusKey(from)) {
      return Status::Conflict("partners.application_wrong_status",
                              {{"status", status}, {"required", std::string(StatusKey(from))}});
    }
    std::vector<storage::Value> params = {std::string(StatusKey(to))};
    for (auto& value : extra_params) params.push_back(value);
    params.push_back(id);
    Result<storage::QueryResult> updated = connection.Query(
        "UPDATE workation_application SET status = ?" + extra_sql + " WHERE id = ?", params);
    if (!updated.ok()) return updated.status();
    return Audit(connection, user, action, "application " + AsText(current->rows[0][1]), status,
                 std::string(StatusKey(to)));
  });
}

}  // namespace

std::string_view StatusKey(ApplicationStatus status) {
  return kStatusKeys[static_cast<size_t>(status)];
}

Result<ApplicationStatus> ParseStatusKey(std::string_view key) {
  for (size_t i = 0; i < kStatusKeys.size(); ++i)
    if (kStatusKeys[i] == key) return static_cast<ApplicationStatus>(i);
  return Status::InvalidArgument("partners.status_unknown", {{"value", std::string(key)}},
                                 "status");
}

std::optional<int> Programme::Capacity() const {
  if (places) return *places;
  if (budget_yen && rules.cap_per_business_yen > 0)
    return static_cast<int>(*budget_yen / rules.cap_per_business_yen);
  return std::nullopt;
}

storage::ModuleMigrations PartnersMigrations() {
  return {
      "partners",
      {
          {1, "partners, agreements, exchanges, events, workation programme and applications",
           "CREATE TABLE partner (code TEXT PRIMARY KEY, prefecture TEXT NOT NULL, name TEXT NOT"
           " NULL, note TEXT NOT NULL);"
           "CREATE TABLE partner_agreement (id {{id}}, partner_code TEXT NOT NULL REFERENCES"
           " partner(code), type TEXT NOT NULL, title TEXT NOT NULL, signed_on TEXT NOT NULL,"
           " status TEXT NOT NULL, source TEXT NOT NULL);"
           "CREATE TABLE partner_published_count (type TEXT PRIMARY KEY, title TEXT NOT NULL,"
           " count BIGINT NOT NULL, as_of TEXT NOT NULL);"
           "CREATE TABLE partner_exchange (id {{id}}, partner_code TEXT NOT NULL REFERENCES"
           " partner(code), office TEXT NOT NULL, title TEXT NOT NULL, happened_on TEXT NOT NULL,"
           " source TEXT NOT NULL);"
           "CREATE TABLE partner_event (id {{id}}, title TEXT NOT NULL, event_date TEXT NOT NULL,"
           " planned BIGINT NOT NULL, venue TEXT NOT NULL, address TEXT NOT NULL, opens TEXT NOT"
           " NULL, closes TEXT NOT NULL, stalls TEXT NOT NULL, participants_text TEXT NOT NULL,"
           " participants TEXT NOT NULL);"
           "CREATE TABLE workation_programme (fiscal_year BIGINT PRIMARY KEY, body TEXT NOT NULL);"
           "CREATE TABLE workation_application (id {{id}}, number TEXT NOT NULL UNIQUE,"
           " fiscal_year BIGINT NOT NULL, business_name TEXT NOT NULL, corporate_number TEXT NOT"
           " NULL, representative TEXT NOT NULL, address TEXT NOT NULL, destination_code TEXT NOT"
           " NULL, staff_count BIGINT NOT NULL, planned_nights BIGINT NOT NULL, email TEXT NOT"
           " NULL, submitted_at TEXT NOT NULL, status TEXT NOT NULL, eligibility_note TEXT NOT"
           " NULL, report TEXT NOT NULL, subsidy_yen BIGINT, report_url TEXT NOT NULL);"
           "CREATE TABLE workation_draw (fiscal_year BIGINT PRIMARY KEY, seed TEXT NOT NULL,"
           " places BIGINT NOT NULL, tickets TEXT NOT NULL, drawn_at TEXT NOT NULL, drawn_by TEXT"
           " NOT NULL);"
           "CREATE TABLE partners_audit (at TEXT NOT NULL, user_login TEXT NOT NULL,"
           " action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
           " after_value TEXT NOT NULL)"},
          // The lottery's seed is drawn and its SHA-256 published before the window closes; the
          // seed is read only by the draw, which copies it and the commitment into the record.
          // Draws made before this migration keep an empty commitment and are shown as such.
          {2, "workation lottery: seed committed before the application window closes",
           "CREATE TABLE workation_seed (fiscal_year BIGINT PRIMARY KEY, seed TEXT NOT NULL,"
           " commitment TEXT NOT NULL, committed_at TEXT NOT NULL, committed_by TEXT NOT NULL);"
           "ALTER TABLE workation_draw ADD COLUMN commitment TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE workation_draw ADD COLUMN committed_at TEXT NOT NULL DEFAULT ''"},
          // One application per business per fiscal year, held by the database. Rows already
          // stored get no key here (NULLs never collide, so duplicates cannot fail the
          // migration); KeyEarlierApplications gives them their keys at the next start and marks
          // the duplicates (duplicate_of), since the name's folding (NFKC) is not SQL.
          {3, "workation: one application per business and fiscal year",
           "ALTER TABLE workation_application ADD COLUMN business_key TEXT;"
           "ALTER TABLE workation_application ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT '';"
           "CREATE UNIQUE INDEX workation_application_one_per_business ON workation_application"
           " (fiscal_year, business_key)"},
          {4, "audit records numbered, for the audit page's cursor (older records in time order)",
           "CREATE TABLE partners_audit_numbered (id {{id}}, at TEXT NOT NULL, user_login TEXT"
           " NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, before_value TEXT NOT NULL,"
           " after_value TEXT NOT NULL);"
           "INSERT INTO partners_audit_numbered (at, user_login, action, entity, before_value,"
           " after_value) SELECT at, user_login, action, entity, before_value, after_value FROM"
           " partners_audit ORDER BY at;"
           "DROP TABLE partners_audit;"
           "ALTER TABLE partners_audit_numbered RENAME TO partners_audit"},
      }};
}

// Each shipped record is looked for by its own key and added when missing, so whatever the
// database already holds (partners imported from a CSV, a programme saved by staff) neither stops
// the rest from loading nor is overwritten, and a second load adds nothing: partners by code,
// agreements by partner, type and title, published counts by type, exchanges by partner, title and
// date, marché dates by title and date, the programme by fiscal year.
Status LoadShippedPartners(storage::Database& database, std::string_view json_text) {
  json data = json::parse(json_text, nullptr, false);
  if (data.is_discarded()) return Status::Internal("partners.json is not JSON");
  for (const json& item : data["partners"]) {
    Result<std::string> code = ValidateLocalGovernmentCode(item.value("code", ""));
    if (!code.ok()) return Status::Internal("partners.json: " + code.status().ToString());
  }
  return database.Transaction([&](storage::Connection& connection) -> Status {
    // Runs `insert` unless `present` (a SELECT with the record's key) finds a row.
    auto add_missing = [&](std::string_view present, const std::vector<storage::Value>& key,
                           std::string_view insert,
                           const std::vector<storage::Value>& values) -> Result<bool> {
      CIVICDESK_ASSIGN_OR_RETURN(storage::QueryResult found, connection.Query(present, key));
      if (!found.empty()) return false;
      CIVICDESK_RETURN_IF_ERROR(connection.Query(insert, values).status());
      return true;
    };
    for (const json& item : data["partners"]) {
      const std::string code = item.value("code", "");
      const std::string prefecture = item.value("prefecture", "");
      const std::string name = item.value("name", "");
      CIVICDESK_ASSIGN_OR_RETURN(
          bool added,
          add_missing("SELECT 1 FROM partner WHERE code = ?", {code},
                      "INSERT INTO partner (code, prefecture, name, note) VALUES (?, ?, ?, ?)",
                      {code, prefecture, name, item.value("note", "")}));
      if (added)
        CIVICDESK_RETURN_IF_ERROR(
            Audit(connection, "system", "partner", code, "", prefecture + name));
    }
    for (const json& item : data["agreements"]) {
      const std::string partner = item.value("partner", ""), type = item.value("type", ""),
                        title = item.value("title", "");
      CIVICDESK_RETURN_IF_ERROR(
          add_missing("SELECT 1 FROM partner_agreement WHERE partner_code = ? AND type = ? AND"
                      " title = ?",
                      {partner, type, title},
                      "INSERT INTO partner_agreement (partner_code, type, title, signed_on, status,"
                      " source) VALUES (?, ?, ?, ?, ?, ?)",
                      {partner, type, title, item.value("signed_on", ""),
                       item.value("status", "active"), item.value("source", "")})
              .status());
    }
    for (const json& item : data["published_counts"]) {
      const std::string type = item.value("type", "");
      CIVICDESK_RETURN_IF_ERROR(
          add_missing("SELECT 1 FROM partner_published_count WHERE type = ?", {type},
                      "INSERT INTO partner_published_count (type, title, count, as_of) VALUES"
                      " (?, ?, ?, ?)",
                      {type, item.value("title", type), item.value("count", int64_t{0}),
                       item.value("as_of", "")})
              .status());
    }
    for (const json& item : data["exchanges"]) {
      const std::string partner = item.value("partner", ""), title = item.value("title", ""),
                        on = item.value("on", "");
      CIVICDESK_RETURN_IF_ERROR(
          add_missing("SELECT 1 FROM partner_exchange WHERE partner_code = ? AND title = ? AND"
                      " happened_on = ?",
                      {partner, title, on},
                      "INSERT INTO partner_exchange (partner_code, office, title, happened_on,"
                      " source) VALUES (?, ?, ?, ?, ?)",
                      {partner, item.value("office", ""), title, on, item.value("source", "")})
              .status());
    }
    for (const json& item : data["events"]) {
      const std::string title = item.value("title", ""), date = item.value("date", "");
      CIVICDESK_RETURN_IF_ERROR(
          add_missing("SELECT 1 FROM partner_event WHERE title = ? AND event_date = ?",
                      {title, date},
                      "INSERT INTO partner_event (title, event_date, planned, venue, address,"
                      " opens, closes, stalls, participants_text, participants) VALUES"
                      " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {title, date, int64_t{item.value("planned", false) ? 1 : 0},
                       item.value("venue", ""), item.value("address", ""), item.value("opens", ""),
                       item.value("closes", ""), item.value("stalls", ""),
                       item.value("participants_text", ""), item["participants"].dump()})
              .status());
    }
    const Programme programme = ProgrammeFromJson(data["workation"]);
    return add_missing("SELECT 1 FROM workation_programme WHERE fiscal_year = ?",
                       {int64_t{programme.fiscal_year}},
                       "INSERT INTO workation_programme (fiscal_year, body) VALUES (?, ?)",
                       {int64_t{programme.fiscal_year}, ProgrammeToJson(programme).dump()})
        .status();
  });
}

Status ImportPartners(storage::Database& database, const std::vector<Partner>& partners,
                      const std::vector<Agreement>& agreements, const std::string& user) {
  return database.Transaction([&](storage::Connection& connection) -> Status {
    for (const Partner& partner : partners) {
      Result<storage::QueryResult> written = connection.Query(
          "INSERT INTO partner (code, prefecture, name, note) VALUES (?, ?, ?, ?) ON CONFLICT"
          " (code) DO UPDATE SET prefecture = excluded.prefecture, name = excluded.name,"
          " note = excluded.note",
          {partner.code, partner.prefecture, partner.name, partner.note});
      if (!written.ok()) return written.status();
      if (Status audited = Audit(connection, user, "partner", partner.code, "",
                                 partner.prefecture + partner.name);
          !audited.ok())
        return audited;
    }
    for (const Agreement& agreement : agreements) {
      Result<storage::QueryResult> written = connection.Query(
          "INSERT INTO partner_agreement (partner_code, type, title, signed_on, status, source)"
          " VALUES (?, ?, ?, ?, ?, ?)",
          {agreement.partner_code, agreement.type, agreement.title, agreement.signed_on,
           agreement.status, agreement.source});
      if (!written.ok()) return written.status();
    }
    return Status::Ok();
  });
}

namespace {

// ISO 8601 at year (2008), month (2016-04) or day (2014-10-31) precision; empty when allowed.
bool IsPartialIsoDate(const std::string& text, bool allow_empty) {
  if (text.empty()) return allow_empty;
  if (text.size() == 10) return ParseIsoDate(text).ok();
  auto digits = [&](size_t from, size_t count) {
    for (size_t i = from; i < from + count; ++i)
      if (text[i] < '0' || text[i] > '9') return false;
    return true;
  };
  if (text.size() == 4) return digits(0, 4);
  if (text.size() == 7 && text[4] == '-' && digits(0, 4) && digits(5, 2)) {
    const int month = std::atoi(text.c_str() + 5);
    return month >= 1 && month <= 12;
  }
  return false;
}

Status RequireRegisteredPartner(storage::Connection& connection, const std::string& code) {
  Result<std::string> valid = ValidateLocalGovernmentCode(code, "partner_code");
  if (!valid.ok()) return valid.status();
  Result<storage::QueryResult> found =
      connection.Query("SELECT 1 FROM partner WHERE code = ?", {*valid});
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return Status::InvalidArgument("partners.partner_not_registered", {{"code", code}},
                                   "partner_code");
  }
  return Status::Ok();
}

}  // namespace

Status AddExchange(storage::Database& database, const Exchange& exchange, const std::string& user) {
  static const std::vector<std::string> offices = {"芝",   "麻布",     "赤坂",
                                                   "高輪", "芝浦港南", "本庁"};
  if (std::find(offices.begin(), offices.end(), exchange.office) == offices.end())
    return Status::InvalidArgument("partners.office_invalid", "office");
  if (Trim(exchange.title).empty() || exchange.title.size() > 1000)
    return Status::InvalidArgument("partners.exchange_title_required", "title");
  if (!IsPartialIsoDate(exchange.on, true))
    return Status::InvalidArgument("partners.exchange_date_invalid", "on");
  return database.Transaction([&](storage::Connection& connection) -> Status {
    if (Status known = RequireRegisteredPartner(connection, exchange.partner_code); !known.ok())
      return known;
    Result<storage::QueryResult> written = connection.Query(
        "INSERT INTO partner_exchange (partner_code, office, title, happened_on, source) VALUES "
        "(?, ?, ?, ?, ?)",
        {exchange.partner_code, exchange.office, Trim(exchange.title), exchange.on,
         exchange.source});
    if (!written.ok()) return written.status();
    return Audit(connection, user, "exchange", "partner " + exchange.partner_code, "",
                 exchange.office + " " + exchange.title);
  });
}

Status AddAgreement(storage::Database& database, const Agreement& agreement,
                    const std::string& user) {
  if (Trim(agreement.type).empty() || agreement.type.size() > 200)
    return Status::InvalidArgument("partners.agreement_type_required", "type");
  if (Trim(agreement.title).empty() || agreement.title.size() > 1000)
    return Status::InvalidArgument("partners.agreement_title_required", "title");
  if (!IsPartialIsoDate(agreement.signed_on, false))
    return Status::InvalidArgument("partners.signed_on_invalid", "signed_on");
  if (agreement.status != "active" && agreement.status != "ended")
    return Status::InvalidArgument("partners.agreement_status_invalid", "status");
  return database.Transaction([&](storage::Connection& connection) -> Status {
    if (Status known = RequireRegisteredPartner(connection, agreement.partner_code); !known.ok())
      return known;
    Result<storage::QueryResult> written = connection.Query(
        "INSERT INTO partner_agreement (partner_code, type, title, signed_on, status, source)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {agreement.partner_code, Trim(agreement.type), Trim(agreement.title), agreement.signed_on,
         agreement.status, agreement.source});
    if (!written.ok()) return written.status();
    return Audit(connection, user, "agreement", "partner " + agreement.partner_code, "",
                 agreement.type + " " + agreement.signed_on);
  });
}

Result<std::vector<Partner>> ListPartners(storage::Database& database) {
  Result<storage::QueryResult> rows =
      database.Query("SELECT code, prefecture, name, note FROM partner ORDER BY code");
  if (!rows.ok()) return rows.status();
  std::vector<Partner> partners;
  for (const auto& row : rows->rows)
    partners.push_back({AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3])});
  return partners;
}

Result<std::vector<Agreement>> ListAgreements(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT partner_code, type, title, signed_on, status, source FROM partner_agreement"
      " ORDER BY signed_on, partner_code");
  if (!rows.ok()) return rows.status();
  std::vector<Agreement> agreements;
  for (const auto& row : rows->rows) {
    agreements.push_back({AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3]),
                          AsText(row[4]), AsText(row[5])});
  }
  return agreements;
}

Result<std::vector<PublishedCount>> ListPublishedCounts(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT type, title, count, as_of FROM partner_published_count ORDER BY count DESC");
  if (!rows.ok()) return rows.status();
  std::vector<PublishedCount> counts;
  for (const auto& row : rows->rows)
    counts.push_back(
        {AsText(row[0]), AsText(row[1]), static_cast<int>(AsInt(row[2])), AsText(row[3])});
  return counts;
}

Result<std::vector<Exchange>> ListExchanges(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT partner_code, office, title, happened_on, source FROM partner_exchange ORDER BY id");
  if (!rows.ok()) return rows.status();
  std::vector<Exchange> exchanges;
  for (const auto& row : rows->rows) {
    exchanges.push_back(
        {AsText(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3]), AsText(row[4])});
  }
  return exchanges;
}

Result<std::vector<Event>> ListEvents(storage::Database& database) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT id, title, event_date, planned, venue, address, opens, closes, stalls,"
      " participants_text, participants FROM partner_event ORDER BY event_date, id");
  if (!rows.ok()) return rows.status();
  std::vector<Event> events;
  for (const auto& row : rows->rows) {
    Event event;
    event.id = AsInt(row[0]);
    event.title = AsText(row[1]);
    event.date = AsText(row[2]);
    event.planned = AsInt(row[3]) == 1;
    event.venue = AsText(row[4]);
    event.address = AsText(row[5]);
    event.opens = AsText(row[6]);
    event.closes = AsText(row[7]);
    event.stalls = AsText(row[8]);
    event.participants_text = AsText(row[9]);
    json codes = json::parse(AsText(row[10], "[]"), nullptr, false);
    if (codes.is_array())
      for (const json& code : codes)
        if (code.is_string()) event.participants.push_back(code.get<std::string>());
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::vector<Programme>> ListProgrammes(storage::Database& database) {
  Result<storage::QueryResult> rows =
      database.Query("SELECT body FROM workation_programme ORDER BY fiscal_year DESC");
  if (!rows.ok()) return rows.status();
  std::vector<Programme> programmes;
  for (const auto& row : rows->rows)
    programmes.push_back(ProgrammeFromJson(json::parse(AsText(row[0]), nullptr, false)));
  return programmes;
}

Result<Programme> FindProgramme(storage::Database& database, int fiscal_year) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT body FROM workation_programme WHERE fiscal_year = ?", {int64_t{fiscal_year}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return Status::NotFound("partners.programme_not_found",
                            {{"year", std::to_string(fiscal_year)}});
  }
  return ProgrammeFromJson(json::parse(AsText(rows->rows[0][0]), nullptr, false));
}

Status SaveProgramme(storage::Database& database, const Programme& programme,
                     const std::string& user, Date today) {
  Result<Date> opens = ParseIsoDate(programme.opens);
  if (!opens.ok()) return Status::InvalidArgument("partners.opens_invalid", "opens");
  Result<Date> closes = ParseIsoDate(programme.closes);
  if (!closes.ok()) return Status::InvalidArgument("partners.closes_invalid", "closes");
  if (*closes < *opens) return Status::InvalidArgument("partners.closes_before_opens", "closes");
  if (programme.fiscal_year < 2000 || programme.fiscal_year > 2200)
    return Status::InvalidArgument("partners.fiscal_year_invalid", "fiscal_year");
  if (programme.places && (*programme.places < 1 || *programme.places > 100000))
    return Status::InvalidArgument("partners.places_invalid", "places");
  if (programme.budget_yen && *programme.budget_yen < 0)
    return Status::InvalidArgument("partners.budget_negative", "budget_yen");
  return database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> old =
        connection.Query("SELECT body FROM workation_programme WHERE fiscal_year = ?",
                         {int64_t{programme.fiscal_year}});
    if (!old.ok()) return old.status();
    const std::string body = ProgrammeToJson(programme).dump();
    Result<storage::QueryResult> written = connection.Query(
        "INSERT INTO workation_programme (fiscal_year, body) VALUES (?, ?) ON CONFLICT"
        " (fiscal_year) DO UPDATE SET body = excluded.body",
        {int64_t{programme.fiscal_year}, body});
    if (!written.ok()) return written.status();
    CIVICDESK_RETURN_IF_ERROR(Audit(connection, user, "programme",
                                    "workation " + std::to_string(programme.fiscal_year),
                                    old->empty() ? "" : AsText(old->rows[0][0]), body));
    // The lottery's seed is drawn now, while the window is open or to come; a commitment once
    // made is kept whatever the window later becomes.
    if (*closes < today) return Status::Ok();
    return internal::CommitSeedIn(connection, programme.fiscal_year, user).status();
  });
}

Result<std::vector<Application>> ListApplications(storage::Database& database, int fiscal_year) {
  Result<storage::QueryResult> rows =
      database.Query(std::string("SELECT ") + kApplicationColumns +
                         " FROM workation_application WHERE fiscal_year = ? ORDER BY id",
                     {int64_t{fiscal_year}});
  if (!rows.ok()) return rows.status();
  std::vector<Application> applications;
  for (const auto& row : rows->rows) applications.push_back(ApplicationFromRow(row));
  return applications;
}

Result<Application> FindApplication(storage::Database& database, int64_t id) {
  Result<storage::QueryResult> rows = database.Query(
      std::string("SELECT ") + kApplicationColumns + " FROM workation_application WHERE id = ?",
      {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("partners.application_not_found");
  return ApplicationFromRow(rows->rows[0]);
}

Status ApproveApplication(storage::Database& database, int64_t id, const std::string& user) {
  return Step(database, id, ApplicationStatus::kSelected, ApplicationStatus::kApproved, user,
              "approve");
}

Result<SubsidyEstimate> ReportExpenses(storage::Database& database, int64_t id,
                                       const std::vector<StaffExpense>& staff,
                                       const std::string& user) {
  Result<Application> application = FindApplication(database, id);
  if (!application.ok()) return application.status();
  Result<Programme> programme = FindProgramme(database, application->fiscal_year);
  if (!programme.ok()) return programme.status();
  Result<SubsidyEstimate> estimate = EstimateSubsidy(staff, programme->rules);
  if (!estimate.ok()) return estimate.status();
  Status stepped =
      Step(database, id, ApplicationStatus::kApproved, ApplicationStatus::kReported, user, "report",
           ", report = ?, subsidy_yen = ?", {ReportJson(staff), estimate->subsidy_yen});
  if (!stepped.ok()) return stepped;
  return estimate;
}

Status PublishExperienceReport(storage::Database& database, int64_t id, const std::string& url,
                               const std::string& user) {
  const std::string trimmed = Trim(url);
  if ((trimmed.rfind("https://", 0) != 0 && trimmed.rfind("http://", 0) != 0) ||
      trimmed.size() > 1000 || trimmed.find_first_of(" \"<>") != std::string::npos) {
    return Status::InvalidArgument("partners.report_url_invalid", "report_url");
  }
  return Step(database, id, ApplicationStatus::kReported, ApplicationStatus::kPublished, user,
              "publish_report", ", report_url = ?", {trimmed});
}

Result<std::vector<http::AuditEntry>> PartnersAuditTrail(storage::Database& database,
                                                         const http::AuditQuery& query) {
  const auto [sql, params] = http::AuditTrailStatement(
      "SELECT at, user_login, action, entity, before_value, after_value, id FROM partners_audit",
      query);
  Result<storage::QueryResult> rows = database.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows->rows) {
    entries.push_back({AsText(row[0]), AsText(row[1]), "partners", AsText(row[2]), AsText(row[3]),
                       AsText(row[4]), AsText(row[5]), storage::AsInt(row[6])});
  }
  return entries;
}

}  // namespace civicdesk::partners
