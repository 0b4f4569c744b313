#include "core/tabular_chunks.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace civicdesk::tabular {
namespace {

ImporterSpec TestSpec() {
  return {"test",
          {{"id", {"番号", "No.", "No"}, true, false},
           {"text", {"意見", "ご意見"}, true, false},
           {"field", {"分野"}, false, false}}};
}

// What a reading handed over, every part's records in order.
struct Read {
  Status status = Status::Ok();
  Report report;
  std::vector<Record> records;
  int parts = 0;
};

Read InChunks(const ByteSource& source, size_t chunk_bytes, const ImportOptions& options = {}) {
  Read read;
  read.status = ReadTableInChunks(source, TestSpec(), options, false, chunk_bytes, read.report,
                                  [&](Table& part) {
                                    ++read.parts;
                                    for (Record& record : part.records)
                                      read.records.push_back(std::move(record));
                                    return Status::Ok();
                                  });
  return read;
}

// Reading in parts of any size gives what ReadTable gives for the whole file: the same records
// (values, originals, line and record numbers) and the same report.
void ExpectSameAsWhole(const std::string& bytes) {
  Result<Table> whole = ReadTable(bytes, TestSpec(), {});
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  for (size_t chunk : {1u, 7u, 40u, 64u, 100u, 1000u}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    Read read = InChunks(ByteSource{bytes, ""}, chunk);
    ASSERT_TRUE(read.status.ok()) << read.status.ToString();
    ASSERT_EQ(read.records.size(), whole->records.size());
    for (size_t i = 0; i < read.records.size(); ++i) {
      const Record& got = read.records[i];
      const Record& want = whole->records[i];
      EXPECT_EQ(got.line, want.line) << i;
      EXPECT_EQ(got.record, want.record) << i;
      EXPECT_EQ(got.cells, want.cells) << i;
      EXPECT_EQ(got.values, want.values) << i;
      EXPECT_EQ(got.original, want.original) << i;
    }
    const Report& report = read.report;
    EXPECT_EQ(report.rows_read, whole->report.rows_read);
    EXPECT_EQ(report.header_row, whole->report.header_row);
    EXPECT_EQ(report.repeated_headers, whole->report.repeated_headers);
    EXPECT_EQ(report.format, whole->report.format);
    EXPECT_EQ(report.encoding, whole->report.encoding);
    ASSERT_EQ(report.changes.size(), whole->report.changes.size());
    for (size_t i = 0; i < report.changes.size(); ++i) {
      EXPECT_EQ(report.changes[i].row, whole->report.changes[i].row);
      EXPECT_EQ(report.changes[i].before, whole->report.changes[i].before);
    }
    ASSERT_EQ(report.notes_above.size(), whole->report.notes_above.size());
    ASSERT_EQ(report.notes_below.size(), whole->report.notes_below.size());
    for (size_t i = 0; i < report.notes_below.size(); ++i) {
      EXPECT_EQ(report.notes_below[i].row, whole->report.notes_below[i].row);
      EXPECT_EQ(report.notes_below[i].text, whole->report.notes_below[i].text);
    }
    ASSERT_EQ(report.unused.size(), whole->report.unused.size());
    for (size_t i = 0; i < report.unused.size(); ++i) {
      EXPECT_EQ(report.unused[i].column, whole->report.unused[i].column);
      EXPECT_EQ(report.unused[i].has_data, whole->report.unused[i].has_data);
    }
  }
}

TEST(TabularChunks, PartsReadAsTheWholeFile) {
  // Notes above, a header, quoted cells over several lines, CRLF inside and between cells, a
  // doubled quote, blank lines, a page-break header, a note amid the rows, no final line break.
  std::string csv = "区民意見一覧\n\n番号,意見,分野\n";
  for (int i = 1; i <= 30; ++i) {
    csv += std::to_string(i) + ",";
    if (i % 3 == 0) {
      csv += "\"一行目\r\n二行目、\"\"引用\"\"\",緑\r\n";
    } else if (i % 7 == 0) {
      csv += "公園を,－\n\n番号,意見,分野\n";
    } else {
      csv += "ご意見" + std::to_string(i) + ",交通\n";
    }
    if (i == 12) csv += "※ 途中の注記\n";
  }
  csv += "31,最後の行,緑";
  ExpectSameAsWhole(csv);
  ExpectSameAsWhole("\xEF\xBB\xBF" + csv);
}

TEST(TabularChunks, TsvAndASecondHeaderRow) {
  std::string tsv = "番号\t意見\t分野\n";
  for (int i = 1; i <= 20; ++i) tsv += std::to_string(i) + "\t意見 " + std::to_string(i) + "\t\n";
  tsv += "計\t20件\n";
  ExpectSameAsWhole(tsv);
}

TEST(TabularChunks, ReadsAFileOnDiskAPartAtATime) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "civicdesk_tabular_chunks_test.csv").string();
  std::string csv = "番号,意見\n";
  for (int i = 1; i <= 1000; ++i) csv += std::to_string(i) + ",\"意見" + std::to_string(i) + "\"\n";
  std::ofstream(path, std::ios::binary) << csv;
  Read read = InChunks(ByteSource{{}, path}, 1000);
  std::filesystem::remove(path);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_GT(read.parts, 10);
  ASSERT_EQ(read.records.size(), 1000u);
  EXPECT_EQ(read.records[999].values[1], "意見1000");
  EXPECT_EQ(read.records[999].line, 1001);
  EXPECT_EQ(read.report.rows_read, 1000);

  Read missing = InChunks(ByteSource{{}, path}, 1000);
  EXPECT_EQ(missing.status.message_id(), "core.file_unreadable");
}

