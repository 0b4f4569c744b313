#include "plan/kpi_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "core/era_year_label.h"

namespace civicdesk::plan {
namespace {

void AppendEscaped(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
}

// A tick value without floating-point noise: 0.30000000000000004 → "0.3", 1e+06 → "1000000".
std::string TickLabel(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.6f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

}  // namespace

std::vector<double> RoundTicks(double low, double high) {
  if (!(high > low)) high = low + 1;
  // The step is factor × 10^exponent. Ticks are computed as whole numbers scaled once by a power
  // of ten (78 × 5 / 100, not 78 × 0.05), so 3.9 is 3.9 and not 3.9000000000000004.
  int exponent = static_cast<int>(std::floor(std::log10(high - low))) - 1;
  auto scale = [](double whole, int power) {
    return power >= 0 ? whole * std::pow(10.0, power) : whole / std::pow(10.0, -power);
  };
  for (;; ++exponent) {
    for (double factor : {1.0, 2.0, 5.0}) {
      const double step = scale(factor, exponent);
      const long long first = static_cast<long long>(std::floor(low / step + 1e-9));
      const long long last = static_cast<long long>(std::ceil(high / step - 1e-9));
      if (last - first > 6) continue;
      std::vector<double> ticks;
      for (long long k = first; k <= last; ++k)
        ticks.push_back(scale(static_cast<double>(k) * factor, exponent));
      if (ticks.size() < 2)
        ticks.push_back(scale(static_cast<double>(last + 1) * factor, exponent));
      return ticks;
    }
  }
}

std::string KpiChartSvg(const Kpi& kpi, const std::vector<KpiActual>& actuals,
                        const std::string& label, std::string_view language) {
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
  // Shares and counts start at zero when that costs little room; otherwise the axis hugs the data.
  if (low >= 0 && low < (high - low)) low = 0;
  const std::vector<double> ticks = RoundTicks(low, high);
  low = ticks.front();
  high = ticks.back();
  // 400 units wide: on a 375 px phone the chart is drawn at about 0.85 scale, so the 16-unit
  // labels stay near 14 px.
  constexpr double kWidth = 400, kHeight = 240, kLeft = 52, kRight = 20, kTop = 14, kBottom = 46;
  constexpr int kFont = 16;
  const int span = std::max(1, last_year - first_year);
  auto x = [&](int year) { return kLeft + (kWidth - kLeft - kRight) * (year - first_year) / span; };
  auto y = [&](double value) {
    return kTop + (kHeight - kTop - kBottom) * (1 - (value - low) / (high - low));
  };
  char buffer[320];
  std::string svg;
  std::snprintf(buffer, sizeof(buffer),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                "class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" "
                "aria-describedby=\"history-table\">",
                kWidth, kHeight);
  svg += buffer;
  svg += "<title id=\"chart-title\">";
  AppendEscaped(svg, label);
  svg += "</title>";
  for (double tick : ticks) {
    std::snprintf(buffer, sizeof(buffer),
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"end\" "
                  "fill=\"#333\">%s</text>",
                  kLeft, y(tick), kWidth - kRight, y(tick), tick == low ? "#555" : "#ddd",
                  kLeft - 6, y(tick) + 5, kFont, TickLabel(tick).c_str());
    svg += buffer;
  }
  // Every year when they fit (about 44 units each), otherwise every second or third.
  const int years = last_year - first_year + 1;
  const int every = std::max(1, static_cast<int>(std::ceil(years * 44.0 / (kWidth - kLeft))));
  for (int year = first_year; year <= last_year; ++year) {
    if ((year - first_year) % every != 0 && year != last_year) continue;
    std::string era = EraYearLabel(year, language);
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"middle\" "
                  "fill=\"#333\">%d<tspan x=\"%.1f\" dy=\"17\">",
                  x(year), kHeight - kBottom + 20, kFont, year, x(year));
    svg += buffer;
    AppendEscaped(svg, era);
    svg += "</tspan></text>";
  }
  if (kpi.baseline_value) {
    std::snprintf(buffer, sizeof(buffer),
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#fff\" stroke=\"#1b4f8a\" "
                  "stroke-width=\"2\"/>",
                  x(kpi.baseline_fiscal_year), y(*kpi.baseline_value));
    svg += buffer;
  }
  for (const Point& point : targets) {
    std::snprintf(buffer, sizeof(buffer),
                  "<rect class=\"target\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" "
                  "fill=\"none\" stroke=\"#b35c00\" stroke-width=\"2.5\"/>",
                  x(point.year) - 7, y(point.value) - 7);
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
                    "<circle class=\"actual\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1b4f8a\" "
                    "stroke=\"#fff\" stroke-width=\"1.5\"/>",
                    x(actual.fiscal_year), y(actual.value));
      svg += buffer;
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace civicdesk::plan
