#include "http/form_errors.h"

namespace civicdesk::http {

nlohmann::json FormErrorView(const RequestContext& context, const Status& error,
                             const std::map<std::string, FormControl>& controls) {
  nlohmann::json view = nlohmann::json::object();
  if (error.ok()) return view;
  const std::string message = context.Format(error);
  auto control = controls.find(error.field());
  if (error.field().empty() || control == controls.end()) {
    view["error_banner"] = message;
    return view;
  }
  view["error_summary"] = {
      {"items", nlohmann::json::array({{{"id", control->second.id},
                                        {"label", context.Message(control->second.label_message) +
                                                      control->second.label_suffix},
                                        {"message", message}}})}};
  view["field_errors"] = {{error.field(), message}};
  return view;
}

}  // namespace civicdesk::http
