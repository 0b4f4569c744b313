#ifndef CIVICDESK_APP_MESSAGES_H_
#define CIVICDESK_APP_MESSAGES_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/templates.h"

namespace civicdesk::app {

// The command line's words: every module's catalogs (http::CatalogOf(AllModules())) and the
// app's own (src/app/messages), built on first use. Thread-safe.
const http::MessageCatalog& CliCatalog();

// A failed Status as the command line shows it: "context: field: ", then its words in Japanese,
// " / " and in English.
std::string Words(const Status& status);

// The catalog's message `id` in Japanese, then " / " and English when they differ, with each
// {name} replaced by the value in `args`: Say("app.migrations_applied", {{"count", "3"}}).
std::string Say(std::string_view id, MessageArgs args = {});

// The same failure as a usage error (exit code 2), keeping its words, field and context: for
// input the command read from a file or an option, whatever the layer below called it.
Status AsBadInput(const Status& status);

}  // namespace civicdesk::app

#endif  // CIVICDESK_APP_MESSAGES_H_
