#include "app/messages.h"

#include <utility>

#include "app/modules.h"
#include "core/log.h"
#include "embedded/app_files.h"
#include "http/app.h"

namespace civicdesk::app {

const http::MessageCatalog& CliCatalog() {
  static const http::MessageCatalog catalog = [] {
    http::MessageCatalog built;
    if (Result<http::MessageCatalog> modules = http::CatalogOf(AllModules()); modules.ok()) {
      built = std::move(*modules);
    } else {
      Log(LogLevel::kWarning, "module catalogs: " + modules.status().ToString());
    }
    if (Status added = http::AddEmbeddedMessages(built, "app", app_files::EmbeddedFilePaths(),
                                                 app_files::FindEmbeddedFile);
        !added.ok()) {
      Log(LogLevel::kWarning, "app catalog: " + added.ToString());
    }
    built.Finalize();
    return built;
  }();
  return catalog;
}

std::string Words(const Status& status) {
  std::string prefix;
  if (!status.context().empty()) prefix += status.context() + ": ";
  if (!status.field().empty()) prefix += status.field() + ": ";
  // The words alone: the context and field are shown once, before both languages.
  return prefix +
         CliCatalog().FormatBoth(Status(status.code(), status.message_id(), status.args()));
}

std::string Say(std::string_view id, MessageArgs args) {
  return CliCatalog().FormatBoth(Status(StatusCode::kOk, std::string(id), std::move(args)));
}

Status AsBadInput(const Status& status) {
  Status bad(StatusCode::kInvalidArgument, status.message_id(), status.args(), status.field());
  return status.context().empty() ? bad : bad.WithContext(status.context());
}

}  // namespace civicdesk::app
