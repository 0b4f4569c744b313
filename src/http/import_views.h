#ifndef CIVICDESK_HTTP_IMPORT_VIEWS_H_
#define CIVICDESK_HTTP_IMPORT_VIEWS_H_

// What an import page shows of the shared pipeline (core/tabular_import.h), for any importer:
// the report (the http/import_report partial), the mapping form with the first rows, and the
// staff member's choices read back as the pipeline's options.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/tabular_import.h"
#include "http/app.h"

namespace civicdesk::http {

// The words of a pipeline message on a page: the command line's advice (--mapping,
// --ignore-column) becomes the page's.
std::string ImportWords(const RequestContext& context, const Status& status);

// What http/import_report reads. Each field is named by the catalog's `field_messages` + field
// (a repeated field's year, ordinal and unit after it).
nlohmann::json ImportReportView(const RequestContext& context, const tabular::Report& report,
                                std::string_view field_messages);

// The mapping form: every column with its header, its field (a select of the spec's fields, or
// 「使わない」), whether it needs a decision (data and no field), and its first values; and the
// preview table of the first rows as the file has them. `survey` is ReadTable's report with
// for_mapping and preview_rows.
nlohmann::json ImportMappingView(const RequestContext& context, const tabular::Report& survey,
                                 const tabular::ImporterSpec& spec,
                                 std::string_view field_messages);

// The choices of the mapping form (column_N: field:NAME, ignore, or nothing) as the pipeline's
// options. `plain` is the survey with no choices (each column's field as the synonyms give it):
// a choice the synonyms make already is no choice. InvalidArgument http.import_choice_invalid
// naming column_N for a field the importer does not have, or a field for a column without a
// header.
Result<tabular::ImportOptions> ImportOptionsFromForm(const std::map<std::string, std::string>& form,
                                                     const tabular::Report& plain,
                                                     const tabular::ImporterSpec& spec);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_IMPORT_VIEWS_H_
