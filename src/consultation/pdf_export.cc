#include "consultation/pdf_export.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <memory>

namespace civicdesk::consultation {
namespace {

constexpr double kPageWidth = 841.89;  // A4 landscape, in points
constexpr double kPageHeight = 595.28;
constexpr double kMargin = 28;
constexpr double kPadding = 3;
constexpr const char* kFont = "Noto Sans CJK JP";
constexpr std::array<double, 8> kWidths = {26, 92, 196, 62, 62, 62, 250, 34};  // sums to 784

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

class PdfWriter {
 public:
  PdfWriter(cairo_t* cairo) : cairo_(cairo) {}

  LayoutPtr Layout(const std::string& text, double width, double size, bool bold = false) {
    LayoutPtr layout(pango_cairo_create_layout(cairo_), g_object_unref);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFont);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
  }

  // Draws a paragraph at the cursor and moves it down.
  void Paragraph(const std::string& text, double size, bool bold = false) {
    LayoutPtr layout = Layout(text, kPageWidth - 2 * kMargin, size, bold);
    int height = 0;
    pango_layout_get_size(layout.get(), nullptr, &height);
    double points = static_cast<double>(height) / PANGO_SCALE;
    if (y_ + points > kPageHeight - kMargin) NewPage();
    cairo_move_to(cairo_, kMargin, y_);
    pango_cairo_show_layout(cairo_, layout.get());
    y_ += points + size * 0.4;
  }

  void NewPage() {
    cairo_show_page(cairo_);
    y_ = kMargin;
  }

  // The height of a row whose cells are laid out in `layouts`: its tallest cell.
  static double RowHeight(const std::array<LayoutPtr, 8>& layouts) {
    double tallest = 0;
    for (const LayoutPtr& layout : layouts) {
      double height = 0;
      const int count = pango_layout_get_line_count(layout.get());
      for (int line = 0; line < count; ++line) {
        PangoRectangle logical;
        pango_layout_line_get_extents(pango_layout_get_line_readonly(layout.get(), line), nullptr,
                                      &logical);
        height += static_cast<double>(logical.height) / PANGO_SCALE;
      }
      tallest = std::max(tallest, height);
    }
    return tallest + 2 * kPadding;
  }

