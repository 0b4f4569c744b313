#include "http/import_views.h"

#include <algorithm>

namespace civicdesk::http {
namespace {

using nlohmann::json;

constexpr std::string_view kIgnore = "ignore";
constexpr std::string_view kFieldPrefix = "field:";

// 「列N」: the name the pipeline gives a column without a header; such a column can only be
// ignored (mapping goes by header).
bool HasHeader(const std::string& name, size_t number) {
  return name != "列" + std::to_string(number);
}

// The spec's field a mapped column names ("value" of "value FY2022 #2 (千円)"), and the rest.
std::pair<std::string, std::string> SplitField(const std::string& mapped) {
  const size_t space = mapped.find(' ');
  if (space == std::string::npos) return {mapped, ""};
  return {mapped.substr(0, space), mapped.substr(space)};
}

// The field the survey maps column `number` to (without qualifiers), or "".
std::string FieldOf(const tabular::Report& survey, int64_t number) {
  for (const tabular::MappedColumn& mapped : survey.mapped)
    if (mapped.column == number) return SplitField(mapped.field).first;
  return "";
}

std::string ColumnLabel(const RequestContext& context, int64_t column, const std::string& header) {
  return context.Format(Status(StatusCode::kOk, "http.import_column_label",
                               {{"column", std::to_string(column)}, {"header", header}}));
}

std::string RowLabel(const RequestContext& context, int64_t row) {
  return context.Format(
      Status(StatusCode::kOk, "http.import_row_label", {{"row", std::to_string(row)}}));
}

json Messages(const RequestContext& context, const std::vector<Status>& statuses) {
  json list = json::array();
  for (const Status& status : statuses)
    list.push_back({{"where", status.field()}, {"words", ImportWords(context, status)}});
  return list;
}

}  // namespace

std::string ImportWords(const RequestContext& context, const Status& status) {
  if (status.message_id() == "core.import_unmapped_column" ||
      status.message_id() == "core.import_column_missing") {
    Status web(status.code(), "http.web_" + status.message_id().substr(5), status.args(),
               status.field());
    return context.Format(web);
  }
  return context.Format(status);
}

json ImportReportView(const RequestContext& context, const tabular::Report& report,
                      std::string_view field_messages) {
  json mapped = json::array();
  for (const tabular::MappedColumn& column : report.mapped) {
    const auto [field, qualifiers] = SplitField(column.field);
    mapped.push_back({{"label", ColumnLabel(context, column.column, column.header)},
                      {"field", context.Message(std::string(field_messages) + field) + qualifiers},
                      {"by_mapping", column.by_mapping}});
  }
  json unused = json::array();
  for (const tabular::UnusedColumn& column : report.unused) {
    unused.push_back({{"label", ColumnLabel(context, column.column, column.header)},
                      {"has_data", column.has_data},
                      {"ignored", column.ignored}});
  }
  json changes = json::array();
  for (const tabular::CellChange& change : report.changes) {
    changes.push_back({{"row", change.row},
                       {"column", change.column},
                       {"before", change.before},
                       {"after", change.after},
                       {"reason", context.Message(change.reason)}});
  }
  auto notes = [&context](const std::vector<tabular::Note>& list) {
    json out = json::array();
    for (const tabular::Note& note : list)
      out.push_back({{"label", RowLabel(context, note.row)}, {"text", note.text}});
    return out;
  };
  return {{"format", std::string(tabular::FormatName(report.format))},
          {"encoding", std::string(tabular::EncodingName(report.encoding))},
          {"header_row", report.header_row},
          {"rows_read", report.rows_read},
          {"rows_written", report.rows_written},
          {"dry_run", report.dry_run},
          {"mapped", mapped},
          {"unused", unused},
          {"changes", changes},
          {"has_changes", !changes.empty()},
          {"notes_above", notes(report.notes_above)},
          {"notes_below", notes(report.notes_below)},
          {"repeated_headers", report.repeated_headers},
          {"has_repeated_headers", report.repeated_headers > 0},
          {"has_unused", !unused.empty()},
          {"has_notes_above", !report.notes_above.empty()},
          {"has_notes_below", !report.notes_below.empty()},
          {"has_warnings", !report.warnings.empty()},
          {"warnings", Messages(context, report.warnings)},
          {"errors", Messages(context, report.errors)},
          {"has_errors", !report.errors.empty()}};
}

json ImportMappingView(const RequestContext& context, const tabular::Report& survey,
                       const tabular::ImporterSpec& spec, std::string_view field_messages) {
  json columns = json::array();
  for (size_t c = 0; c < survey.columns.size(); ++c) {
    const auto number = static_cast<int64_t>(c + 1);
    const std::string field = FieldOf(survey, number);
    std::string qualifiers;  // a repeated field's year, ordinal and unit: " FY2022"
    for (const tabular::MappedColumn& mapped : survey.mapped)
      if (mapped.column == number) qualifiers = SplitField(mapped.field).second;
    bool has_data = false;
    bool ignored = false;
    for (const tabular::UnusedColumn& unused : survey.unused) {
      if (unused.column != number) continue;
      has_data = unused.has_data;
      ignored = unused.ignored;
    }
    const bool needs_decision = field.empty() && has_data && !ignored;
    json options = json::array();
    options.push_back({{"value", ""},
                       {"label", context.Message("import_choice_none")},
                       {"selected", field.empty() && !ignored}});
    if (HasHeader(survey.columns[c], c + 1)) {
      for (const tabular::FieldSpec& spec_field : spec.fields) {
        options.push_back(
            {{"value", std::string(kFieldPrefix) + spec_field.field},
             {"label", context.Message(std::string(field_messages) + spec_field.field)},
             {"selected", spec_field.field == field}});
      }
    }
    options.push_back({{"value", std::string(kIgnore)},
                       {"label", context.Message("import_choice_ignore")},
                       {"selected", ignored || (field.empty() && !has_data)}});
    json values = json::array();
    for (const tabular::SourceRow& row : survey.preview)
      values.push_back(c < row.cells.size() ? row.cells[c] : "");
    columns.push_back({{"label", ColumnLabel(context, number, survey.columns[c])},
                       {"name", "column_" + std::to_string(number)},
                       {"header", survey.columns[c]},
                       {"options", options},
                       {"qualifiers", qualifiers},
                       {"needs_decision", needs_decision},
                       {"has_values", !values.empty()},
                       {"values", values}});
  }
  json rows = json::array();
  for (const tabular::SourceRow& row : survey.preview) {
    json cells = json::array();
    for (size_t c = 0; c < survey.columns.size(); ++c)
      cells.push_back(c < row.cells.size() ? row.cells[c] : "");
    rows.push_back({{"line", row.line}, {"cells", cells}});
  }
  return {{"columns", columns}, {"preview_rows", rows}, {"headers", survey.columns}};
}

Result<tabular::ImportOptions> ImportOptionsFromForm(const std::map<std::string, std::string>& form,
                                                     const tabular::Report& plain,
                                                     const tabular::ImporterSpec& spec) {
  tabular::ImportOptions options;
  for (size_t c = 0; c < plain.columns.size(); ++c) {
    const std::string name = "column_" + std::to_string(c + 1);
    auto chosen = form.find(name);
    if (chosen == form.end() || chosen->second.empty()) continue;
    const std::string& header = plain.columns[c];
    if (chosen->second == kIgnore) {
      if (HasHeader(header, c + 1)) options.mapping[header] = "";
      options.ignored_columns.push_back(header);
      continue;
    }
    const std::string field = chosen->second.rfind(kFieldPrefix, 0) == 0
                                  ? chosen->second.substr(kFieldPrefix.size())
                                  : std::string();
    const bool known = std::any_of(spec.fields.begin(), spec.fields.end(),
                                   [&](const tabular::FieldSpec& f) { return f.field == field; });
    if (!known || !HasHeader(header, c + 1)) {
      return Status::InvalidArgument("http.import_choice_invalid",
                                     {{"column", std::to_string(c + 1)}}, name);
    }
    // What the synonyms say already is no choice (the report marks only real choices).
    if (FieldOf(plain, static_cast<int64_t>(c + 1)) != field) options.mapping[header] = field;
  }
  return options;
}

}  // namespace civicdesk::http
