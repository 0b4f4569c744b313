#ifndef CIVICDESK_MAIL_ADDRESS_H_
#define CIVICDESK_MAIL_ADDRESS_H_

#include <string>
#include <string_view>

#include "core/result.h"

// E-mail addresses as residents type them, before they go near a mail header.
namespace civicdesk::mail {

// The address in `typed`, checked for use as a mail recipient: NFKC (a full-width address
// becomes ASCII), surrounding spaces trimmed; then exactly one @, a local part of RFC 5322
// dot-atom characters (no leading, trailing or doubled dot, at most 64), a domain of letters,
// digits and hyphens in dot-separated labels with at least one dot, at most 254 in all. Anything
// else — a line break or any control character (header injection), a second address, a comma,
// angle brackets, quotes, spaces, non-ASCII — is InvalidArgument mail.address_invalid naming
// `field`. The domain comes back in lower case.
Result<std::string> CheckAddress(std::string_view typed, std::string_view field);

// The address as staff see it: the first character of the local part and of the domain, the
// rest of each as ***, the top-level domain kept ("t***@e***.jp"). Never the whole address.
std::string MaskAddress(std::string_view address);

}  // namespace civicdesk::mail

#endif  // CIVICDESK_MAIL_ADDRESS_H_
