#include "consultation/consultation_module.h"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "consultation/pdf_export.h"
#include "consultation/publication.h"
#include "consultation/results_import.h"
#include "consultation/setup.h"
#include "consultation/staff_pages.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "consultation/xlsx_export.h"
#include "core/date.h"
#include "core/fiscal_year.h"
#include "core/wareki.h"
#include "embedded/consultation_data.h"
#include "embedded/consultation_files.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;
using storage::AsInt;
using storage::AsText;

Result<int64_t> IdParam(RequestContext& context, std::string_view name) {
  std::string text = context.request().PathParam(name);
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Status::InvalidArgument(
        "番号は半角数字で指定してください / must be a positive number: \"" + text + "\"",
        std::string(name));
  }
  return id;
}

std::string WarekiOf(const std::string& iso) {
  Result<Date> date = ParseIsoDate(iso.substr(0, 10));
  return date.ok() ? FormatWarekiDate(*date) : iso;
}

bool IsOpen(const Consultation& consultation) {
  std::string today = FormatIsoDate(TodayInJapan());
  return consultation.state == "open" && consultation.kind == "consultation" &&
         today >= consultation.opens_on && today <= consultation.closes_on;
}

json ConsultationView(const Consultation& consultation) {
  return {{"id", consultation.id},
          {"title", consultation.title},
          {"draft_title", consultation.draft_title},
          {"opens", WarekiOf(consultation.opens_on)},
          {"closes", WarekiOf(consultation.closes_on)},
          {"open", IsOpen(consultation)},
          {"published", consultation.state == "published"}};
}

json SummaryJson(const Summary& summary) {
  json statuses = json::array();
  for (const StatusCount& status : summary.statuses) {
    statuses.push_back({{"status", status.status},
                        {"label", std::string(kStatusLegend[status.status - 1])},
                        {"items", status.total},
                        {"public_comment", status.public_comment},
                        {"meeting", status.meeting}});
  }
  return {
      {"consultation_id", summary.consultation_id},
      {"items", summary.items},
      {"items_by_route",
       {{"public_comment", summary.items_public_comment}, {"meeting", summary.items_meeting}}},
      {"people", summary.people_public_comment + summary.people_meeting},
      {"people_by_route",
       {{"public_comment", summary.people_public_comment}, {"meeting", summary.people_meeting}}},
      {"people_by_channel", summary.people_by_channel},
      {"people_by_district", summary.people_by_district},
      {"meetings", summary.meetings},
      {"statuses", statuses},
      {"unclassified", summary.unclassified}};
}

// Settings and the actor for a request.
Actor ActorOf(RequestContext& context) {
  if (!context.principal()) return {};
  return {context.principal()->user_id, context.principal()->login};
}

// --- API ---

Response ApiSubmit(RequestContext& context) {
  bool voice = context.request().path.rfind("/api/v1/voice/", 0) == 0;
  Result<int64_t> id = voice ? VoiceDeskId(context.app().database()) : IdParam(context, "id");
  if (!id.ok()) return context.Error(id.status());
  json body = json::parse(context.request().body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return context.Error(Status::InvalidArgument(
        "JSON オブジェクトが必要です / the body must be a JSON object", "body"));
  }
  NewSubmission submission;
  for (auto [key, target] : {std::pair<const char*, std::string*>{"text", &submission.text},
                             {"channel", &submission.channel},
                             {"district", &submission.district},
                             {"relationship", &submission.relationship}}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    if (!body[key].is_string()) {
      return context.Error(Status::InvalidArgument("文字列が必要です / must be a string", key));
    }
    *target = body[key].get<std::string>();
  }
  if (!body.contains("text"))
    return context.Error(Status::InvalidArgument("text がありません / text is required", "text"));
  if (Status allowed = context.app().CheckSubmissionRate(context.request()); !allowed.ok())
    return context.Error(allowed);
  Result<Receipt> receipt =
      Submit(context.app().database(), *id, submission, Settings{}, ActorOf(context), false);
  if (!receipt.ok()) return context.Error(receipt.status());
  return context.Json(201, {{"receipt", receipt->receipt}});
}

