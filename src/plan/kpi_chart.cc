#include "plan/kpi_chart.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace civicdesk::plan {

std::string KpiChartSvg(const Kpi& kpi, const std::vector<KpiActual>& actuals,
                        const std::string& label) {
  struct Point {
    int year;
    double value;
  };
  std::vector<Point> targets;
  for (const KpiTarget& target : kpi.targets) {
    std::optional<double> value = target.value;
    if (!value && target.min_value && target.max_value)
      value = (*target.min_value + *target.max_value) / 2;
    if (value) targets.push_back({target.fiscal_year, *value});
  }
  int first_year = kpi.baseline_fiscal_year > 0 ? kpi.baseline_fiscal_year : 9999;
  int last_year = 0;
  double low = 1e300, high = -1e300;
  auto take = [&](int year, double value) {
    first_year = std::min(first_year, year);
    last_year = std::max(last_year, year);
    low = std::min(low, value);
    high = std::max(high, value);
  };
  if (kpi.baseline_value) take(kpi.baseline_fiscal_year, *kpi.baseline_value);
  for (const Point& point : targets) take(point.year, point.value);
  for (const KpiActual& actual : actuals) take(actual.fiscal_year, actual.value);
  if (last_year == 0 || first_year > last_year) return "";
  if (high - low < 1e-9) {
    low -= 1;
    high += 1;
  }
  const double pad = (high - low) * 0.1;
  low = std::max(0.0, low - pad);
  high += pad;
  constexpr double kWidth = 640, kHeight = 260, kLeft = 56, kRight = 16, kTop = 16, kBottom = 36;
  const int span = std::max(1, last_year - first_year);
  auto x = [&](int year) { return kLeft + (kWidth - kLeft - kRight) * (year - first_year) / span; };
  auto y = [&](double value) {
    return kTop + (kHeight - kTop - kBottom) * (1 - (value - low) / (high - low));
  };
  char buffer[256];
  std::string svg;
  std::snprintf(buffer, sizeof(buffer),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                "class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" "
                "aria-describedby=\"history-table\">",
                kWidth, kHeight);
  svg += buffer;
  svg += "<title id=\"chart-title\">";
  for (char c : label) {
    if (c == '<')
      svg += "&lt;";
    else if (c == '&')
      svg += "&amp;";
    else
      svg += c;
  }
  svg += "</title>";
  std::snprintf(buffer, sizeof(buffer),
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>", kLeft,
                kHeight - kBottom, kWidth - kRight, kHeight - kBottom);
  svg += buffer;
  for (int year = first_year; year <= last_year; ++year) {
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
                  "fill=\"#333\">%d</text>",
                  x(year), kHeight - kBottom + 16, year);
    svg += buffer;
  }
  for (double value : {low, (low + high) / 2, high}) {
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" "
                  "fill=\"#333\">%.4g</text>",
                  kLeft - 6, y(value) + 4, value);
    svg += buffer;
  }
  if (kpi.baseline_value) {
    std::snprintf(buffer, sizeof(buffer),
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"#1b4f8a\" "
                  "stroke-width=\"2\"/>",
                  x(kpi.baseline_fiscal_year), y(*kpi.baseline_value));
    svg += buffer;
  }
  for (const Point& point : targets) {
    std::snprintf(buffer, sizeof(buffer),
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"#b35c00\"/>",
                  x(point.year) - 5, y(point.value) - 5);
    svg += buffer;
  }
  if (!actuals.empty()) {
    std::string points;
    for (const KpiActual& actual : actuals) {
      std::snprintf(buffer, sizeof(buffer), "%.1f,%.1f ", x(actual.fiscal_year), y(actual.value));
      points += buffer;
    }
    svg +=
        "<polyline fill=\"none\" stroke=\"#1b4f8a\" stroke-width=\"2\" points=\"" + points + "\"/>";
    for (const KpiActual& actual : actuals) {
      std::snprintf(buffer, sizeof(buffer),
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1b4f8a\"/>",
                    x(actual.fiscal_year), y(actual.value));
      svg += buffer;
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace civicdesk::plan
