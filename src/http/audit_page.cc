// The admins' audit page (/staff/audit): the audit trail of every module, newest first, 100 to a
// page with previous and next links, filtered by ?user= and ?action=; each record's before and
// after read as a short table of what changed, not as the raw JSON the modules store. The links
// carry where their page starts (?before=, per module the id to stay below), and the modules are
// asked for one page of rows (App::AuditTrail), however far the page.
#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/number_format.h"
#include "core/wareki.h"
#include "http/site_handlers.h"

namespace civicdesk::http {
namespace {

using nlohmann::json;

constexpr size_t kPerPage = 100;
// A page asked by its number alone (no `before`) is found by walking the pages before it, up to
// this page; links always carry where their page starts.
constexpr int64_t kMaxWalked = 10;
constexpr size_t kMaxValueCharacters = 160;

// Keys the catalogs name (audit_key_…); others are shown as they are stored.
constexpr auto kNamedKeys = std::to_array<std::string_view>(
    {"state",      "kind",      "anchor", "start",      "end",         "sha256",   "hmac_sha256",
     "characters", "published", "fields", "sections",   "departments", "response", "response_id",
     "status",     "approved",  "reason", "correction", "days",        "spans",    "contacts"});

std::string Shortened(const std::string& text) {
  size_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++characters > kMaxValueCharacters)
      return text.substr(0, i) + "…";
  }
  return text;
}

std::string ValueText(const RequestContext& context, const std::string& key, const json& value) {
  if (value.is_null()) return "—";
  if (value.is_boolean()) return context.Message(value.get<bool>() ? "audit_yes" : "audit_no");
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.empty()) return "—";
    // A hash is told apart by its first characters.
    if ((key == "sha256" || key == "hmac_sha256") && text.size() > 12)
      return text.substr(0, 12) + "…";
    return Shortened(text);
  }
  if (value.is_array()) {
    std::string joined;
    for (const json& element : value)
      joined += (joined.empty() ? "" : ", ") + ValueText(context, key, element);
    return joined.empty() ? "—" : Shortened(joined);
  }
  if (value.is_object()) return Shortened(value.dump());
  return value.dump();
}

std::string KeyLabel(const RequestContext& context, const std::string& key) {
  if (std::find(kNamedKeys.begin(), kNamedKeys.end(), key) == kNamedKeys.end()) return key;
  return context.Message("audit_key_" + key);
}

// The record's change as rows of (what, before, after): for JSON objects, each key that differs
// (every key of a new record); otherwise the two values as they are.
json Changes(const RequestContext& context, const std::string& before, const std::string& after) {
  const json old_value = json::parse(before, nullptr, false);
  const json new_value = json::parse(after, nullptr, false);
  const bool old_object = old_value.is_object() || before.empty();
  const bool new_object = new_value.is_object() || after.empty();
  json rows = json::array();
  if (old_object && new_object && (old_value.is_object() || new_value.is_object())) {
    std::vector<std::string> keys;
    for (const json* side : {&old_value, &new_value}) {
      if (!side->is_object()) continue;
      for (auto it = side->begin(); it != side->end(); ++it)
        if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
    }
    for (const std::string& key : keys) {
      const bool had = old_value.is_object() && old_value.contains(key);
      const bool has = new_value.is_object() && new_value.contains(key);
      if (had && has && old_value[key] == new_value[key]) continue;
      // A key on one side only is shown as it is, without an arrow.
      rows.push_back({{"what", KeyLabel(context, key)},
                      {"both", had && has},
                      {"before", had ? ValueText(context, key, old_value[key]) : ""},
                      {"after", has ? ValueText(context, key, new_value[key]) : ""}});
    }
    return rows;
  }
  auto plain = [&](const std::string& text, const json& parsed) {
    if (parsed.is_discarded()) return Shortened(text);
    return ValueText(context, "", parsed);
  };
  rows.push_back({{"what", ""},
                  {"both", !before.empty() && !after.empty()},
                  {"before", before.empty() ? "" : plain(before, old_value)},
                  {"after", after.empty() ? "" : plain(after, new_value)}});
  return rows;
}

std::string TooFarText(const RequestContext& context) {
  std::string text = context.Message("audit_too_far");
  if (const size_t at = text.find("{max}"); at != std::string::npos)
    text.replace(at, 5, std::to_string(kMaxWalked));
  return text;
}

