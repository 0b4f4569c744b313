#ifndef CIVICDESK_CORE_TABULAR_CHUNKS_H_
#define CIVICDESK_CORE_TABULAR_CHUNKS_H_

// ReadTable a part of the file at a time, for importers of files larger than memory should hold
// at once (a million-row docket is 300 MB of text, and its cells as strings as much again).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/tabular_import.h"

namespace civicdesk::tabular {

// Where the bytes of a file are: in memory (`bytes`), or on disk at `path`, read a chunk at a
// time. With a path, `bytes` is not used.
struct ByteSource {
  std::string_view bytes;
  std::string path;
};

// The message id of the Status ReadTableInChunks returns when a part of the file, read after
// earlier parts were handed over, reads otherwise than its first part (another encoding or
// delimiter, a quote left open, a column with data and no field): the caller undoes what it did
// with the earlier parts and reads again with `whole` set.
inline constexpr std::string_view kReadAgainWhole = "core.import_read_again_whole";

// Reads `source` as ReadTable(bytes, spec, options) reads the whole of it, handing `take` the
// table a part at a time: each part's records (line and record numbers those of the file) and
// `report` what the file's parts together read so far. Plain UTF-8 CSV and TSV (BOM or not) is
// cut at record ends after about `chunk_bytes` and each part read under the file's header, so
// memory holds one part; anything else (XLSX, CP932, UTF-16, damaged UTF-8, ImportOptions'
// for_mapping or preview_rows), and every file when `whole` is set, is read at once and handed
// over as one part. `take` returning an error ends the reading with it. Returns ReadTable's
// refusals as they are; Status kReadAgainWhole as said above; InvalidArgument
// core.file_unreadable naming the path when the file cannot be read.
//
// `report` holds after the last part what ReadTable's would: the mapped and unused columns,
// every cell change, notes, repeated headers and warnings; rows_read counts every part's
// records, `estimated_rows` (if not null) the rows the file is likely to hold, from the bytes
// read so far, for progress.
Status ReadTableInChunks(const ByteSource& source, const ImporterSpec& spec,
                         const ImportOptions& options, bool whole, size_t chunk_bytes,
                         Report& report, const std::function<Status(Table& part)>& take,
                         int64_t* estimated_rows = nullptr);

// The end of the last complete record of `text` (just after its LF), CSV or TSV with
// `delimiter` as ParseDelimited reads it; 0 when no record in it is complete.
size_t CompleteRecordsEnd(std::string_view text, char delimiter);

}  // namespace civicdesk::tabular

#endif  // CIVICDESK_CORE_TABULAR_CHUNKS_H_