Response ApiReceipt(RequestContext& context) {
  Result<ReceiptStatus> status =
      FindReceipt(context.app().database(), context.request().PathParam("receipt"));
  if (!status.ok()) return context.Error(status.status());
  return context.Json(200, {{"receipt", status->receipt},
                            {"consultation_id", status->consultation_id},
                            {"consultation", status->consultation_title},
                            {"received_at", status->received_at},
                            {"status", status->state},
                            {"items", status->items}});
}

Response ApiSummary(RequestContext& context) {
  Result<int64_t> id = IdParam(context, "id");
  if (!id.ok()) return context.Error(id.status());
  Result<Summary> summary = Summarize(context.app().database(), *id);
  if (!summary.ok()) return context.Error(summary.status());
  return context.Json(200, SummaryJson(*summary));
}

json MonthlyJson(const std::vector<MonthlyCount>& months) {
  json list = json::array();
  int total = 0;
  std::map<std::string, int> channels;
  for (const MonthlyCount& month : months) {
    list.push_back({{"month", month.month},
                    {"items", month.items},
                    {"by_channel", month.by_channel},
                    {"by_field", month.by_field}});
    total += month.items;
    for (const auto& [channel, count] : month.by_channel) channels[channel] += count;
  }
  json shares = json::object();
  for (const auto& [channel, count] : channels) {
    shares[channel] = total == 0 ? 0.0 : std::round(1000.0 * count / total) / 10.0;
  }
  return {{"months", list},
          {"items", total},
          {"by_channel", channels},
          {"channel_share_percent", shares}};
}

// GET /api/v1/voice/monthly?fiscal_year=2025: the desk's items per month of the 年度, by
// channel and by field, with each channel's share (seed 001: e-mail was 52.6% in 令和元年度).
Response ApiVoiceMonthly(RequestContext& context) {
  int fiscal_year = FiscalYear::Containing(TodayInJapan()).year();
  if (std::optional<std::string> requested = context.request().QueryParam("fiscal_year")) {
    auto [end, error] =
        std::from_chars(requested->data(), requested->data() + requested->size(), fiscal_year);
    if (requested->empty() || error != std::errc() ||
        end != requested->data() + requested->size() || fiscal_year < 1989 || fiscal_year > 2200) {
      return context.Error(Status::InvalidArgument(
          "年度は西暦4桁で指定してください / fiscal_year must be a year such as 2025",
          "fiscal_year"));
    }
  }
  Result<int64_t> voice = VoiceDeskId(context.app().database());
  if (!voice.ok()) return context.Error(voice.status());
  Result<std::vector<MonthlyCount>> months =
      MonthlyCounts(context.app().database(), *voice, fiscal_year);
  if (!months.ok()) return context.Error(months.status());
  json body = MonthlyJson(*months);
  body["fiscal_year"] = fiscal_year;
  body["fiscal_year_label"] = FormatWarekiFiscalYear(FiscalYear(fiscal_year));
  return context.Json(200, body);
}

// --- Public pages ---

Response ListPage(RequestContext& context) {
  Result<std::vector<Consultation>> consultations = ListConsultations(context.app().database());
  if (!consultations.ok()) return context.Error(consultations.status());
  json open = json::array();
  json published = json::array();
  for (const Consultation& consultation : *consultations) {
    if (IsOpen(consultation)) open.push_back(ConsultationView(consultation));
    if (consultation.state == "published") published.push_back(ConsultationView(consultation));
  }
  return context.Page("consultation/list", context.Message("consultations_title"),
                      {{"open", open},
                       {"has_open", !open.empty()},
                       {"published", published},
                       {"has_published", !published.empty()}});
}

// The consultation named by {id}, or the 区民の声 desk on /voice.
Result<Consultation> PageConsultation(RequestContext& context) {
  if (context.request().path.rfind("/voice", 0) == 0) {
    Result<int64_t> voice = VoiceDeskId(context.app().database());
    if (!voice.ok()) return voice.status();
    return GetConsultation(context.app().database(), *voice);
  }
  Result<int64_t> id = IdParam(context, "id");
  if (!id.ok()) return id.status();
  Result<Consultation> consultation = GetConsultation(context.app().database(), *id);
  if (consultation.ok() && consultation->kind != "consultation") {
    return Status::NotFound("意見募集 " + std::to_string(*id) + " はありません / no consultation " +
                            std::to_string(*id));
  }
  return consultation;
}