TEST(TabularChunks, APartThatReadsOtherwiseAsksForTheWholeFile) {
  std::string csv = "番号,意見\n";
  for (int i = 1; i <= 40; ++i) csv += std::to_string(i) + ",意見\n";
  // A column with data and no field only further on: the whole file refuses it by name.
  Read extra = InChunks(ByteSource{csv + "41,意見,余計\n", ""}, 64);
  EXPECT_EQ(extra.status.message_id(), kReadAgainWhole);
  EXPECT_GT(extra.parts, 0);
  // A quote left open at the end: the whole file names its record.
  Read open = InChunks(ByteSource{csv + "41,\"意見\n", ""}, 64);
  EXPECT_EQ(open.status.message_id(), kReadAgainWhole);
  // Bytes that are not UTF-8 further on.
  Read damaged = InChunks(ByteSource{csv + "41,\x82\xa0\n", ""}, 64);
  EXPECT_EQ(damaged.status.message_id(), kReadAgainWhole);
}

TEST(TabularChunks, WhatCannotBeReadInPartsIsReadWhole) {
  std::string csv = "番号,意見\n";
  for (int i = 1; i <= 40; ++i) csv += std::to_string(i) + ",意見\n";
  // The first part already refuses (a column without a field): the whole file's answer.
  Read refused = InChunks(ByteSource{"番号,意見,余計\n1,a,b\n" + csv.substr(15), ""}, 64);
  EXPECT_EQ(refused.status.message_id(), "core.import_unmapped_column");
  EXPECT_EQ(refused.parts, 0);
  // The mapping step's preview reads the whole file at once.
  ImportOptions preview;
  preview.preview_rows = 3;
  Read previewed = InChunks(ByteSource{csv, ""}, 64, preview);
  ASSERT_TRUE(previewed.status.ok());
  EXPECT_EQ(previewed.parts, 1);
  EXPECT_EQ(previewed.report.preview.size(), 3u);
}

TEST(TabularChunks, CompleteRecordsEndAtTheLastLineBreakOutsideQuotes) {
  EXPECT_EQ(CompleteRecordsEnd("a,b\nc,\"d\ne", ','), 4u);
  EXPECT_EQ(CompleteRecordsEnd("a,b\nc,\"d\ne\"\n", ','), 12u);
  EXPECT_EQ(CompleteRecordsEnd("a,\"b\"\"", ','), 0u);
  EXPECT_EQ(CompleteRecordsEnd("a\r\nb\r", ','), 3u);
  EXPECT_EQ(CompleteRecordsEnd("a\tb\n", '\t'), 4u);
}

}  // namespace
}  // namespace civicdesk::tabular
