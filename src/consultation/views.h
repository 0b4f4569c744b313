#ifndef CIVICDESK_CONSULTATION_VIEWS_H_
#define CIVICDESK_CONSULTATION_VIEWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "consultation/corrections.h"
#include "consultation/store.h"
#include "core/result.h"
#include "http/app.h"
#include "storage/database.h"

// What the public pages, the staff pages and the JSON API show of a consultation, built once.
namespace civicdesk::consultation {

// An ISO date (or timestamp) as 和暦 (令和6(2024)年1月18日); the text itself when it is not one.
std::string WarekiOf(const std::string& iso);
// The same in the page's language: "18 January 2024 (Reiwa 6)" on an English page.
std::string DateOf(const http::RequestContext& context, const std::string& iso);

// The label of a stored option in the page's language: a relationship (在住 → "I live in the
// ward"), a channel of the public comment (インターネット → "Internet") or a district (芝 →
// "Shiba"). The stored value stays Japanese; an unknown value is shown as it is.
std::string RelationshipLabel(const http::RequestContext& context, std::string_view value);
std::string ChannelLabel(const http::RequestContext& context, std::string_view channel);
std::string DistrictLabel(const http::RequestContext& context, std::string_view district);

// True while a consultation takes opinions: open, and today (in Japan) within its period.
bool IsOpen(const Consultation& consultation);

// Id, titles, period in the page's language (和暦, or English with the era year), open and
// published: a consultation in a list or on its page. Its title is the ward's, in Japanese
// (title_lang "ja").
nlohmann::json ConsultationView(const http::RequestContext& context,
                                const Consultation& consultation);

// Blocks 1 and 2 of a result: items and people by route, channel and district, and items by
// 対応状況 (the JSON of /api/v1/consultations/{id}/summary).
nlohmann::json SummaryJson(const Summary& summary);

// The 区民の声 desk by month: items, by channel, by field, and each channel's share in percent.
nlohmann::json MonthlyJson(const std::vector<MonthlyCount>& months);

// The result page's data: the consultation, its periods, blocks 1 and 2, the legend and the
// table of `rows`.
nlohmann::json ResultView(const http::RequestContext& context, const Consultation& consultation,
                          const Summary& summary, const std::vector<PublishedRow>& rows);

// A correction (corrections.h) in the reader's language: its state, reason, who asked and
// decided and when (和暦 with the Western year), and each changed column before and after.
nlohmann::json CorrectionView(const http::RequestContext& context, const Correction& correction);

// True when the request asks for one row per form letter (?form_letters=collapse).
bool CollapseRequested(const http::RequestContext& context);

// The published rows of `consultation_id`, one row per form letter when `collapse`: read from
// `database` each time the source is called.
RowSource ResultRows(storage::Database& database, int64_t consultation_id, bool collapse);

// Every row of `source`, in memory: for pages, which show them all anyway.
Result<std::vector<PublishedRow>> CollectRows(const RowSource& source);

// A record id sent in a form (a ticked item_<id>, a chosen field): InvalidArgument naming `field`
// (consultation.number_invalid) unless a whole number from 1.
Result<int64_t> ParseFormId(std::string_view text, std::string_view field);

// The first `characters` characters of `text`, with "…" when cut.
std::string Excerpt(const std::string& text, size_t characters);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_VIEWS_H_