Response DetailPage(RequestContext& context, const Status& error = Status::Ok(),
                    const std::map<std::string, std::string>& form = {}) {
  Result<Consultation> consultation = PageConsultation(context);
  if (!consultation.ok()) return context.Error(consultation.status());
  bool voice = consultation->kind == "voice";
  json relationships = json::array();
  auto value = [&](const std::string& key) {
    auto found = form.find(key);
    return found == form.end() ? std::string() : found->second;
  };
  for (std::string_view relationship : kRelationships) {
    relationships.push_back(
        {{"value", std::string(relationship)}, {"checked", value("relationship") == relationship}});
  }
  json data = ConsultationView(*consultation);
  data["consultation"] = ConsultationView(*consultation);
  data["voice"] = voice;
  if (voice) {
    data["consultation"]["open"] = true;
    data["consultation"]["title"] = context.Message("voice_title");
  }
  data["form_action"] = voice ? std::string("/voice/opinions")
                              : "/consultations/" + std::to_string(consultation->id) + "/opinions";
  data["relationships"] = relationships;
  if (!voice) {
    storage::Database& database = context.app().database();
    Result<std::vector<Meeting>> meetings = ListMeetings(database, consultation->id);
    if (!meetings.ok()) return context.Error(meetings.status());
    json meeting_rows = json::array();
    for (const Meeting& meeting : *meetings) {
      meeting_rows.push_back({{"held_on", WarekiOf(meeting.held_on)},
                              {"district", meeting.district},
                              {"venue", meeting.venue}});
    }
    data["meetings"] = meeting_rows;
    data["has_meetings"] = !meeting_rows.empty();
    Result<std::vector<FieldOption>> fields = ListFields(database, consultation->id);
    if (!fields.ok()) return context.Error(fields.status());
    json field_rows = json::array();
    for (const FieldOption& field : *fields) {
      if (field.label == kNoField) continue;
      json links = json::array();
      if (Result<std::vector<PlanLink>> parsed = ParsePlanRefs(field.plan_ref); parsed.ok()) {
        for (const PlanLink& link : *parsed)
          links.push_back({{"code", link.code}, {"href", link.href}});
      }
      field_rows.push_back({{"label", field.label}, {"links", links}});
    }
    data["fields"] = field_rows;
  }
  data["form"] = {{"text", value("text")},
                  {"contact_name", value("contact_name")},
                  {"contact_email", value("contact_email")},
                  {"contact_phone", value("contact_phone")},
                  {"contact_address", value("contact_address")}};
  if (!error.ok()) data["error"] = {{"message", error.message()}, {"field", error.field()}};
  return context.Page("consultation/detail",
                      voice ? context.Message("voice_title") : consultation->title, data,
                      error.ok() ? 200 : HttpStatusFor(error.code()));
}

Response SubmitForm(RequestContext& context) {
  Result<Consultation> target = PageConsultation(context);
  if (!target.ok()) return context.Error(target.status());
  const int64_t* id = &target->id;
  std::map<std::string, std::string> form = context.request().Form();
  if (!form["website"].empty()) {
    // The honeypot field is hidden from people; only robots fill it in.
    return context.Error(
        Status::InvalidArgument("送信できませんでした / the submission was refused", "website"));
  }
  if (Status allowed = context.app().CheckSubmissionRate(context.request()); !allowed.ok())
    return context.Error(allowed);
  NewSubmission submission;
  submission.text = form["text"];
  submission.relationship = form["relationship"];
  submission.contact_name = form["contact_name"];
  submission.contact_email = form["contact_email"];
  submission.contact_phone = form["contact_phone"];
  submission.contact_address = form["contact_address"];
  Result<Receipt> receipt =
      Submit(context.app().database(), *id, submission, Settings{}, ActorOf(context), false);
  if (!receipt.ok()) return DetailPage(context, receipt.status(), form);
  Result<Consultation> consultation = GetConsultation(context.app().database(), *id);
  return context.Page(
      "consultation/receipt", context.Message("receipt_title"),
      {{"receipt", receipt->receipt},
       {"consultation", consultation.ok() ? ConsultationView(*consultation) : json::object()}},
      201);
}

