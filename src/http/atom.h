#ifndef CIVICDESK_HTTP_ATOM_H_
#define CIVICDESK_HTTP_ATOM_H_

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

// Atom feeds (RFC 4287) of what the site publishes: each module builds an AtomFeed from its own
// data and answers it with AtomResponse. Ids are tag: URIs (RFC 4151) under the site's host, so
// an entry keeps its id however its title or page changes; times are RFC 3339.
namespace civicdesk::http {

struct AtomEntry {
  std::string id;  // AtomTag(...)
  std::string title;
  std::string updated;  // RFC 3339 ("2026-12-02T11:00:00Z")
  std::string link;     // the entry's page, absolute
  std::string summary;  // plain text; may be empty
};

struct AtomFeed {
  std::string id;
  std::string title;
  std::string language;  // xml:lang
  std::string author;    // the body that publishes (the site's owner)
  std::string self;      // the feed's own absolute URL
  std::string page;      // the HTML page the feed follows, absolute
  // The newest entry's time; given for a feed without entries (the time of the page it follows).
  std::string updated;
  std::vector<AtomEntry> entries;
};

// tag:HOST,2024:civicdesk/SPECIFIC, HOST taken from `public_url` ("https://HOST[:PORT]/…").
std::string AtomTag(std::string_view public_url, std::string_view specific);

// An ISO date ("2026-04-01") as the start of that day in Japan in RFC 3339
// ("2026-04-01T00:00:00+09:00"); a value that is already a time comes back as it is.
std::string Rfc3339Of(std::string_view date_or_time);

// The feed as XML; `updated` of the feed is the newest of its entries' when it has any.
std::string RenderAtom(const AtomFeed& feed);

// RenderAtom's answer, application/atom+xml.
Response AtomResponse(const AtomFeed& feed);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_ATOM_H_
