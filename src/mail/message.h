#ifndef CIVICDESK_MAIL_MESSAGE_H_
#define CIVICDESK_MAIL_MESSAGE_H_

#include <chrono>
#include <string>
#include <string_view>

// One outgoing message as the relay receives it (RFC 5322, MIME, UTF-8).
namespace civicdesk::mail {

struct Mail {
  std::string to;       // a checked address (CheckAddress): never anything a header could break on
  std::string subject;  // UTF-8, one line
  std::string body;     // UTF-8 plain text, LF line ends
  // The page that stops the mail (List-Unsubscribe); empty: no such header.
  std::string unsubscribe_url;
};

// The message as the relay gets it, CRLF line ends: Date, From, To, Subject (RFC 2047 encoded
// words, folded), Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8, the body in
// base64 (so that no line of it is too long, nor a lone "."), Auto-Submitted: auto-generated and
// List-Unsubscribe when there is a page. `message_id` is given without angle brackets.
std::string FormatMessage(const Mail& mail, std::string_view from, std::string_view message_id,
                          std::chrono::sys_seconds date);

// RFC 5322's date ("Wed, 02 Dec 2026 11:00:00 +0000").
std::string FormatMailDate(std::chrono::sys_seconds date);

}  // namespace civicdesk::mail

#endif  // CIVICDESK_MAIL_MESSAGE_H_