Response ReceiptLookup(RequestContext& context) {
  std::optional<std::string> number = context.request().QueryParam("number");
  json data = {{"number", number.value_or("")}};
  int status_code = 200;
  if (number && !number->empty()) {
    Result<ReceiptStatus> status = FindReceipt(context.app().database(), *number);
    if (status.ok()) {
      data["found"] = {{"receipt", status->receipt},
                       {"consultation", status->consultation_title},
                       {"received", FormatWarekiTimestamp(status->received_at)},
                       {"state_label", context.Message("receipt_state_" + status->state)},
                       {"items", status->items}};
    } else {
      data["error"] = status.status().message();
      status_code = HttpStatusFor(status.status().code());
    }
  }
  return context.Page("consultation/receipt_lookup", context.Message("receipt_lookup_title"), data,
                      status_code);
}

json ResultView(RequestContext& context, const Consultation& consultation, const Summary& summary,
                const std::vector<PublishedRow>& rows) {
  json channels = json::array();
  for (std::string_view channel : kPublicCommentChannels) {
    channels.push_back({{"name", std::string(channel)},
                        {"people", summary.people_by_channel.at(std::string(channel))}});
  }
  json districts = json::array();
  for (std::string_view district : kDistricts) {
    districts.push_back({{"name", std::string(district)},
                         {"people", summary.people_by_district.at(std::string(district))}});
  }
  json statuses = json::array();
  for (const StatusCount& status : summary.statuses) {
    statuses.push_back({{"status", status.status},
                        {"label", std::string(kStatusLegend[status.status - 1])},
                        {"total", status.total},
                        {"public_comment", status.public_comment},
                        {"meeting", status.meeting}});
  }
  json table = json::array();
  for (const PublishedRow& row : rows) {
    table.push_back({{"number", row.number},
                     {"fields", row.fields},
                     {"opinion", row.opinion},
                     {"channel", row.channel},
                     {"departments", row.departments},
                     {"sections", row.sections},
                     {"response", row.response},
                     {"status", row.status ? std::to_string(*row.status) : ""},
                     {"truncated", row.response_truncated}});
  }
  json legend = json::array();
  for (size_t i = 0; i < kStatusLegend.size(); ++i) {
    legend.push_back({{"status", i + 1}, {"label", std::string(kStatusLegend[i])}});
  }
  return {{"consultation", ConsultationView(consultation)},
          {"period",
           WarekiOf(consultation.opens_on) + "から" + WarekiOf(consultation.closes_on) + "まで"},
          {"has_period", !consultation.opens_on.empty()},
          {"meeting_period", WarekiOf(consultation.meetings_from) + "から" +
                                 WarekiOf(consultation.meetings_to) + "まで"},
          {"has_meeting_period", !consultation.meetings_from.empty()},
          {"summary", SummaryJson(summary)},
          {"channels", channels},
          {"districts", districts},
          {"statuses", statuses},
          {"legend", legend},
          {"rows", table}};
}

// The published rows as asked: `?form_letters=collapse` shows one row per form letter.
RowSource RequestedRows(RequestContext& context, storage::Database& database, int64_t id) {
  RowSource rows = PublishedRowSource(database, id);
  if (context.request().QueryParam("form_letters").value_or("") == "collapse")
    return CollapseFormLetters(std::move(rows));
  return rows;
}

