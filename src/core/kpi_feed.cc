#include "core/kpi_feed.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace civicdesk::kpi_feed {

namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

std::optional<double> ReadNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> columns = {
      "指標番号", "年度", "区分", "値", "モジュール", "出典", "参照", "URL", "回答者数", "誤差"};
  return columns;
}

const std::vector<std::string>& NumberColumns() {
  static const std::vector<std::string> columns = {"年度", "値", "回答者数", "誤差"};
  return columns;
}

std::vector<std::string> ToCells(const Row& row) {
  return {row.kpi,
          std::to_string(row.fiscal_year),
          row.segment,
          Number(row.value),
          row.module,
          row.source,
          row.reference,
          row.address,
          row.n ? std::to_string(*row.n) : "",
          row.margin_of_error ? Number(*row.margin_of_error) : ""};
}

Result<Row> FromCells(const std::vector<std::string>& cells) {
  auto refuse = [] { return Status::InvalidArgument("core.kpi_feed_row"); };
  if (cells.size() != Columns().size()) return refuse();
  Row row;
  row.kpi = cells[0];
  std::optional<double> year = ReadNumber(cells[1]);
  std::optional<double> value = ReadNumber(cells[3]);
  if (!year || !value || row.kpi.empty()) return refuse();
  row.fiscal_year = static_cast<int>(*year);
  row.segment = cells[2];
  row.value = *value;
  row.module = cells[4];
  row.source = cells[5];
  row.reference = cells[6];
  row.address = cells[7];
  if (std::optional<double> n = ReadNumber(cells[8])) row.n = static_cast<int64_t>(*n);
  row.margin_of_error = ReadNumber(cells[9]);
  return row;
}

}  // namespace civicdesk::kpi_feed
