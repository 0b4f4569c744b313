#include "core/tabular_chunks.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace civicdesk::tabular {
namespace {

constexpr size_t kIncomplete = std::string_view::npos;

// The end of the record starting at `at` as ParseDelimited reads it (just after its LF, or its
// lone CR after a quoted cell), or kIncomplete when `text` ends before it does.
size_t NextRecordEnd(std::string_view text, size_t at, char delimiter) {
  const size_t size = text.size();
  while (true) {
    if (at < size && text[at] == '"') {
      ++at;
      while (true) {
        const size_t quote = text.find('"', at);
        if (quote == std::string_view::npos || quote + 1 == size) return kIncomplete;
        at = quote + 1;
        if (text[at] != '"') break;
        ++at;  // a doubled quote inside the cell
      }
      while (at < size && text[at] != delimiter && text[at] != '\n' && text[at] != '\r') ++at;
    } else {
      while (at < size && text[at] != delimiter && text[at] != '\n' &&
             !(text[at] == '\r' && (at + 1 == size || text[at + 1] == '\n')))
        ++at;
    }
    if (at < size && text[at] == delimiter) {
      ++at;
      continue;
    }
    break;
  }
  if (at < size && text[at] == '\r') ++at;
  if (at < size && text[at] == '\n') return at + 1;
  // A lone CR ends the record only where something follows it.
  return at < size && at > 0 && text[at - 1] == '\r' ? at : kIncomplete;
}

// A file on disk, or bytes in memory, read a range at a time.
class Reader {
 public:
  explicit Reader(const ByteSource& source) : source_(source) {}
  ~Reader() {
    if (fd_ >= 0) ::close(fd_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  Status Open() {
    if (source_.path.empty()) {
      size_ = source_.bytes.size();
      return Status::Ok();
    }
    fd_ = ::open(source_.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd_ < 0 || ::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode))
      return Status::InvalidArgument("core.file_unreadable", {{"path", source_.path}},
                                     source_.path);
    size_ = static_cast<size_t>(info.st_size);
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    return Status::Ok();
  }
  size_t size() const { return size_; }

  // Appends the bytes [offset, offset + length) (fewer at the end) to `buffer`.
  Status Append(size_t offset, size_t length, std::string& buffer) {
    length = std::min(length, size_ - std::min(offset, size_));
    if (source_.path.empty()) {
      buffer.append(source_.bytes.substr(offset, length));
      return Status::Ok();
    }
    const size_t start = buffer.size();
    buffer.resize(start + length);
    size_t done = 0;
    while (done < length) {
      const ssize_t got = ::pread(fd_, buffer.data() + start + done, length - done,
                                  static_cast<off_t>(offset + done));
      if (got <= 0)
        return Status::InvalidArgument("core.file_unreadable", {{"path", source_.path}},
                                       source_.path);
      done += static_cast<size_t>(got);
    }
    return Status::Ok();
  }

 private:
  const ByteSource& source_;
  int fd_ = -1;
  size_t size_ = 0;
};

// A part read under the header: what the parts after the first must read as the first did.
bool SameReading(const Report& part, const Report& first) {
  if (part.format != first.format || part.encoding != first.encoding || !part.warnings.empty() ||
      part.mapped.size() != first.mapped.size()) {
    return false;
  }
  for (size_t i = 0; i < part.mapped.size(); ++i) {
    if (part.mapped[i].column != first.mapped[i].column ||
        part.mapped[i].header != first.mapped[i].header ||
        part.mapped[i].field != first.mapped[i].field) {
      return false;
    }
  }
  return true;
}

// `part`'s report, its line numbers already the file's, added to `report`.
void Merge(Report& report, Report& part) {
  report.rows_read += part.rows_read;
  report.repeated_headers += part.repeated_headers;
  for (CellChange& change : part.changes) report.changes.push_back(std::move(change));
  for (Note& note : part.notes_below) report.notes_below.push_back(std::move(note));
  for (const UnusedColumn& column : part.unused) {
    auto known = std::find_if(report.unused.begin(), report.unused.end(),
                              [&](const UnusedColumn& u) { return u.column == column.column; });
    if (known == report.unused.end()) {
      report.unused.push_back(column);
    } else {
      known->has_data = known->has_data || column.has_data;
    }
  }
  std::sort(report.unused.begin(), report.unused.end(),
            [](const UnusedColumn& a, const UnusedColumn& b) { return a.column < b.column; });
}

}  // namespace

size_t CompleteRecordsEnd(std::string_view text, char delimiter) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = NextRecordEnd(text, at, delimiter);
    if (end == kIncomplete) break;
    at = end;
  }
  return at;
}

