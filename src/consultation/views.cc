#include "consultation/views.h"

#include <array>
#include <cmath>
#include <map>

#include "consultation/corrections.h"
#include "consultation/issuer.h"
#include "core/date.h"
#include "core/number_format.h"
#include "core/wareki.h"

namespace civicdesk::consultation {

using nlohmann::json;

std::string WarekiOf(const std::string& iso) {
  Result<Date> date = ParseIsoDate(iso.substr(0, 10));
  return date.ok() ? FormatWarekiDate(*date) : iso;
}

std::string DateOf(const http::RequestContext& context, const std::string& iso) {
  if (iso.size() == 20 && iso[10] == 'T') return FormatInstantDateIn(context.language(), iso);
  Result<Date> date = ParseIsoDate(iso.substr(0, 10));
  return date.ok() ? FormatDateIn(context.language(), *date) : iso;
}

namespace {

// The label of `value`, one of `values`, from the catalog key prefix + the matching key.
template <size_t N>
std::string OptionLabel(const http::RequestContext& context,
                        const std::array<std::string_view, N>& values,
                        const std::array<std::string_view, N>& keys, std::string_view value) {
  for (size_t i = 0; i < N; ++i) {
    if (values[i] == value) return context.Message(keys[i]);
  }
  return std::string(value);
}

}  // namespace

std::string RelationshipLabel(const http::RequestContext& context, std::string_view value) {
  static constexpr std::array<std::string_view, kRelationships.size()> kKeys = {
      "option_relationship_live", "option_relationship_work", "option_relationship_study",
      "option_relationship_other"};
  return OptionLabel(context, kRelationships, kKeys, value);
}

std::string ChannelLabel(const http::RequestContext& context, std::string_view channel) {
  static constexpr std::array<std::string_view, kPublicCommentChannels.size()> kKeys = {
      "option_channel_post", "option_channel_internet", "option_channel_fax",
      "option_channel_in_person"};
  return OptionLabel(context, kPublicCommentChannels, kKeys, channel);
}

std::string DistrictLabel(const http::RequestContext& context, std::string_view district) {
  static constexpr std::array<std::string_view, kDistricts.size()> kKeys = {
      "option_district_shiba", "option_district_azabu", "option_district_akasaka",
      "option_district_takanawa", "option_district_shibaura_konan"};
  return OptionLabel(context, kDistricts, kKeys, district);
}

bool IsOpen(const Consultation& consultation) {
  std::string today = FormatIsoDate(TodayInJapan());
  return consultation.state == "open" && consultation.kind == "consultation" &&
         today >= consultation.opens_on && today <= consultation.closes_on;
}

json ConsultationView(const http::RequestContext& context, const Consultation& consultation) {
  return {{"id", consultation.id},
          {"title", consultation.title},
          {"title_lang", "ja"},
          {"draft_title", consultation.draft_title},
          {"opens", DateOf(context, consultation.opens_on)},
          {"closes", DateOf(context, consultation.closes_on)},
          {"closed_early", !consultation.original_closes_on.empty()},
          {"original_closes", DateOf(context, consultation.original_closes_on)},
          {"closed_early_on", DateOf(context, consultation.closed_early_at)},
          {"open", IsOpen(consultation)},
          {"published", consultation.state == "published"},
          {"words", IssuerTexts([&context](std::string_view key) { return context.Message(key); },
                                consultation)}};
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

namespace {

// "{from}から{to}まで" in the request's language.
std::string PeriodText(const http::RequestContext& context, const std::string& from,
                       const std::string& to) {
  std::string text = context.Message("result_period_range");
  for (const auto& [name, value] : {std::pair{std::string("{from}"), DateOf(context, from)},
                                    std::pair{std::string("{to}"), DateOf(context, to)}}) {
    if (size_t at = text.find(name); at != std::string::npos) text.replace(at, name.size(), value);
  }
  return text;
}

// `text` with `{name}` replaced by `value`.
std::string Filled(std::string text, const std::string& name, const std::string& value) {
  if (size_t at = text.find(name); at != std::string::npos) text.replace(at, name.size(), value);
  return text;
}

// A status of the legend (1 to 5) in the request's language.
std::string StatusLabel(const http::RequestContext& context, int status) {
  if (status < 1 || status > static_cast<int>(kStatusLegend.size())) return "";
  return context.Message("result_status_label_" + std::to_string(status));
}

// The published rows by field, for reading on a phone: one group per first field of the rows
// (PublishedRow::first_field), in the order the table first reaches it, each with an anchor
// (field-1, field-2, …), its label, its count and its rows in table order.
json FieldGroups(const http::RequestContext& context, const json& table,
                 const std::vector<PublishedRow>& rows) {
  json groups = json::array();
  std::map<std::string, size_t> group_of;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [found, inserted] = group_of.try_emplace(rows[i].first_field, groups.size());
    if (inserted) {
      // The source documents write a field left empty as a dash.
      const std::string& field = rows[i].first_field;
      const bool named = !field.empty() && field != "—" && field != "-" && field != "－";
      groups.push_back({{"anchor", "field-" + std::to_string(groups.size() + 1)},
                        {"label", named ? field : context.Message("result_no_field")},
                        {"named", named},
                        {"items", json::array()}});
    }
    groups[found->second]["items"].push_back(table[i]);
  }
  for (json& group : groups) {
    const size_t count = group["items"].size();
    group["count"] = count;
    group["count_text"] = count == 1 ? context.Message("result_field_count_one")
                                     : Filled(context.Message("result_field_count"), "{count}",
                                              std::to_string(count));
  }
  return groups;
}

}  // namespace

json ResultView(const http::RequestContext& context, const Consultation& consultation,
                const Summary& summary, const std::vector<PublishedRow>& rows) {
  json channels = json::array();
  for (std::string_view channel : kPublicCommentChannels) {
    channels.push_back({{"name", ChannelLabel(context, channel)},
                        {"people", summary.people_by_channel.at(std::string(channel))}});
  }
  json districts = json::array();
  for (std::string_view district : kDistricts) {
    districts.push_back({{"name", DistrictLabel(context, district)},
                         {"people", summary.people_by_district.at(std::string(district))}});
  }
  json statuses = json::array();
  for (const StatusCount& status : summary.statuses) {
    statuses.push_back({{"status", status.status},
                        {"label", StatusLabel(context, status.status)},
                        {"total", status.total},
                        {"public_comment", status.public_comment},
                        {"meeting", status.meeting}});
  }
  json table = json::array();
  for (const PublishedRow& row : rows) {
    table.push_back({{"number", row.number},
                     {"anchor", ResultItemAnchor(row.number)},
                     {"fields", row.fields},
                     {"opinion", row.opinion},
                     {"channel", row.channel},
                     {"departments", row.departments},
                     {"sections", row.sections},
                     {"response", row.response},
                     {"status", row.status ? std::to_string(*row.status) : ""},
                     {"status_label", row.status ? StatusLabel(context, *row.status) : ""},
                     {"truncated", row.response_truncated},
                     {"corrected", !row.corrections.empty()}});
  }
  json view = ConsultationView(context, consultation);
  // Status 5 names the body the opinion was addressed to: the consultation's issuer.
  const std::string addressed = view["words"]["result_status_label_5"];
  for (json& status : statuses)
    if (status["status"] == 5) status["label"] = addressed;
  for (json& row : table)
    if (row["status"] == "5") row["status_label"] = addressed;
  json legend = json::array();
  for (size_t i = 0; i < kStatusLegend.size(); ++i) {
    legend.push_back(
        {{"status", i + 1},
         {"label", i + 1 == 5 ? addressed : StatusLabel(context, static_cast<int>(i + 1))}});
  }
  return {
      {"consultation", view},
      {"period", PeriodText(context, consultation.opens_on, consultation.closes_on)},
      {"has_period", !consultation.opens_on.empty()},
      {"meeting_period", PeriodText(context, consultation.meetings_from, consultation.meetings_to)},
      {"has_meeting_period", !consultation.meetings_from.empty()},
      {"summary", SummaryJson(summary)},
      {"channels", channels},
      {"districts", districts},
      {"statuses", statuses},
      {"legend", legend},
      {"rows", table},
      {"field_groups", FieldGroups(context, table, rows)}};
}

json CorrectionView(const http::RequestContext& context, const Correction& correction) {
  json changes = json::array();
  auto status_text = [](const std::optional<int>& status) {
    return status ? std::to_string(*status) : std::string("—");
  };
  for (const std::string& column : correction.changed) {
    std::string before, after;
    if (column == "fields") {
      before = correction.before.fields;
      after = correction.after.fields;
    } else if (column == "opinion") {
      before = context.Message("correction_opinion_before");
      after = correction.after.opinion;
    } else if (column == "sections") {
      before = correction.before.departments + " " + correction.before.sections;
      after = correction.after.departments + " " + correction.after.sections;
    } else if (column == "response") {
      before = correction.before.response;
      after = correction.after.response;
    } else {
      before = status_text(correction.before.status);
      after = status_text(correction.after.status);
    }
    changes.push_back({{"column", context.Message("correction_column_" + column)},
                       {"before", before},
                       {"after", after}});
  }
  return {{"id", correction.id},
          {"item_id", correction.item_id},
          {"state", context.Message("correction_state_" + correction.state)},
          {"pending", correction.state == "pending"},
          {"reason", correction.reason},
          {"requested_by", correction.requested_login},
          {"requested_on", DateOf(context, correction.requested_at)},
          {"decided_by", correction.decided_login},
          {"decided_on", DateOf(context, correction.decided_at)},
          {"changes", changes}};
}

bool CollapseRequested(const http::RequestContext& context) {
  return context.request().QueryParam("form_letters").value_or("") == "collapse";
}

RowSource ResultRows(storage::Database& database, int64_t consultation_id, bool collapse) {
  RowSource rows = PublishedRowSource(database, consultation_id);
  return collapse ? CollapseFormLetters(std::move(rows)) : rows;
}

Result<std::vector<PublishedRow>> CollectRows(const RowSource& source) {
  std::vector<PublishedRow> rows;
  CIVICDESK_RETURN_IF_ERROR(source([&rows](const PublishedRow& row) {
    rows.push_back(row);
    return Status::Ok();
  }));
  return rows;
}

Result<int64_t> ParseFormId(std::string_view text, std::string_view field) {
  std::optional<int64_t> id = ParseWholeNumber(text, 1);
  if (!id) {
    return Status::InvalidArgument("consultation.number_invalid", {{"value", std::string(text)}},
                                   std::string(field));
  }
  return *id;
}

std::string Excerpt(const std::string& text, size_t characters) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++count > characters)
      return text.substr(0, i) + "…";
  }
  return text;
}

}  // namespace civicdesk::consultation
