#include "http/atom.h"

#include <algorithm>

namespace civicdesk::http {
namespace {

// XML text: HtmlEscape's entities, and no C0 control but tab and line breaks (XML 1.0 allows
// no other).
std::string Escape(std::string_view text) {
  std::string allowed;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') allowed += c;
  }
  return HtmlEscape(allowed);
}

}  // namespace

std::string AtomTag(std::string_view public_url, std::string_view specific) {
  std::string_view host = public_url;
  if (size_t scheme = host.find("://"); scheme != std::string_view::npos)
    host.remove_prefix(scheme + 3);
  host = host.substr(0, host.find('/'));
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return "tag:" + std::string(host) + ",2024:civicdesk/" + std::string(specific);
}

std::string Rfc3339Of(std::string_view date_or_time) {
  if (date_or_time.size() == 10) return std::string(date_or_time) + "T00:00:00+09:00";
  return std::string(date_or_time);
}

std::string RenderAtom(const AtomFeed& feed) {
  std::string updated = feed.updated;
  for (const AtomEntry& entry : feed.entries) updated = std::max(updated, entry.updated);
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  xml +=
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + Escape(feed.language) + "\">\n";
  xml += "  <id>" + Escape(feed.id) + "</id>\n";
  xml += "  <title>" + Escape(feed.title) + "</title>\n";
  xml += "  <updated>" + Escape(updated) + "</updated>\n";
  xml += "  <author><name>" + Escape(feed.author) + "</name></author>\n";
  xml +=
      "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + Escape(feed.self) + "\"/>\n";
  xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + Escape(feed.page) + "\"/>\n";
  for (const AtomEntry& entry : feed.entries) {
    xml += "  <entry>\n";
    xml += "    <id>" + Escape(entry.id) + "</id>\n";
    xml += "    <title>" + Escape(entry.title) + "</title>\n";
    xml += "    <updated>" + Escape(entry.updated) + "</updated>\n";
    xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + Escape(entry.link) + "\"/>\n";
    if (!entry.summary.empty()) xml += "    <summary>" + Escape(entry.summary) + "</summary>\n";
    xml += "  </entry>\n";
  }
  xml += "</feed>\n";
  return xml;
}

Response AtomResponse(const AtomFeed& feed) {
  Response response;
  response.content_type = "application/atom+xml; charset=utf-8";
  response.body = RenderAtom(feed);
  return response;
}

}  // namespace civicdesk::http
