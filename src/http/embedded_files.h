#ifndef CIVICDESK_HTTP_EMBEDDED_FILES_H_
#define CIVICDESK_HTTP_EMBEDDED_FILES_H_

#include <optional>
#include <string_view>
#include <vector>

// The http module's templates/, messages/ and static/ files, compiled into the binary
// (cmake/EmbedFiles.cmake).
namespace civicdesk::http_files {

std::optional<std::string_view> FindEmbeddedFile(std::string_view relative_path);
const std::vector<std::string_view>& EmbeddedFilePaths();

}  // namespace civicdesk::http_files

#endif  // CIVICDESK_HTTP_EMBEDDED_FILES_H_
