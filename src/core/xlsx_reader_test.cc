#include "core/xlsx_reader.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>
#include <iterator>
#include <string>

namespace civicdesk {
namespace {

long PeakRssKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Found by fuzz_facilities_xlsx: a 3 KB workbook whose directory declares a 973 MB worksheet
// made the reader allocate (and zero) all of it — 15 s and 1 GB for each upload. The declared
// size is not trusted now: the entry is read as it comes and refused when it falls short.
TEST(XlsxReaderTest, AnEntryIsNotAllocatedAtTheSizeItDeclares) {
  std::ifstream file(std::string(CIVICDESK_CORE_SOURCE_DIR) +
                         "/../../fuzz/regressions/facilities_xlsx/declares-973mb-sheet.xlsx",
                     std::ios::binary);
  ASSERT_TRUE(file) << "regression input missing";
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_LT(bytes.size(), 4096u);
  const long before = PeakRssKilobytes();
  Result<std::vector<std::vector<std::string>>> rows =
      ReadXlsxFirstSheetBytes(bytes, "declares-973mb-sheet.xlsx");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(rows.status().message_id(), "core.xlsx_unreadable");
  EXPECT_LT(PeakRssKilobytes() - before, 100 * 1024) << "the declared size was allocated";
}

}  // namespace
}  // namespace civicdesk
