#include "mail/mail_module.h"

#include "embedded/mail_files.h"
#include "mail/outbox.h"

namespace civicdesk::mail {

http::Module MailModule() {
  http::Module module;
  module.name = "mail";
  module.migrations = MailMigrations();
  module.messages = [](http::MessageCatalog& catalog) {
    return http::AddEmbeddedMessages(catalog, "mail", mail_files::EmbeddedFilePaths(),
                                     mail_files::FindEmbeddedFile);
  };
  return module;
}

}  // namespace civicdesk::mail
