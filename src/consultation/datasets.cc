// The result as files (TSV, CSV, XLSX through http::TableResponse; PDF through
// http::FileResponse), streamed from the database while the client reads, and the public
// datasets the open-data catalog lists.
#include "consultation/access.h"
#include "consultation/corrections.h"
#include "consultation/handlers.h"
#include "consultation/pdf_export.h"
#include "consultation/publication.h"
#include "consultation/store.h"
#include "consultation/views.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;

// The consultation of {id}, when the asker may see its result (MaySeeResult).
Result<Consultation> VisibleResult(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation,
                             GetConsultation(context.app().database(), id));
  CIVICDESK_RETURN_IF_ERROR(MaySeeResult(context, consultation));
  return consultation;
}

std::string FileStem(const Consultation& consultation) {
  return "consultation-" + std::to_string(consultation.id);
}

}  // namespace

http::Handler ResultTableDownload(http::TableFormat format) {
  return [format](RequestContext& context) -> Result<Response> {
    CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, VisibleResult(context));
    // Once a correction was approved, each row carries its 訂正履歴 in a last column.
    CIVICDESK_ASSIGN_OR_RETURN(bool corrected,
                               HasApprovedCorrections(context.app().database(), consultation.id));
    // The rows stream after this returns: the source holds the App's database, not the request.
    RowSource rows =
        ResultRows(context.app().database(), consultation.id, CollapseRequested(context));
    const IssuerWords words = DocumentWords(context.app().messages(), consultation);
    return http::TableResponse(PublishedTable(std::move(rows), corrected, words), format,
                               FileStem(consultation));
  };
}

Result<Response> ResultPdf(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, VisibleResult(context));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Summary summary, Summarize(database, consultation.id));
  RowSource rows = ResultRows(database, consultation.id, CollapseRequested(context));
  return http::FileResponse(
      "application/pdf", FileStem(consultation) + ".pdf",
      [title = consultation.title, words = DocumentWords(context.app().messages(), consultation),
       summary = std::move(summary), rows = std::move(rows)](const http::BodyWriter& write) {
        return StreamPdf(write, title, words, summary, rows);
      });
}

// Public datasets: each published result 「区民意見に対する区の考え方」, and the organisation chart
// of responding sections.
Result<std::vector<http::PublicDataset>> ConsultationDatasets(http::App& app) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<Consultation> consultations,
                             ListConsultations(app.database()));
  std::vector<http::PublicDataset> datasets;
  for (const Consultation& consultation : consultations) {
    if (consultation.kind != "consultation" || consultation.state != "published") continue;
    http::PublicDataset dataset;
    dataset.id = "consultation-" + std::to_string(consultation.id) + "-result";
    dataset.title = consultation.title;
    const IssuerWords words = DocumentWords(app.messages(), consultation);
    const IssuerWords english = WordsOf(
        [&app](std::string_view key) { return app.messages().Get("en", key); }, consultation);
    dataset.title_en = "Opinions and the responses of " + english.body + " (consultation " +
                       std::to_string(consultation.id) + ")";
    const std::string published = words.opinion + "に対する" + words.response;
    dataset.description = consultation.draft_title.empty()
                              ? published + "。"
                              : "「" + consultation.draft_title + "」に寄せられた" + published +
                                    "と対応状況（1〜5）。";
    if (!words.name.empty()) dataset.description += "公表：" + words.name + "。";
    dataset.tags = {words.opinion, "パブリックコメント", words.response};
    // Republished with the corrections approved since: modified on the last one's date, each
    // corrected row's 訂正履歴 in a last column.
    CIVICDESK_ASSIGN_OR_RETURN(std::string corrected_at,
                               LastCorrectionAt(app.database(), consultation.id));
    dataset.modified =
        (corrected_at.empty() ? consultation.published_at : corrected_at).substr(0, 10);
    dataset.columns = {"No",           "主な該当分野",   words.opinion,
                       "区分",         "回答部署（部）", "回答部署（課）",
                       words.response, "対応状況"};
    const bool corrected = !corrected_at.empty();
    if (corrected) dataset.columns.push_back(std::string(kCorrectionsColumn));
    const int64_t id = consultation.id;
    dataset.rows = [id, corrected](http::App& app, const http::DatasetRowWriter& write) -> Status {
      return ForEachPublishedRow(app.database(), id, [&](const PublishedRow& row) -> Status {
        std::vector<std::string> cells = {std::to_string(row.number),
                                          row.fields,
                                          row.opinion,
                                          row.channel,
                                          row.departments,
                                          row.sections,
                                          row.response,
                                          row.status ? std::to_string(*row.status) : ""};
        if (corrected) cells.push_back(row.corrections);
        return write(cells);
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

}  // namespace civicdesk::consultation
