#ifndef CIVICDESK_CONSULTATION_EMBEDDED_FILES_H_
#define CIVICDESK_CONSULTATION_EMBEDDED_FILES_H_

#include <optional>
#include <string_view>
#include <vector>

// The consultation module's templates/ and messages/, and data/minato/organisation.json as
// "organisation.json", compiled into the binary.
namespace civicdesk::consultation_files {

std::optional<std::string_view> FindEmbeddedFile(std::string_view relative_path);
const std::vector<std::string_view>& EmbeddedFilePaths();

}  // namespace civicdesk::consultation_files

namespace civicdesk::consultation_data {

std::optional<std::string_view> FindEmbeddedFile(std::string_view relative_path);
const std::vector<std::string_view>& EmbeddedFilePaths();

}  // namespace civicdesk::consultation_data

#endif  // CIVICDESK_CONSULTATION_EMBEDDED_FILES_H_
