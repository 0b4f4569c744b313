#ifndef CIVICDESK_APP_MODULES_H_
#define CIVICDESK_APP_MODULES_H_

#include <vector>

#include "http/app.h"

namespace civicdesk::app {

// Every module of civicdesk, in the order they are migrated, loaded and installed. This list is
// the one place where modules are registered: nothing registers itself.
std::vector<http::Module> AllModules();

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_MODULES_H_