Result<std::vector<PublishedRow>> CollectRows(const RowSource& source) {
  std::vector<PublishedRow> rows;
  Status read = source([&rows](const PublishedRow& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return rows;
}

Response ResultPage(RequestContext& context) {
  Result<int64_t> id = IdParam(context, "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Consultation> consultation = GetConsultation(database, *id);
  if (!consultation.ok()) return context.Error(consultation.status());
  bool staff = context.principal().has_value();
  if (consultation->state != "published" && !staff) {
    return context.Error(Status::NotFound(
        "この結果はまだ公表されていません / this result has not been published yet"));
  }
  Result<Summary> summary = Summarize(database, *id);
  if (!summary.ok()) return context.Error(summary.status());
  Result<std::vector<PublishedRow>> rows = CollectRows(RequestedRows(context, database, *id));
  if (!rows.ok()) return context.Error(rows.status());
  json data = ResultView(context, *consultation, *summary, *rows);
  data["preview"] = consultation->state != "published";
  data["collapsed"] = context.request().QueryParam("form_letters").value_or("") == "collapse";
  return context.Page("consultation/result",
                      consultation->title + context.Message("result_title_suffix"), data);
}

Response ResultDownload(RequestContext& context, TableFormat format) {
  Result<int64_t> id = IdParam(context, "id");
  if (!id.ok()) return context.Error(id.status());
  Result<Consultation> consultation = GetConsultation(context.app().database(), *id);
  if (!consultation.ok()) return context.Error(consultation.status());
  if (consultation->state != "published" && !context.principal()) {
    return context.Error(Status::NotFound(
        "この結果はまだ公表されていません / this result has not been published yet"));
  }
  Result<std::vector<PublishedRow>> rows =
      CollectRows(RequestedRows(context, context.app().database(), *id));
  if (!rows.ok()) return context.Error(rows.status());
  std::ostringstream out;
  WriteTable(*rows, format, out);
  Response response;
  bool tsv = format == TableFormat::kTsv;
  response.content_type =
      tsv ? "text/tab-separated-values; charset=utf-8" : "text/csv; charset=utf-8";
  response.body = out.str();
  response.AddHeader("Content-Disposition", std::string("attachment; filename=\"consultation-") +
                                                std::to_string(*id) + (tsv ? ".tsv\"" : ".csv\""));
  return response;
}

// Writes the publication to a temporary file with `write` and answers with its bytes.
Response DocumentDownload(RequestContext& context, const std::string& content_type,
                          const std::string& extension,
                          Status (*write)(const std::string&, const std::string&, const Summary&,
                                          const RowSource&)) {
  Result<int64_t> id = IdParam(context, "id");
  if (!id.ok()) return context.Error(id.status());
  storage::Database& database = context.app().database();
  Result<Consultation> consultation = GetConsultation(database, *id);
  if (!consultation.ok()) return context.Error(consultation.status());
  if (consultation->state != "published" && !context.principal()) {
    return context.Error(Status::NotFound(
        "この結果はまだ公表されていません / this result has not been published yet"));
  }
  Result<Summary> summary = Summarize(database, *id);
  if (!summary.ok()) return context.Error(summary.status());
  char path[] = "/tmp/civicdesk-document-XXXXXX";
  int descriptor = mkstemp(path);
  if (descriptor < 0)
    return context.Error(
        Status::Unavailable("一時ファイルを作れません / cannot create a temporary file"));
  close(descriptor);
  Status written =
      write(path, consultation->title, *summary, RequestedRows(context, database, *id));
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  std::remove(path);
  if (!written.ok()) return context.Error(written);
  Response response;
  response.content_type = content_type;
  response.body = bytes.str();
  response.AddHeader("Content-Disposition", "attachment; filename=\"consultation-" +
                                                std::to_string(*id) + "." + extension + "\"");
  return response;
}

Status LoadOrganisation(storage::Database& database) {
  std::optional<std::string_view> file = consultation_data::FindEmbeddedFile("organisation.json");
  if (!file) return Status::Internal("organisation.json is not embedded");
  json chart = json::parse(*file, nullptr, false);
  if (chart.is_discarded() || !chart.contains("units")) {
    return Status::InvalidArgument("organisation.json: units が必要です / units are required",
                                   "organisation.json");
  }
  return database.Transaction([&](storage::Connection& connection) -> Status {
    Result<storage::QueryResult> count =
        connection.Query("SELECT COUNT(*) FROM consultation_org_unit");
    if (!count.ok()) return count.status();
    if (AsInt(count->rows[0][0]) > 0) return Status::Ok();
    for (const json& unit : chart["units"]) {
      for (const json& section : unit.value("sections", json::array())) {
        Result<storage::QueryResult> inserted = connection.Query(
            "INSERT INTO consultation_org_unit (department, section) VALUES (?, ?)",
            {unit.value("department", ""), section.get<std::string>()});
        if (!inserted.ok()) return inserted.status();
      }
    }
    return Status::Ok();
  });
}

// Minato's shipped data: the organisation chart, and the published result of seed 000, which
// is imported and marked published when the database holds no consultation yet.
Status LoadInitialData(storage::Database& database) {
  if (Status loaded = LoadOrganisation(database); !loaded.ok()) return loaded;
  Result<storage::QueryResult> count =
      database.Query("SELECT COUNT(*) FROM consultation WHERE kind = 'consultation'");
  if (!count.ok()) return count.status();
  if (AsInt(count->rows[0][0]) > 0) return Status::Ok();
  std::optional<std::string_view> result =
      consultation_data::FindEmbeddedFile("consultations/kankyo-kihon-keikaku-soan.txt");
  if (!result) return Status::Internal("the Minato consultation result is not embedded");
  Result<ImportReport> imported = ImportResults(database, *result, Actor{0, "minato-data"});
  if (!imported.ok()) return imported.status();
  return Publish(database, imported->consultation_id, Actor{0, "minato-data"});
}

Status Install(http::App& app) {
  Status added = http::AddEmbeddedTemplatesAndMessages(app, "consultation",
                                                       consultation_files::EmbeddedFilePaths(),
                                                       consultation_files::FindEmbeddedFile);
  if (!added.ok()) return added;
  http::Router& router = app.router();
  router.Get("/consultations", http::PublicCache(http::kPublicPageSeconds, ListPage));
  router.Get("/consultations/{id}", [](RequestContext& context) { return DetailPage(context); });
  router.Post("/consultations/{id}/opinions", SubmitForm);
  router.Get("/consultations/{id}/result", http::PublicCache(http::kPublicPageSeconds, ResultPage));
  router.Get("/consultations/{id}/result.tsv",
             [](RequestContext& context) { return ResultDownload(context, TableFormat::kTsv); });
  router.Get("/consultations/{id}/result.csv",
             [](RequestContext& context) { return ResultDownload(context, TableFormat::kCsv); });
  router.Get("/consultations/{id}/result.xlsx", [](RequestContext& context) {
    return DocumentDownload(context,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            "xlsx", WriteXlsx);
  });
  router.Get("/consultations/{id}/result.pdf", [](RequestContext& context) {
    return DocumentDownload(context, "application/pdf", "pdf", WritePdf);
  });
  router.Get("/receipts", ReceiptLookup);
  router.Get("/voice", [](RequestContext& context) { return DetailPage(context); });
  router.Post("/voice/opinions", SubmitForm);
  router.Post("/api/v1/voice/opinions", ApiSubmit, http::CsrfPolicy::kJsonOnly);
  router.Get("/api/v1/voice/monthly", ApiVoiceMonthly);
  router.Post("/api/v1/consultations/{id}/opinions", ApiSubmit, http::CsrfPolicy::kJsonOnly);
  router.Get("/api/v1/consultations/{id}/summary", ApiSummary);
  router.Get("/api/v1/receipts/{receipt}", ApiReceipt);
  InstallStaffPages(app);
  return Status::Ok();
}

}  // namespace

namespace {

// Public datasets: each published result 「区民意見に対する区の考え方」, and the organisation chart
// of responding sections.
Result<std::vector<http::PublicDataset>> ConsultationDatasets(http::App& app) {
  Result<std::vector<Consultation>> consultations = ListConsultations(app.database());
  if (!consultations.ok()) return consultations.status();
  std::vector<http::PublicDataset> datasets;
  for (const Consultation& consultation : *consultations) {
    if (consultation.kind != "consultation" || consultation.state != "published") continue;
    http::PublicDataset dataset;
    dataset.id = "consultation-" + std::to_string(consultation.id) + "-result";
    dataset.title = consultation.title;
    dataset.title_en = "Citizens' opinions and the ward's responses (consultation " +
                       std::to_string(consultation.id) + ")";
    dataset.description = consultation.draft_title.empty()
                              ? "区民意見に対する区の考え方。"
                              : "「" + consultation.draft_title +
                                    "」に寄せられた区民意見に対する区の考え方と対応状況（1〜5）。";
    dataset.tags = {"区民意見", "パブリックコメント", "区の考え方"};
    dataset.modified = consultation.published_at.substr(0, 10);
    dataset.columns = {"No",         "主な該当分野",   "区民意見",
                       "区分",       "回答部署（部）", "回答部署（課）",
                       "区の考え方", "対応状況"};
    const int64_t id = consultation.id;
    dataset.rows = [id](http::App& app, const http::DatasetRowWriter& write) -> Status {
      return ForEachPublishedRow(app.database(), id, [&](const PublishedRow& row) -> Status {
        return write({std::to_string(row.number), row.fields, row.opinion, row.channel,
                      row.departments, row.sections, row.response,
                      row.status ? std::to_string(*row.status) : ""});
      });
    };
    datasets.push_back(std::move(dataset));
  }
  http::PublicDataset chart;
  chart.id = "organisation-sections";
  chart.title = "組織（部・課）一覧";
  chart.title_en = "Organisation chart: departments and sections";
  chart.description = "区民意見に回答する部署の一覧（部と課）。";
  chart.tags = {"組織"};
  chart.columns = {"department", "section"};
  chart.rows = [](http::App& app, const http::DatasetRowWriter& write) -> Status {
    return app.database().QueryEach(
        "SELECT department, section FROM consultation_org_unit ORDER BY id", {},
        [&](const std::vector<storage::Value>& row) -> Status {
          return write({storage::AsText(row[0]), storage::AsText(row[1])});
        });
  };
  datasets.push_back(std::move(chart));
  return datasets;
}

}  // namespace

Result<std::vector<http::AuditEntry>> ConsultationAuditTrail(storage::Database& database,
                                                             size_t limit) {
  Result<storage::QueryResult> rows = database.Query(
      "SELECT at, user_login, action, entity, entity_id, before_value, after_value"
      " FROM consultation_audit ORDER BY id DESC LIMIT ?",
      {static_cast<int64_t>(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<http::AuditEntry> entries;
  for (const auto& row : rows->rows) {
    entries.push_back({storage::AsText(row[0]), storage::AsText(row[1]), "consultation",
                       storage::AsText(row[2]),
                       storage::AsText(row[3]) + " " + std::to_string(storage::AsInt(row[4])),
                       storage::AsText(row[5]), storage::AsText(row[6])});
  }
  return entries;
}

// The home page's panel: consultations open now and the latest published results.
Result<std::string> HomePanel(RequestContext& context) {
  Result<std::vector<Consultation>> consultations = ListConsultations(context.app().database());
  if (!consultations.ok()) return consultations.status();
  json open = json::array();
  std::vector<const Consultation*> published;
  for (const Consultation& consultation : *consultations) {
    if (IsOpen(consultation)) open.push_back(ConsultationView(consultation));
    if (consultation.kind == "consultation" && consultation.state == "published")
      published.push_back(&consultation);
  }
  std::sort(published.begin(), published.end(), [](const Consultation* a, const Consultation* b) {
    return a->published_at > b->published_at;
  });
  json latest = json::array();
  for (size_t i = 0; i < published.size() && i < 3; ++i)
    latest.push_back(ConsultationView(*published[i]));
  return context.Fragment("consultation/home_panel", {{"open", open},
                                                      {"has_open", !open.empty()},
                                                      {"latest", latest},
                                                      {"has_latest", !latest.empty()}});
}

http::Module ConsultationModule() {
  http::Module module{"consultation", ConsultationMigrations(), Install, LoadInitialData};
  module.public_datasets = ConsultationDatasets;
  module.audit_trail = ConsultationAuditTrail;
  module.home_panel = HomePanel;
  return module;
}

}  // namespace civicdesk::consultation