Status ReadTableInChunks(const ByteSource& source, const ImporterSpec& spec,
                         const ImportOptions& options, bool whole, size_t chunk_bytes,
                         Report& report, const std::function<Status(Table& part)>& take,
                         int64_t* estimated_rows) {
  Reader reader(source);
  CIVICDESK_RETURN_IF_ERROR(reader.Open());
  const size_t size = reader.size();
  auto read_whole = [&]() -> Status {
    std::string held;
    std::string_view bytes = source.bytes;
    if (!source.path.empty()) {
      CIVICDESK_RETURN_IF_ERROR(reader.Append(0, size, held));
      bytes = held;
    }
    CIVICDESK_ASSIGN_OR_RETURN(Table table, ReadTable(bytes, spec, options));
    report = table.report;
    if (estimated_rows != nullptr) *estimated_rows = static_cast<int64_t>(table.records.size());
    return take(table);
  };
  chunk_bytes = std::max<size_t>(chunk_bytes, 1);
  if (whole || options.for_mapping || options.preview_rows > 0 || size <= chunk_bytes)
    return read_whole();

  // The first part: records up to about chunk_bytes, the whole file read otherwise when it is
  // not plain UTF-8 CSV or TSV, or when this part alone reads otherwise than the file would.
  std::string buffer;
  CIVICDESK_RETURN_IF_ERROR(reader.Append(0, chunk_bytes, buffer));
  std::string_view body = buffer;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const char delimiter = DetectDelimiter(body);
  size_t cut = CompleteRecordsEnd(buffer, delimiter);
  while (cut == 0 && buffer.size() < size) {
    CIVICDESK_RETURN_IF_ERROR(reader.Append(buffer.size(), chunk_bytes, buffer));
    cut = CompleteRecordsEnd(buffer, delimiter);
  }
  if (cut == 0 || cut == size) return read_whole();
  Result<Table> first = ReadTable(std::string_view(buffer).substr(0, cut), spec, options);
  const Format format = delimiter == '\t' ? Format::kTsv : Format::kCsv;
  if (!first.ok() || first->records.empty() || first->report.format != format ||
      (first->report.encoding != Encoding::kUtf8 && first->report.encoding != Encoding::kUtf8Bom) ||
      !first->report.warnings.empty()) {
    return read_whole();
  }
  // The head: everything above the first data record (notes, the header, a second header
  // row), read again above every later part so that it reads under the same header, and then
  // a blank line, so that a part starting with the header repeated at a page break does not
  // read it as a second header row.
  size_t head_end = 0;
  for (int64_t r = 1; r < first->records.front().record; ++r)
    head_end = NextRecordEnd(buffer, head_end, delimiter);
  const std::string head = buffer.substr(0, head_end) + "\n";
  const auto head_lines = static_cast<int64_t>(std::count(head.begin(), head.end(), '\n'));
  const int64_t head_records = first->records.front().record;
  Result<Table> head_alone = ReadTable(head, spec, options);
  if (!head_alone.ok()) return read_whole();
  const Report& head_report = head_alone->report;

  report = first->report;
  int64_t lines_before = std::count(buffer.begin(), buffer.begin() + cut, '\n');
  int64_t records_before = 0;
  for (size_t at = 0; at < cut; at = NextRecordEnd(buffer, at, delimiter)) ++records_before;
  size_t offset = cut;
  auto estimate = [&] {
    if (estimated_rows != nullptr) {
      *estimated_rows =
          static_cast<int64_t>(static_cast<double>(report.rows_read) * static_cast<double>(size) /
                               static_cast<double>(std::max<size_t>(offset, 1)));
    }
  };
  estimate();
  CIVICDESK_RETURN_IF_ERROR(take(*first));
  *first = Table{};  // the first part's records freed

  std::string part;
  std::string left = buffer.substr(cut);
  buffer.clear();
  buffer.shrink_to_fit();
  size_t read_to = offset + left.size();
  while (offset < size) {
    // The next part: the bytes left over, then more until a record ends (or the file does).
    part = head;
    const size_t part_start = part.size();
    part.append(left);
    left.clear();
    size_t end = 0;
    while (true) {
      if (part.size() - part_start < chunk_bytes && read_to < size) {
        const size_t want = chunk_bytes - (part.size() - part_start);
        CIVICDESK_RETURN_IF_ERROR(reader.Append(read_to, want, part));
        read_to = std::min(size, read_to + want);
      }
      const std::string_view own = std::string_view(part).substr(part_start);
      end = read_to == size ? own.size() : CompleteRecordsEnd(own, delimiter);
      if (end > 0) break;
      CIVICDESK_RETURN_IF_ERROR(reader.Append(read_to, chunk_bytes, part));
      read_to = std::min(size, read_to + chunk_bytes);
    }
    left.assign(part, part_start + end, std::string::npos);
    part.resize(part_start + end);

    Result<Table> table = ReadTable(part, spec, options);
    if (!table.ok() || !SameReading(table->report, report)) {
      return Status::InvalidArgument(std::string(kReadAgainWhole), "row 1");
    }
    const std::string_view own = std::string_view(part).substr(part_start);
    const int64_t line_shift = lines_before - head_lines;
    const int64_t record_shift = records_before - head_records;
    Report& got = table->report;
    for (Record& record : table->records) {
      record.line += line_shift;
      record.record += record_shift;
    }
    for (CellChange& change : got.changes) change.row += line_shift;
    std::erase_if(got.notes_below, [&](const Note& note) { return note.row <= head_lines; });
    for (Note& note : got.notes_below) note.row += line_shift;
    got.repeated_headers -= head_report.repeated_headers;
    lines_before += std::count(own.begin(), own.end(), '\n');
    for (size_t at = 0; at < own.size(); ++records_before) {
      const size_t next = NextRecordEnd(own, at, delimiter);
      at = next == kIncomplete ? own.size() : next;
    }
    offset += end;
    Merge(report, got);
    estimate();
    CIVICDESK_RETURN_IF_ERROR(take(*table));
  }
  return Status::Ok();
}

}  // namespace civicdesk::tabular
