#include "text/text_module.h"

#include "embedded/text_files.h"
#include "text/handlers.h"
#include "text/search_index.h"

namespace civicdesk::text {
namespace {

using http::Access;

std::vector<http::Route> Routes() {
  return {
      {"GET", "/search", Access::kPublic, PublicSearchPage},
      {"GET", "/staff/search", Access::kStaff, StaffSearchPage},
      {"GET", "/api/v1/search", Access::kPublic, ApiSearch},
  };
}

}  // namespace

http::Module TextModule() {
  http::Module module;
  module.name = "text";
  module.migrations = SearchIndex::Migrations();
  module.install = [](http::App& app) -> Status {
    CIVICDESK_RETURN_IF_ERROR(http::AddEmbeddedTemplates(
        app, "text", text_files::EmbeddedFilePaths(), text_files::FindEmbeddedFile));
    app.router().Add(Routes());
    return Status::Ok();
  };
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "text", text_files::EmbeddedFilePaths(),
                                     text_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::text
