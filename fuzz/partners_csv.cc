// `civicdesk partners import FILE.csv --db URL`, the command itself: its CSV reading lives there.
#include <sstream>

#include "app/partners_commands.h"
#include "fuzz/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace civicdesk;
  const std::string& url = fuzz::DatabaseUrl();
  const std::string path = fuzz::WriteFile("partners.csv", fuzz::AsText(data, size));
  std::ostringstream out, err;
  (void)app::PartnersCommand({"import", path, "--db", url}, out, err);
  return 0;
}
