#include "partners/icalendar.h"

#include "core/result.h"

namespace civicdesk::partners {
namespace {

// RFC 5545 text: backslash, semicolon and comma escaped, newlines as \n.
std::string IcsText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// One content line, folded at 75 octets without splitting a UTF-8 character, with its CRLF.
std::string IcsLine(const std::string& line) {
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < line.size();) {
    size_t length = 1;
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0)
      length = 4;
    else if (c >= 0xE0)
      length = 3;
    else if (c >= 0xC0)
      length = 2;
    if (width + length > 75) {
      out += "\r\n ";
      width = 1;
    }
    out += line.substr(i, length);
    width += length;
    i += length;
  }
  return out + "\r\n";
}

// "2026-11-22T05:04:03Z" → "20261122T050403Z".
std::string CompactStamp(std::string_view iso) {
  std::string compact;
  for (char c : iso)
    if (c != '-' && c != ':') compact += c;
  return compact;
}

// "11:00" → "110000"; anything else → "000000".
std::string HourMinute(const std::string& time) {
  std::string digits;
  for (char c : time)
    if (c != ':') digits += c;
  return digits.size() == 4 ? digits + "00" : std::string("000000");
}

std::string EventText(const Event& event, const CalendarLabels& labels, const std::string& stamp) {
  std::string day;
  for (char c : event.date)
    if (c != '-') day += c;
  std::string ics = "BEGIN:VEVENT\r\n";
  ics += IcsLine("UID:partner-event-" + std::to_string(event.id) + "@civicdesk.minato");
  ics += "DTSTAMP:" + stamp + "\r\n";
  ics += "DTSTART;TZID=Asia/Tokyo:" + day + "T" + HourMinute(event.opens) + "\r\n";
  ics += "DTEND;TZID=Asia/Tokyo:" + day + "T" + HourMinute(event.closes) + "\r\n";
  ics += IcsLine("SUMMARY:" + IcsText(event.title + (event.planned ? labels.planned_suffix : "")));
  ics += IcsLine("LOCATION:" + IcsText(event.venue + "（" + event.address + "）"));
  ics += IcsLine("DESCRIPTION:" +
                 IcsText(labels.participants + event.participants_text + "\n" + event.stalls));
  ics += event.planned ? "STATUS:TENTATIVE\r\n" : "STATUS:CONFIRMED\r\n";
  ics += "END:VEVENT\r\n";
  return ics;
}

}  // namespace

Status WriteMarcheCalendar(const std::vector<Event>& events, const CalendarLabels& labels,
                           std::string_view now_utc, const http::BodyWriter& write) {
  std::string head =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//civicdesk//partners//JA\r\n"
      "CALSCALE:GREGORIAN\r\n";
  head += IcsLine("X-WR-CALNAME:" + IcsText(labels.calendar_name));
  head +=
      "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
      "TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nEND:STANDARD\r\n"
      "END:VTIMEZONE\r\n";
  CIVICDESK_RETURN_IF_ERROR(write(head));
  const std::string stamp = CompactStamp(now_utc);
  for (const Event& event : events)
    CIVICDESK_RETURN_IF_ERROR(write(EventText(event, labels, stamp)));
  return write("END:VCALENDAR\r\n");
}

}  // namespace civicdesk::partners
