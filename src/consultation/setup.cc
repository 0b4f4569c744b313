#include "consultation/setup.h"

#include <algorithm>
#include <charconv>

#include "consultation/model.h"
#include "consultation/publishing.h"
#include "core/date.h"
#include "core/text_normalize.h"
#include "core/wareki.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Connection;
using storage::QueryResult;

constexpr int kPolicyCount = 26;
constexpr int64_t kMaxAttendees = 100000;
constexpr size_t kMaxVenueBytes = 600;

Result<Date> ParseMeetingDate(const std::string& text) {
  std::string normalized = TrimSpaces(NormalizeNfkc(text));
  if (Result<Date> iso = ParseIsoDate(normalized); iso.ok()) return iso;
  Result<Date> wareki = ParseWarekiDate(normalized);
  if (wareki.ok()) return wareki;
  return Status::InvalidArgument("consultation.meeting_date_invalid", "held_on");
}

// "24", "24-1", "24-1-1" or "24-0-1", each number without leading zeros and the policy
// within 1–26.
bool ParsePlanCode(std::string_view code, std::vector<int>& parts) {
  parts.clear();
  size_t start = 0;
  while (start <= code.size()) {
    size_t end = code.find('-', start);
    if (end == std::string_view::npos) end = code.size();
    std::string_view part = code.substr(start, end - start);
    int value = 0;
    auto [last, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 2 || (part.size() > 1 && part[0] == '0') ||
        error != std::errc() || last != part.data() + part.size()) {
      return false;
    }
    parts.push_back(value);
    start = end + 1;
  }
  // Measure 0 holds a policy's own indicators: it appears only in an indicator code (24-0-1).
  const bool measure_ok = parts.size() < 2 || parts[1] > 0 || parts.size() == 3;
  const bool indicator_ok = parts.size() < 3 || parts[2] > 0;
  return parts.size() <= 3 && parts[0] >= 1 && parts[0] <= kPolicyCount && measure_ok &&
         indicator_ok;
}

}  // namespace

Result<int64_t> AddMeeting(storage::Database& database, int64_t consultation_id,
                           const Meeting& meeting, const Actor& actor) {
  Result<Date> held_on = ParseMeetingDate(meeting.held_on);
  if (!held_on.ok()) return held_on.status();
  if (std::find(kDistricts.begin(), kDistricts.end(), meeting.district) == kDistricts.end()) {
    return Status::InvalidArgument("consultation.meeting_district_invalid", "district");
  }
  const std::string venue = TrimSpaces(meeting.venue);
  if (venue.empty() || venue.size() > kMaxVenueBytes || !IsValidUtf8(venue)) {
    return Status::InvalidArgument("consultation.venue_required", "venue");
  }
  if (meeting.attendees < 0 || meeting.attendees > kMaxAttendees) {
    return Status::InvalidArgument("consultation.attendees_invalid", "attendees");
  }
  Result<Consultation> consultation = GetConsultation(database, consultation_id);
  if (!consultation.ok()) return consultation.status();
  if (consultation->kind != "consultation") {
    return Status::InvalidArgument("consultation.voice_has_no_meetings", "consultation");
  }
  // Meetings are counted in the published result: once published, it keeps its counts.
  CIVICDESK_RETURN_IF_ERROR(
      RefuseIfConsultationPublished(database, consultation_id, "consultation.meetings_published"));
  int64_t id = 0;
  Status stored = database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> inserted = connection.Query(
        "INSERT INTO consultation_meeting (consultation_id, held_on, district, venue, attendees)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        {consultation_id, FormatIsoDate(*held_on), meeting.district, venue, meeting.attendees});
    if (!inserted.ok()) return inserted.status();
    id = AsInt(inserted->rows[0][0]);
    return Audit(connection, actor, "add_meeting", "consultation", consultation_id, "",
                 FormatIsoDate(*held_on) + " " + meeting.district + " " + venue + " " +
                     std::to_string(meeting.attendees));
  });
  if (!stored.ok()) return stored;
  return id;
}

Result<std::vector<Meeting>> ListMeetings(storage::Database& database, int64_t consultation_id) {
  Result<QueryResult> rows = database.Query(
      "SELECT id, held_on, district, venue, attendees FROM consultation_meeting"
      " WHERE consultation_id = ? ORDER BY held_on, id",
      {consultation_id});
  if (!rows.ok()) return rows.status();
  std::vector<Meeting> meetings;
  for (const auto& row : rows->rows) {
    meetings.push_back(
        {AsInt(row[0]), AsText(row[1]), AsText(row[2]), AsText(row[3]), AsInt(row[4])});
  }
  return meetings;
}

Result<std::vector<PlanLink>> ParsePlanRefs(std::string_view plan_refs) {
  std::string text = NormalizeNfkc(plan_refs);
  auto replace_all = [&text](std::string_view from, std::string_view to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  for (std::string_view separator : {"、", ","}) replace_all(separator, " ");
  // Dashes a Japanese IME produces that NFKC leaves alone (minus sign, en dash, 長音符, ...).
  for (std::string_view dash : {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "ー"})
    replace_all(dash, "-");
  std::vector<PlanLink> links;
  std::vector<int> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(" \t\r\n", start);
    if (end == std::string::npos) end = text.size();
    std::string code = text.substr(start, end - start);
    start = end + 1;
    if (code.empty()) continue;
    if (!ParsePlanCode(code, parts)) {
      return Status::InvalidArgument("consultation.plan_ref_invalid", {{"code", code}},
                                     "plan_refs");
    }
    if (std::any_of(links.begin(), links.end(),
                    [&](const PlanLink& link) { return link.code == code; })) {
      continue;
    }
    std::string href = "/plan/policies/" + std::to_string(parts[0]);
    if (parts.size() >= 2 && parts[1] > 0) href += "/measures/" + std::to_string(parts[1]);
    links.push_back({code, href});
  }
  return links;
}

Status LinkFieldToPlan(storage::Database& database, int64_t consultation_id, int64_t field_id,
                       std::string_view plan_refs, const Actor& actor) {
  Result<std::vector<PlanLink>> links = ParsePlanRefs(plan_refs);
  if (!links.ok()) return links.status();
  std::string stored;
  for (const PlanLink& link : *links) stored += (stored.empty() ? "" : " ") + link.code;
  return database.Transaction([&](Connection& connection) -> Status {
    Result<QueryResult> field = connection.Query(
        "SELECT label, plan_ref FROM consultation_field WHERE id = ? AND consultation_id = ?",
        {field_id, consultation_id});
    if (!field.ok()) return field.status();
    if (field->empty()) {
      return Status::NotFound("consultation.field_not_found", {{"id", std::to_string(field_id)}});
    }
    Result<QueryResult> updated = connection.Query(
        "UPDATE consultation_field SET plan_ref = ? WHERE id = ?", {stored, field_id});
    if (!updated.ok()) return updated.status();
    return Audit(connection, actor, "link_plan", "consultation_field", field_id,
                 AsText(field->rows[0][1]), stored);
  });
}

}  // namespace civicdesk::consultation
