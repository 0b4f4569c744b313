#include "mail/message.h"

#include <array>

#include "core/digest.h"

namespace civicdesk::mail {
namespace {

// No byte below a space: the values are checked where they come in, this keeps a header one line
// whatever a caller passes.
std::string OneLine(std::string_view value) {
  std::string line;
  for (char c : value) line += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  return line;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// The subject as RFC 2047 encoded words of at most 45 bytes of UTF-8 each (never cutting a
// character), one per folded line.
std::string EncodedSubject(std::string_view subject) {
  const std::string line = OneLine(subject);
  if (IsAscii(line) && line.size() < 70) return line;
  std::string encoded;
  size_t start = 0;
  while (start < line.size()) {
    size_t end = std::min(line.size(), start + 45);
    while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
    if (!encoded.empty()) encoded += "\r\n ";
    encoded +=
        "=?UTF-8?B?" + Base64Encode(std::string_view(line).substr(start, end - start)) + "?=";
    start = end;
  }
  return encoded;
}

std::string CrlfBase64(std::string_view body) {
  std::string crlf;
  for (char c : body) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const std::string encoded = Base64Encode(crlf);
  std::string lines;
  for (size_t i = 0; i < encoded.size(); i += 76) lines += encoded.substr(i, 76) + "\r\n";
  return lines;
}

}  // namespace

std::string FormatMailDate(std::chrono::sys_seconds date) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto days = std::chrono::floor<std::chrono::days>(date);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss time(date - days);
  const std::chrono::weekday weekday(days);
  char text[64];
  std::snprintf(text, sizeof(text), "%s, %02u %s %d %02d:%02d:%02d +0000",
                kDays[weekday.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

std::string FormatMessage(const Mail& mail, std::string_view from, std::string_view message_id,
                          std::chrono::sys_seconds date) {
  std::string message;
  message += "Date: " + FormatMailDate(date) + "\r\n";
  message += "From: " + OneLine(from) + "\r\n";
  message += "To: " + OneLine(mail.to) + "\r\n";
  message += "Subject: " + EncodedSubject(mail.subject) + "\r\n";
  message += "Message-ID: <" + OneLine(message_id) + ">\r\n";
  message += "MIME-Version: 1.0\r\n";
  message += "Content-Type: text/plain; charset=UTF-8\r\n";
  message += "Content-Transfer-Encoding: base64\r\n";
  message += "Auto-Submitted: auto-generated\r\n";
  if (!mail.unsubscribe_url.empty())
    message += "List-Unsubscribe: <" + OneLine(mail.unsubscribe_url) + ">\r\n";
  message += "\r\n";
  message += CrlfBase64(mail.body);
  return message;
}

}  // namespace civicdesk::mail
