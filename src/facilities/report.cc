#include "facilities/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/era_year_label.h"
#include "http/table_response.h"

namespace civicdesk::facilities {
namespace {

// Okabe–Ito and Tol palettes: distinguishable with colour-blindness, dark enough on white.
constexpr const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                    "#D55E00", "#332288", "#999933", "#882255", "#44AA99",
                                    "#117733", "#AA4499", "#666666"};

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::vector<int64_t> GroupedCosts::Totals() const {
  std::vector<int64_t> totals(series.empty() ? 0 : series[0].size(), 0);
  for (const auto& row : series) {
    for (size_t y = 0; y < row.size(); ++y) totals[y] += row[y];
  }
  return totals;
}

Result<Grouping> ParseGrouping(std::string_view text) {
  if (text.empty() || text == "category") return Grouping::kCategory;
  if (text == "district") return Grouping::kDistrict;
  if (text == "facility") return Grouping::kFacility;
  if (text == "kind") return Grouping::kWorkKind;
  return Status::InvalidArgument("facilities.grouping_unknown", {{"value", std::string(text)}},
                                 "by");
}

GroupedCosts GroupCosts(const std::vector<Facility>& facilities,
                        const FacilityYearCosts& facility_years, Grouping grouping,
                        const ProjectionOptions& options) {
  GroupedCosts costs;
  costs.from_year = options.from_year;
  const size_t years = static_cast<size_t>(options.years);
  if (grouping == Grouping::kCategory) {
    std::array<std::vector<int64_t>, kCategoryCount> by_category;
    std::array<bool, kCategoryCount> present{};
    for (size_t f = 0; f < facilities.size(); ++f) {
      const size_t c = static_cast<size_t>(facilities[f].category);
      if (!present[c]) by_category[c].assign(years, 0);
      present[c] = true;
      for (size_t y = 0; y < years; ++y) by_category[c][y] += facility_years[f][y];
    }
    for (size_t c = 0; c < kCategoryCount; ++c) {
      if (!present[c]) continue;
      costs.labels.emplace_back(CategoryName(kAllCategories[c]));
      costs.series.push_back(std::move(by_category[c]));
    }
    return costs;
  }
  std::map<std::string, std::vector<int64_t>> groups;
  for (size_t f = 0; f < facilities.size(); ++f) {
    std::string key = grouping == Grouping::kDistrict ? facilities[f].district
                                                      : facilities[f].id + " " + facilities[f].name;
    if (key.empty()) key = "（未設定）";
    auto [it, inserted] = groups.try_emplace(key, years, 0);
    for (size_t y = 0; y < years; ++y) it->second[y] += facility_years[f][y];
  }
  for (auto& [label, row] : groups) {
    costs.labels.push_back(label);
    costs.series.push_back(std::move(row));
  }
  return costs;
}

GroupedCosts GroupCostsByWorkKind(const std::vector<Facility>& facilities,
                                  const std::vector<PlannedWork>& works,
                                  const LifecyclePolicy& policy, const ProjectionOptions& options) {
  GroupedCosts costs;
  costs.from_year = options.from_year;
  const size_t years = static_cast<size_t>(options.years);
  std::array<std::vector<int64_t>, 4> by_kind;
  for (auto& row : by_kind) row.assign(years, 0);
  std::vector<int64_t> backlog(years, 0);
  for (const PlannedWork& work : works) {
    AddWorkCost(work, policy, options,
                work.overdue ? backlog : by_kind[static_cast<size_t>(work.kind)]);
  }
  for (size_t k = 0; k < by_kind.size(); ++k) {
    if (std::all_of(by_kind[k].begin(), by_kind[k].end(), [](int64_t v) { return v == 0; }))
      continue;
    costs.labels.emplace_back(WorkKindName(static_cast<WorkKind>(k)));
    costs.series.push_back(by_kind[k]);
  }
  if (std::any_of(backlog.begin(), backlog.end(), [](int64_t v) { return v != 0; })) {
    costs.labels.emplace_back("積み残し");
    costs.series.push_back(backlog);
  }
  if (policy.routine_yen_per_sqm_year > 0) {
    int64_t routine = 0;
    for (const Facility& facility : facilities) {
      routine += std::llround(static_cast<double>(policy.routine_yen_per_sqm_year) *
                              facility.floor_area_sqm);
    }
    costs.labels.emplace_back("日常修繕");
    costs.series.emplace_back(years, routine);
  }
  return costs;
}

Status ForEachCostRow(const GroupedCosts& costs, const CostRowWriter& write) {
  const size_t years = costs.series.empty() ? 0 : costs.series[0].size();
  for (size_t y = 0; y < years; ++y) {
    for (size_t s = 0; s < costs.series.size(); ++s) {
      CIVICDESK_RETURN_IF_ERROR(write({std::to_string(costs.from_year + static_cast<int>(y)),
                                       costs.labels[s], std::to_string(costs.series[s][y])}));
    }
  }
  return Status::Ok();
}

void WriteGroupedCsv(const GroupedCosts& costs, const std::string& group_column,
                     std::ostream& output) {
  http::Table table;
  table.columns = {"year", group_column, "cost_yen"};
  table.number_columns = {"year", "cost_yen"};
  table.rows = [&costs](const http::DatasetRowWriter& write) {
    return ForEachCostRow(costs, write);
  };
  (void)http::WriteTable(table, http::TableFormat::kCsv, output);
}

std::string OkuYen(int64_t yen) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", static_cast<double>(yen) / 1e8);
  return buffer;
}

