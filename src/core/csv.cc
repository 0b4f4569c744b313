#include "core/csv.h"

#include <csv.h>

namespace civicdesk {

Status ForEachCsvRow(std::istream& input,
                     const std::function<Status(std::vector<std::string>&, int64_t)>& on_row) {
  struct State {
    std::vector<std::string> row;
    int64_t number = 0;
    Status status;
    const std::function<Status(std::vector<std::string>&, int64_t)>* on_row;
  } state{{}, 0, Status::Ok(), &on_row};
  auto on_field = [](void* field, size_t length, void* data) {
    auto* s = static_cast<State*>(data);
    s->row.emplace_back(static_cast<const char*>(field), length);
  };
  auto on_record = [](int, void* data) {
    auto* s = static_cast<State*>(data);
    ++s->number;
    if (s->status.ok()) s->status = (*s->on_row)(s->row, s->number);
    s->row.clear();
  };
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    return Status::Internal("cannot start the CSV parser");
  char buffer[1 << 16];
  while (state.status.ok() && input) {
    input.read(buffer, sizeof(buffer));
    const auto read = static_cast<size_t>(input.gcount());
    if (read == 0) break;
    if (csv_parse(&parser, buffer, read, on_field, on_record, &state) != read) {
      const std::string error = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      const std::string row = std::to_string(state.number + 1);
      return Status::InvalidArgument("core.csv_bad_quote", {{"row", row}, {"detail", error}},
                                     "row " + row);
    }
  }
  if (state.status.ok() && csv_fini(&parser, on_field, on_record, &state) != 0) {
    csv_free(&parser);
    return Status::InvalidArgument("core.csv_unclosed_quote",
                                   "row " + std::to_string(state.number + 1));
  }
  csv_free(&parser);
  return state.status;
}

void StripUtf8Bom(std::string& cell) {
  if (cell.rfind("\xEF\xBB\xBF", 0) == 0) cell.erase(0, 3);
}

Status CheckCsvColumnCount(size_t cells, size_t header_cells, int64_t row) {
  if (cells == header_cells) return Status::Ok();
  const std::string number = std::to_string(row);
  return Status::InvalidArgument(
      "core.csv_column_count",
      {{"row", number}, {"cells", std::to_string(cells)}, {"header", std::to_string(header_cells)}},
      "row " + number);
}

std::string CsvQuote(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string cell = "\"";
  for (char c : text) {
    if (c == '"') cell += '"';
    cell += c;
  }
  return cell + "\"";
}

bool StartsLikeFormula(std::string_view cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

bool IsPlainNumber(std::string_view cell) {
  size_t at = 0;
  auto digits = [&]() {
    const size_t from = at;
    while (at < cell.size() && cell[at] >= '0' && cell[at] <= '9') ++at;
    return at > from;
  };
  if (at < cell.size() && cell[at] == '-') ++at;
  if (!digits()) return false;
  if (at < cell.size() && cell[at] == '.') {
    ++at;
    if (!digits()) return false;
  }
  if (at < cell.size() && (cell[at] == 'e' || cell[at] == 'E')) {
    ++at;
    if (at < cell.size() && (cell[at] == '+' || cell[at] == '-')) ++at;
    if (!digits()) return false;
  }
  return at == cell.size();
}

std::string GuardFormula(std::string_view cell, bool number_column) {
  if (!StartsLikeFormula(cell) || (number_column && IsPlainNumber(cell))) return std::string(cell);
  return "'" + std::string(cell);
}

void UnguardFormula(std::string& cell) {
  if (cell.size() >= 2 && cell.front() == '\'' &&
      StartsLikeFormula(std::string_view(cell).substr(1)))
    cell.erase(0, 1);
}

}  // namespace civicdesk
