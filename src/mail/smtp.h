#ifndef CIVICDESK_MAIL_SMTP_H_
#define CIVICDESK_MAIL_SMTP_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

// The relay outgoing mail is handed to: an SMTP server reached through libcurl.
namespace civicdesk::mail {

// What came of handing one message to the relay.
struct Delivery {
  bool sent = false;
  // The relay refused the recipient for good (550, 551, 553): trying again would not help.
  bool permanent = false;
  std::string error;  // curl's words and the relay's last reply code; never the address
};

// Whatever takes messages (the SMTP relay; a test's fake).
class Relay {
 public:
  virtual ~Relay() = default;
  // Hands `message` (FormatMessage) to the relay for `to`, from `from` (bare addresses).
  // Thread-compatible: one sender calls it at a time.
  virtual Delivery Send(const std::string& from, const std::string& to,
                        const std::string& message) = 0;
};

// `serve --smtp-url`: smtp://[USER:PASSWORD@]HOST[:PORT] or smtps://… (TLS from the start).
// smtp:// upgrades with STARTTLS when the relay offers it, and requires it when the URL carries
// credentials (AUTH never goes in clear). USER and PASSWORD are percent-encoded as in any URL.
struct RelaySettings {
  std::string url;      // as given, for libcurl
  std::string ca_file;  // `--smtp-ca`: the certificate authorities to trust instead of the system's
  bool implicit_tls = false;
  bool require_tls = false;
  long timeout_seconds = 30;
};

// Checks `url` as above: InvalidArgument mail.smtp_url_invalid naming `field` otherwise
// (another scheme, no host, a path, a query, control characters).
Result<RelaySettings> ParseSmtpUrl(std::string_view url, std::string_view field);

std::unique_ptr<Relay> SmtpRelay(RelaySettings settings);

}  // namespace civicdesk::mail

#endif  // CIVICDESK_MAIL_SMTP_H_
