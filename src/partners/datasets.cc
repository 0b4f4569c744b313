#include <cstdint>
#include <optional>

#include "core/date.h"
#include "core/number_format.h"
#include "http/table_response.h"
#include "partners/handlers.h"
#include "partners/icalendar.h"
#include "partners/schedule.h"
#include "partners/views.h"

namespace civicdesk::partners {
namespace {

using http::RequestContext;
using http::Response;

// The year's applications (?year=, the current programme's by default), one row each, read
// while the file is sent.
Result<Response> ApplicationsDownload(RequestContext& context, http::TableFormat format) {
  CIVICDESK_ASSIGN_OR_RETURN(Programme current, CurrentProgramme(context.app().database()));
  CIVICDESK_ASSIGN_OR_RETURN(int year, YearParam(context, current.fiscal_year));
  http::Table table;
  table.columns = {"number",           "fiscal_year", "business_name",    "corporate_number",
                   "representative",   "address",     "destination_code", "staff_count",
                   "planned_nights",   "email",       "submitted_at",     "status",
                   "eligibility_note", "subsidy_yen", "report_url"};
  table.number_columns = {"fiscal_year", "staff_count", "planned_nights", "subsidy_yen"};
  table.sheet_name = context.Message("partners.applications_sheet");
  table.rows = [&app = context.app(), year](const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Application> applications,
                               ListApplications(app.database(), year));
    for (const Application& a : applications) {
      CIVICDESK_RETURN_IF_ERROR(
          write({a.number, std::to_string(a.fiscal_year), a.business_name, a.corporate_number,
                 a.representative, a.address, a.destination_code, std::to_string(a.staff_count),
                 std::to_string(a.planned_nights), a.email, a.submitted_at,
                 std::string(StatusKey(a.status)), a.eligibility_note,
                 a.subsidy_yen ? std::to_string(*a.subsidy_yen) : "", a.report_url}));
    }
    return Status::Ok();
  };
  return http::TableResponse(std::move(table), format, "workation-applications");
}

http::PublicDataset PartnersDataset() {
  http::PublicDataset partners;
  partners.id = "partner-municipalities";
  partners.title = "全国連携の連携自治体（台帳登録分）";
  partners.title_en = "Partner municipalities (registered)";
  partners.description =
      "港区と連携する自治体のうち台帳に登録したものの全国地方公共団体コード、都道府県、名称、協定。"
      "『港区の全国連携』（令和5(2023)年12月1日）が名前を挙げた自治体を読み込んでいます"
      "（連携自治体は同日時点で303）。";
  partners.tags = {"全国連携", "連携自治体"};
  partners.columns = {"連携自治体コード", "都道府県", "名称", "協定"};
  partners.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Partner> list, ListPartners(app.database()));
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Agreement> agreements, ListAgreements(app.database()));
    for (const Partner& partner : list) {
      std::string types;
      for (const Agreement& agreement : agreements)
        if (agreement.partner_code == partner.code)
          types += (types.empty() ? "" : "、") + agreement.type;
      CIVICDESK_RETURN_IF_ERROR(write({partner.code, partner.prefecture, partner.name, types}));
    }
    return Status::Ok();
  };
  return partners;
}

// The marché in the standard イベント一覧 (the dataset is in Japanese, like its column names).
http::PublicDataset EventsDataset() {
  http::PublicDataset events;
  events.id = "partner-events";
  events.title = "全国連携マルシェの開催日程";
  events.title_en = "National partnership marché events";
  events.description = "全国連携マルシェin芝浦の開催日、会場、時間、参加自治体等。";
  events.tags = {"全国連携", "イベント"};
  events.standard = "イベント一覧";
  events.columns = {"イベント名", "開始日",   "終了日", "開始時間",
                    "終了時間",   "場所名称", "住所",   "説明"};
  events.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    CIVICDESK_ASSIGN_OR_RETURN(std::vector<Event> list, ListEvents(app.database()));
    const Date today = TodayInJapan();
    for (const Event& event : list) {
      // （予定）, tentative, only while the date is still to come (as /partners/marche says).
      const bool tentative = event.planned && TimingOf(event, today) != EventTiming::kHeld;
      CIVICDESK_RETURN_IF_ERROR(write({event.title + (tentative ? "（予定）" : ""), event.date,
                                       event.date, event.opens, event.closes, event.venue,
                                       event.address, "参加自治体等：" + event.participants_text}));
    }
    return Status::Ok();
  };
  return events;
}

}  // namespace

Result<Response> MarcheCalendar(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Event> events, ListEvents(context.app().database()));
  CalendarLabels labels{context.Message("partners_marche_title"),
                        context.Message("partners.ics_planned_suffix"),
                        context.Message("partners.ics_participants")};
  return http::FileResponse("text/calendar; charset=utf-8", "marche.ics",
                            [events = std::move(events), labels = std::move(labels),
                             now = NowIso8601Utc()](const http::BodyWriter& write) {
                              return WriteMarcheCalendar(events, labels, now, write);
                            });
}

// One marché date as its own calendar (/partners/marche/{event}, the segment "12.ics"): the same
// UID as in the full calendar, so a date added both ways is one event.
Result<Response> MarcheEventCalendar(RequestContext& context) {
  const std::string segment = context.request().PathParam("event");
  const size_t dot = segment.size() > 4 ? segment.size() - 4 : 0;
  const std::optional<int64_t> id =
      segment.ends_with(".ics") ? ParseWholeNumber(segment.substr(0, dot), 1) : std::nullopt;
  if (!id) return Status::NotFound("partners.event_not_found", {{"event", segment}});
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Event> events, ListEvents(context.app().database()));
  const Event* event = FindEvent(events, *id);
  if (event == nullptr) return Status::NotFound("partners.event_not_found", {{"event", segment}});
  CalendarLabels labels{context.Message("partners_marche_title"),
                        context.Message("partners.ics_planned_suffix"),
                        context.Message("partners.ics_participants")};
  return http::FileResponse(
      "text/calendar; charset=utf-8",
      "marche-" + event->date + "-" + std::to_string(event->id) + ".ics",
      [one = std::vector<Event>{*event}, labels = std::move(labels), now = NowIso8601Utc()](
          const http::BodyWriter& write) { return WriteMarcheCalendar(one, labels, now, write); });
}

Result<Response> ApplicationsCsv(RequestContext& context) {
  return ApplicationsDownload(context, http::TableFormat::kCsv);
}

Result<Response> ApplicationsXlsx(RequestContext& context) {
  return ApplicationsDownload(context, http::TableFormat::kXlsx);
}

Result<std::vector<http::PublicDataset>> Datasets(http::App&) {
  return std::vector<http::PublicDataset>{PartnersDataset(), EventsDataset()};
}

}  // namespace civicdesk::partners
