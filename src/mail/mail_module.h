#ifndef CIVICDESK_MAIL_MAIL_MODULE_H_
#define CIVICDESK_MAIL_MAIL_MODULE_H_

#include "http/app.h"

namespace civicdesk::mail {

// The outbox and the announcements (tables mail_outbox, mail_announcement,
// mail_announcement_cursor) and their messages; no routes. `serve --smtp-url` starts the sender
// (outbox.h). Listed before the domain modules in src/app/modules.cc.
http::Module MailModule();

}  // namespace civicdesk::mail

#endif  // CIVICDESK_MAIL_MAIL_MODULE_H_
