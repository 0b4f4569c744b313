#ifndef CIVICDESK_HTTP_HTTP_MODULE_H_
#define CIVICDESK_HTTP_HTTP_MODULE_H_

#include "http/app.h"

namespace civicdesk::http {

// The site itself: staff accounts and sessions (tables http_user, http_session,
// http_login_attempt), the layout and error pages, sign-in and sign-out, the staff home,
// /healthz and /static/. Listed first in src/app/modules.cc.
Module HttpModule();

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_HTTP_MODULE_H_
