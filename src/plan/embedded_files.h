#ifndef CIVICDESK_PLAN_EMBEDDED_FILES_H_
#define CIVICDESK_PLAN_EMBEDDED_FILES_H_

#include <optional>
#include <string_view>
#include <vector>

// The plan module's templates/ and messages/, compiled into the binary.
namespace civicdesk::plan_files {

std::optional<std::string_view> FindEmbeddedFile(std::string_view relative_path);
const std::vector<std::string_view>& EmbeddedFilePaths();

}  // namespace civicdesk::plan_files

#endif  // CIVICDESK_PLAN_EMBEDDED_FILES_H_