  // Draws one table row. A row never splits across pages: one that does not fit below the rows
  // already on this page starts the next page, below a repeated header. Only a row taller than a
  // whole page is drawn line by line, continuing on the next page.
  void Row(const std::array<std::string, 8>& cells, double size, bool header) {
    std::array<LayoutPtr, 8> layouts = {
        LayoutPtr(nullptr, g_object_unref), LayoutPtr(nullptr, g_object_unref),
        LayoutPtr(nullptr, g_object_unref), LayoutPtr(nullptr, g_object_unref),
        LayoutPtr(nullptr, g_object_unref), LayoutPtr(nullptr, g_object_unref),
        LayoutPtr(nullptr, g_object_unref), LayoutPtr(nullptr, g_object_unref)};
    std::array<int, 8> next_line{};
    for (size_t column = 0; column < 8; ++column) {
      layouts[column] = Layout(cells[column], kWidths[column] - 2 * kPadding, size, header);
    }
    if (!header && y_ > body_top_ + 0.5 && y_ + RowHeight(layouts) > kPageHeight - kMargin) {
      NewPage();
      Row(header_cells_, size, true);
    }
    while (true) {
      double bottom = kPageHeight - kMargin;
      double minimum = size * 1.6 + 2 * kPadding;
      if (y_ + minimum > bottom) {
        NewPage();
        if (!header) Row(header_cells_, size, true);
      }
      double x = kMargin;
      double tallest = 0;
      bool unfinished = false;
      for (size_t column = 0; column < 8; ++column) {
        PangoLayout* layout = layouts[column].get();
        int count = pango_layout_get_line_count(layout);
        double line_y = y_ + kPadding;
        int line = next_line[column];
        for (; line < count; ++line) {
          PangoLayoutLine* text_line = pango_layout_get_line_readonly(layout, line);
          PangoRectangle logical;
          pango_layout_line_get_extents(text_line, nullptr, &logical);
          double line_height = static_cast<double>(logical.height) / PANGO_SCALE;
          if (line_y + line_height > bottom - kPadding) break;
          double baseline = line_y + static_cast<double>(-logical.y) / PANGO_SCALE;
          cairo_move_to(cairo_, x + kPadding, baseline);
          pango_cairo_show_layout_line(cairo_, text_line);
          line_y += line_height;
        }
        next_line[column] = line;
        unfinished = unfinished || line < count;
        tallest = std::max(tallest, line_y - y_ + kPadding);
        x += kWidths[column];
      }
      // Cell borders for the part drawn on this page.
      if (header) {
        cairo_save(cairo_);
        cairo_set_source_rgba(cairo_, 0.85, 0.88, 0.92, 0.35);
        cairo_rectangle(cairo_, kMargin, y_, kPageWidth - 2 * kMargin - 2, tallest);
        cairo_fill(cairo_);
        cairo_restore(cairo_);
      }
      cairo_set_line_width(cairo_, 0.5);
      x = kMargin;
      for (size_t column = 0; column < 8; ++column) {
        cairo_rectangle(cairo_, x, y_, kWidths[column], tallest);
        x += kWidths[column];
      }
      cairo_stroke(cairo_);
      y_ += tallest;
      if (header) body_top_ = y_;
      if (!unfinished) return;
      NewPage();
      Row(header_cells_, size, true);
    }
  }

  void SetHeader(std::array<std::string, 8> cells) { header_cells_ = std::move(cells); }
  void Gap(double points) { y_ += points; }