std::string StackedBarSvg(const GroupedCosts& costs, const std::string& title,
                          const std::string& described_by, std::string_view language) {
  const std::vector<int64_t> totals = costs.Totals();
  const size_t years = totals.size();
  if (years == 0) return "";
  int64_t top = std::max<int64_t>(1, *std::max_element(totals.begin(), totals.end()));
  const size_t legend_rows = (costs.labels.size() + 2) / 3;
  const double width = 760, left = 64, right = 12, top_pad = 16, plot_height = 260;
  const double bottom = 54 + 20.0 * static_cast<double>(legend_rows);
  const double height = top_pad + plot_height + bottom;
  const double slot = (width - left - right) / static_cast<double>(years);
  char buffer[320];
  std::string svg;
  std::snprintf(
      buffer, sizeof(buffer),
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" class=\"chart\" "
      "role=\"img\" aria-labelledby=\"bar-title\" aria-describedby=\"%s\">",
      width, height, Escape(described_by).c_str());
  svg += buffer;
  svg += "<title id=\"bar-title\">" + Escape(title) + "</title>";
  for (int tick = 0; tick <= 4; ++tick) {
    const double value = static_cast<double>(top) * tick / 4;
    const double y = top_pad + plot_height * (1 - static_cast<double>(tick) / 4);
    std::snprintf(buffer, sizeof(buffer),
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                  "fill=\"#333\">%.1f</text>",
                  left, y, width - right, y, left - 4, y + 4, value / 1e8);
    svg += buffer;
  }
  std::snprintf(buffer, sizeof(buffer),
                "<text x=\"4\" y=\"12\" font-size=\"11\" fill=\"#333\">億円</text>");
  svg += buffer;
  for (size_t y = 0; y < years; ++y) {
    double base = top_pad + plot_height;
    for (size_t s = 0; s < costs.series.size(); ++s) {
      const double h =
          plot_height * static_cast<double>(costs.series[s][y]) / static_cast<double>(top);
      if (h <= 0) continue;
      base -= h;
      std::snprintf(buffer, sizeof(buffer),
                    "<rect x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" height=\"%.2f\" fill=\"%s\"/>",
                    left + slot * static_cast<double>(y) + slot * 0.1, base, slot * 0.8, h,
                    kColours[s % std::size(kColours)]);
      svg += buffer;
    }
    const int year = costs.from_year + static_cast<int>(y);
    if (year % 5 == 0 || y == 0) {
      const double x = left + slot * (static_cast<double>(y) + 0.5);
      std::snprintf(buffer, sizeof(buffer),
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                    "fill=\"#333\">%d</text>"
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                    "fill=\"#333\">",
                    x, top_pad + plot_height + 14, year, x, top_pad + plot_height + 27);
      svg += buffer + Escape(EraYearLabel(year, language)) + "</text>";
    }
  }
  for (size_t s = 0; s < costs.labels.size(); ++s) {
    const double x = left + 230.0 * static_cast<double>(s % 3);
    const double y = top_pad + plot_height + 44 + 20.0 * static_cast<double>(s / 3);
    std::snprintf(buffer, sizeof(buffer),
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10,
                  kColours[s % std::size(kColours)]);
    svg += buffer;
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#333\">", x + 16, y);
    svg += buffer;
    svg += Escape(costs.labels[s]) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace civicdesk::facilities
