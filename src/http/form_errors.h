// The design system's pattern for a refused form: an error summary above the form (a heading
// and, for the field in error, a link to it under its visible label) and the same words beside
// the field. Errors that name no field (a form sent twice, too many sends) stay a banner.
#ifndef CIVICDESK_HTTP_FORM_ERRORS_H_
#define CIVICDESK_HTTP_FORM_ERRORS_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "http/app.h"

namespace civicdesk::http {

// A form control as the resident sees it: its element id (the summary's link target), the
// catalog id of its visible label, and what follows the label (a row number, " 2").
struct FormControl {
  std::string id;
  std::string label_message;
  std::string label_suffix = {};
};

// What templates/http/error_summary.mustache and the field templates read, for `error` (which may
// be Ok: then an empty object). Keys:
//   error_summary  {items: [{id, label, message}]}   when error.field() is one of `controls`
//   field_errors   {<field>: message}                the inline error beside that control
//   error_banner   message                           when the error names no known field
// REQUIRES: every label_message is in the request's catalog.
nlohmann::json FormErrorView(const RequestContext& context, const Status& error,
                             const std::map<std::string, FormControl>& controls);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_FORM_ERRORS_H_
