// Personal data before publication (personal_data_flags.h): the flags the publish page lists,
// each with a one-click mask and "not personal data", and the bulk mask of every open flag of
// a consultation.
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "consultation/access.h"
#include "consultation/handlers.h"
#include "consultation/personal_data_flags.h"
#include "consultation/store.h"
#include "consultation/workflow.h"

namespace civicdesk::consultation {
namespace {

using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr size_t kMaxListed = 500;

// Back to where the click came from: the item's page when the form names it (and it is a
// number), otherwise the publish page's personal-data section.
Response BackTo(RequestContext& context, int64_t consultation_id) {
  std::map<std::string, std::string> form = context.request().Form();
  const std::string& item = form["item"];
  int64_t item_id = 0;
  auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), item_id);
  if (!item.empty() && error == std::errc() && end == item.data() + item.size() && item_id > 0)
    return http::RedirectResponse("/staff/items/" + std::to_string(item_id) + "#personal-data");
  return http::RedirectResponse("/staff/consultations/" + std::to_string(consultation_id) +
                                "/publish#personal-data");
}

}  // namespace

json PersonalDataFlagJson(RequestContext& context, const PersonalDataFlag& flag) {
  return {{"id", flag.id},
          {"item_id", flag.item_id},
          {"kind", context.Message("personal_" + flag.kind)},
          {"state", context.Message("personal_state_" + flag.state)},
          {"open", flag.state == "open"},
          {"masked", flag.state == "masked"},
          {"excerpt", flag.excerpt},
          {"before", flag.before},
          {"after", flag.after}};
}

Result<json> PersonalDataView(RequestContext& context, int64_t consultation_id) {
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PersonalDataFlag> open,
                             OpenPersonalDataFlags(database, consultation_id));
  // Staff know the items by their No in the table.
  std::set<int64_t> items;
  for (const PersonalDataFlag& flag : open) items.insert(flag.item_id);
  std::map<int64_t, int> numbers;
  if (!items.empty()) {
    CIVICDESK_RETURN_IF_ERROR(
        ForEachPublishedRow(database, consultation_id, [&](const PublishedRow& row) {
          if (items.count(row.item_id) != 0) numbers[row.item_id] = row.number;
          return Status::Ok();
        }));
  }
  json flags = json::array();
  for (const PersonalDataFlag& flag : open) {
    if (flags.size() >= kMaxListed) break;
    json view = PersonalDataFlagJson(context, flag);
    const auto number = numbers.find(flag.item_id);
    view["label"] = number == numbers.end() ? "#" + std::to_string(flag.item_id)
                                            : "No " + std::to_string(number->second);
    flags.push_back(std::move(view));
  }
  return json{{"flags", flags},
              {"count", open.size()},
              {"more", open.size() > kMaxListed},
              {"has_open", !open.empty()}};
}

Result<json> ItemPersonalDataView(RequestContext& context, int64_t item_id) {
  CIVICDESK_ASSIGN_OR_RETURN(std::vector<PersonalDataFlag> all,
                             PersonalDataFlagsOfItem(context.app().database(), item_id));
  json flags = json::array();
  for (const PersonalDataFlag& flag : all) flags.push_back(PersonalDataFlagJson(context, flag));
  return json{{"flags", flags},
              {"has_flags", !all.empty()},
              {"can_mask", context.HasAccess(http::Access::kPublisher)}};
}

Result<Response> MaskFlag(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(int64_t consultation_id, PersonalDataFlagConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(MaskPersonalDataFlag(database, id, ActorOf(context)));
  return BackTo(context, consultation_id);
}

Result<Response> DismissFlag(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(int64_t consultation_id, PersonalDataFlagConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(DismissPersonalDataFlag(database, id, ActorOf(context)));
  return BackTo(context, consultation_id);
}

Result<Response> MaskAllFlags(RequestContext& context) {
  CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
  storage::Database& database = context.app().database();
  CIVICDESK_ASSIGN_OR_RETURN(Consultation consultation, GetConsultation(database, id));
  CIVICDESK_RETURN_IF_ERROR(
      MaskOpenPersonalData(database, consultation.id, ActorOf(context)).status());
  return BackTo(context, consultation.id);
}

}  // namespace civicdesk::consultation
