#include "app/modules.h"

#include "consultation/consultation_module.h"
#include "http/http_module.h"
#include "plan/plan_module.h"
#include "text/text_module.h"

namespace civicdesk::app {

std::vector<http::Module> AllModules() {
  return {
      http::HttpModule(),
      text::TextModule(),
      plan::PlanModule(),
      consultation::ConsultationModule(),
  };
}

}  // namespace civicdesk::app