// A page's start as the URL carries it: "module:id,module:id" (ids to stay below).
std::string CursorText(const std::map<std::string, int64_t>& cursor) {
  std::string text;
  for (const auto& [module, id] : cursor)
    text += (text.empty() ? "" : ",") + module + ":" + std::to_string(id);
  return text;
}

std::optional<std::map<std::string, int64_t>> ParseCursor(std::string_view text) {
  std::map<std::string, int64_t> cursor;
  while (!text.empty()) {
    const size_t comma = std::min(text.find(','), text.size());
    const std::string_view part = text.substr(0, comma);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const std::optional<int64_t> id =
        ParseWholeNumber(part.substr(colon + 1), 1, std::numeric_limits<int64_t>::max());
    if (!id) return std::nullopt;
    cursor[std::string(part.substr(0, colon))] = *id;
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return cursor;
}

std::string PageAddress(int64_t page, const std::optional<std::map<std::string, int64_t>>& start,
                        const std::string& user, const std::string& action) {
  std::string address = "/staff/audit?page=" + std::to_string(page);
  if (start && page > 1) address += "&before=" + PercentEncode(CursorText(*start));
  if (!user.empty()) address += "&user=" + PercentEncode(user);
  if (!action.empty()) address += "&action=" + PercentEncode(action);
  return address;
}

}  // namespace

Result<Response> AuditPage(RequestContext& context) {
  const std::string page_text = context.request().QueryParam("page").value_or("1");
  const std::optional<int64_t> page =
      ParseWholeNumber(page_text, 1, std::numeric_limits<int32_t>::max());
  if (!page) return Status::InvalidArgument("http.audit_page_invalid", "page");
  const std::string user = context.request().QueryParam("user").value_or("");
  const std::string action = context.request().QueryParam("action").value_or("");
  App& app = context.app();
  // Where the page starts: the `before` its link carries (one page of rows, however far), or
  // for a page number alone (typed, bookmarked) the pages before it walked, up to kMaxWalked.
  std::map<std::string, int64_t> start;
  bool reachable = true;
  if (std::optional<std::string> before = context.request().QueryParam("before");
      before && *page > 1) {
    std::optional<std::map<std::string, int64_t>> parsed = ParseCursor(*before);
    if (!parsed) return Status::InvalidArgument("http.audit_before_invalid", "before");
    start = std::move(*parsed);
  } else if (*page > kMaxWalked) {
    reachable = false;
  } else {
    for (int64_t walked = 1; walked < *page && reachable; ++walked) {
      std::map<std::string, int64_t> next;
      bool more = false;
      CIVICDESK_RETURN_IF_ERROR(
          app.AuditTrail(start, kPerPage, user, action, &next, &more).status());
      start = std::move(next);
      reachable = more;
    }
  }
  std::vector<AuditEntry> entries;
  std::map<std::string, int64_t> next;
  bool has_next = false;
  if (reachable) {
    CIVICDESK_ASSIGN_OR_RETURN(entries,
                               app.AuditTrail(start, kPerPage, user, action, &next, &has_next));
  }
  json rows = json::array();
  for (const AuditEntry& entry : entries) {
    rows.push_back({{"at", FormatWarekiTimestamp(entry.at)},
                    {"user", entry.user_login},
                    {"module", entry.module},
                    {"action", entry.action},
                    {"entity", entry.entity},
                    {"changes", Changes(context, entry.before, entry.after)}});
  }
  const bool has_previous = *page > 1 && !rows.empty();
  std::optional<std::map<std::string, int64_t>> previous;
  if (has_previous && *page > 2) {
    CIVICDESK_ASSIGN_OR_RETURN(previous, app.AuditPageBefore(start, kPerPage, user, action));
  }
  const size_t skip = static_cast<size_t>(*page - 1) * kPerPage;
  json data = {{"entries", rows},
               {"has_entries", !rows.empty()},
               {"user_filter", user},
               {"action_filter", action},
               {"page", *page},
               {"first", skip + 1},
               {"last", skip + rows.size()},
               // A page past the records (or too far to find by its number alone) says so.
               {"beyond", *page > 1 && rows.empty()},
               {"too_far", !reachable && *page > kMaxWalked},
               {"too_far_text", TooFarText(context)},
               {"first_page", PageAddress(1, std::nullopt, user, action)},
               {"has_previous", has_previous},
               {"previous", PageAddress(*page - 1, previous, user, action)},
               {"has_next", has_next},
               {"next", PageAddress(*page + 1, next, user, action)},
               {"paged", *page > 1 || has_next}};
  return context.Page("http/audit", context.Message("audit_title"), data);
}

}  // namespace civicdesk::http
