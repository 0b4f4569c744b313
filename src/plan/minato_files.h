#ifndef CIVICDESK_PLAN_MINATO_FILES_H_
#define CIVICDESK_PLAN_MINATO_FILES_H_

#include <optional>
#include <string_view>
#include <vector>

// data/minato/plan.json and data/minato/policies/*.json, compiled into the binary.
namespace civicdesk::minato_files {

std::optional<std::string_view> FindEmbeddedFile(std::string_view relative_path);
const std::vector<std::string_view>& EmbeddedFilePaths();

}  // namespace civicdesk::minato_files

#endif  // CIVICDESK_PLAN_MINATO_FILES_H_
