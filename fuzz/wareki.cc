// The 和暦 parsers as forms and imports call them, and what they promise: whatever one reads,
// the date or year written back in 和暦 (with or without the Western year) reads the same.
#include "core/wareki.h"

#include <cstdio>
#include <cstdlib>

#include "core/date.h"
#include "fuzz/support.h"  // AsText only

namespace {

void Check(bool holds, const char* what, std::string_view input) {
  if (holds) return;
  std::fprintf(stderr, "wareki: %s for input [%.*s]\n", what, static_cast<int>(input.size()),
               input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  std::string_view text = fuzz::AsText(data, size);
  if (Result<Date> date = ParseWarekiDate(text); date.ok()) {
    for (WarekiStyle style : {WarekiStyle::kWithWesternYear, WarekiStyle::kEraOnly}) {
      Result<Date> again = ParseWarekiDate(FormatWarekiDate(*date, style));
      Check(again.ok() && *again == *date, "date does not read back", text);
    }
    (void)FormatDateIn("en", *date);
  }
  if (Result<int> year = ParseWarekiYear(text); year.ok()) {
    Result<int> again = ParseWarekiYear(FormatWarekiYear(*year));
    Check(again.ok() && *again == *year, "year does not read back", text);
  }
  if (Result<WarekiFiscalYear> fiscal = ParseWarekiFiscalYear(text); fiscal.ok()) {
    Result<WarekiFiscalYear> again =
        ParseWarekiFiscalYear(FormatWarekiFiscalYear(fiscal->fiscal_year, fiscal->end_of_year));
    Check(again.ok() && again->fiscal_year.year() == fiscal->fiscal_year.year() &&
              again->end_of_year == fiscal->end_of_year,
          "fiscal year does not read back", text);
  }
  (void)ParseIsoDate(text);
  return 0;
}