 private:
  cairo_t* cairo_;
  double y_ = kMargin;
  double body_top_ = kMargin;  // where the rows start below this page's header row
  std::array<std::string, 8> header_cells_;
};

// Draws the publication on `surface` and finishes it. The rows' failure first, then cairo's
// (a write error of the stream, say) as kUnavailable naming `where`.
Status DrawPublication(cairo_surface_t* surface, const std::string& where, const std::string& title,
                       const IssuerWords& words, const Summary& summary, const RowSource& rows) {
  const std::string document_title = DocumentTitle(title, words);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document_title.c_str());
  cairo_t* cairo = cairo_create(surface);
  Status read;
  cairo_set_source_rgb(cairo, 0, 0, 0);
  {
    PdfWriter writer(cairo);
    writer.Paragraph(document_title, 14, true);
    if (!words.name.empty()) writer.Paragraph(words.name, 11);
    writer.Paragraph("1 意見数", 11, true);
    std::string channels;
    for (std::string_view channel : kPublicCommentChannels) {
      channels += (channels.empty() ? "" : "、") + std::string(channel) +
                  std::to_string(summary.people_by_channel.at(std::string(channel))) + "人";
    }
    std::string districts;
    for (std::string_view district : kDistricts) {
      districts += (districts.empty() ? "" : "、") + std::string(district) +
                   std::to_string(summary.people_by_district.at(std::string(district))) + "人";
    }
    writer.Paragraph("(1) " + words.route_public + "により寄せられた意見　人数：" +
                         std::to_string(summary.people_public_comment) + "人（うち" + channels +
                         "）　" + std::to_string(summary.items_public_comment) + "件",
                     9);
    writer.Paragraph("(2) " + words.route_meeting + "での参加者意見　開催回数：" +
                         std::to_string(summary.meetings) + "回　人数：" +
                         std::to_string(summary.people_meeting) + "人（" + districts + "）　" +
                         std::to_string(summary.items_meeting) + "件",
                     9);
    writer.Paragraph("計　" + std::to_string(summary.items) + "件", 9);
    writer.Paragraph("※ 件数は、複数の内容を含んだ" + words.opinion + "を分割した後の件数です。",
                     8);
    writer.Paragraph("2 意見への対応状況", 11, true);
    for (const StatusCount& status : summary.statuses) {
      writer.Paragraph(std::to_string(status.status) + "　" +
                           StatusLegendText(status.status, words) + "　" +
                           std::to_string(status.total) + "件（" + words.route_public + " " +
                           std::to_string(status.public_comment) + "件、" + words.route_meeting +
                           " " + std::to_string(status.meeting) + "件）",
                       9);
    }
    writer.Paragraph("計　" + std::to_string(summary.items) + "件（" + words.route_public + " " +
                         std::to_string(summary.items_public_comment) + "件、" +
                         words.route_meeting + " " + std::to_string(summary.items_meeting) + "件）",
                     9);
    writer.Paragraph("※掲載順は、主な該当分野ごとにまとめ、同種の" + words.opinion +
                         "別に並べた上で、対応状況の順に掲載しています。",
                     8);
    writer.Gap(6);
    std::array<std::string, 8> header;
    const std::vector<std::string> columns = PublishedColumns(words);
    for (size_t column = 0; column < 8; ++column) header[column] = columns[column];
    writer.SetHeader(header);
    writer.Row(header, 8, true);
    // A corrected row says so under its No; its 訂正履歴 follows the table.
    std::vector<std::pair<int, std::string>> corrections;
    read = rows([&](const PublishedRow& row) {
      std::string number = std::to_string(row.number);
      if (!row.corrections.empty()) {
        number += "\n訂正";
        corrections.emplace_back(row.number, row.corrections);
      }
      writer.Row({number, row.fields, row.opinion, row.channel, row.departments, row.sections,
                  row.response, row.status ? std::to_string(*row.status) : ""},
                 7.5, false);
      return Status::Ok();
    });
    if (read.ok() && !corrections.empty()) {
      writer.Gap(6);
      writer.Paragraph("訂正履歴", 11, true);
      for (const auto& [number, note] : corrections)
        writer.Paragraph("No " + std::to_string(number) + "　" + note, 8);
    }
  }
  cairo_destroy(cairo);
  cairo_surface_finish(surface);
  cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (!read.ok()) return read;
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::Unavailable("consultation.pdf_cannot_write",
                               {{"path", where}, {"reason", cairo_status_to_string(status)}});
  }
  return Status::Ok();
}

// Where cairo's output goes when streaming: the writer, and its first failure.
struct StreamTarget {
  const http::BodyWriter* write;
  Status failed;
};

cairo_status_t WriteToStream(void* closure, const unsigned char* data, unsigned int length) {
  auto* target = static_cast<StreamTarget*>(closure);
  if (!target->failed.ok()) return CAIRO_STATUS_WRITE_ERROR;
  target->failed = (*target->write)(std::string_view(reinterpret_cast<const char*>(data), length));
  return target->failed.ok() ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

}  // namespace

Status WritePdf(const std::string& path, const std::string& title, const IssuerWords& words,
                const Summary& summary, const RowSource& rows) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return Status::Unavailable("consultation.pdf_cannot_create", {{"path", path}});
  }
  return DrawPublication(surface, path, title, words, summary, rows);
}

Status StreamPdf(const http::BodyWriter& write, const std::string& title, const IssuerWords& words,
                 const Summary& summary, const RowSource& rows) {
  StreamTarget target{&write, Status::Ok()};
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(WriteToStream, &target, kPageWidth, kPageHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return Status::Unavailable("consultation.pdf_cannot_create", {{"path", "PDF"}});
  }
  Status drawn = DrawPublication(surface, "PDF", title, words, summary, rows);
  // The client going away is the writer's failure, not cairo's.
  return target.failed.ok() ? drawn : target.failed;
}

}  // namespace civicdesk::consultation
