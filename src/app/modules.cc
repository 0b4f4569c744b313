#include "app/modules.h"

#include "consultation/consultation_module.h"
#include "facilities/facilities_module.h"
#include "http/http_module.h"
#include "mail/mail_module.h"
#include "opendata/opendata_module.h"
#include "partners/partners_module.h"
#include "plan/plan_module.h"
#include "surveys/surveys_module.h"
#include "text/text_module.h"

namespace civicdesk::app {

std::vector<http::Module> AllModules() {
  std::vector<http::Module> modules;
  modules.push_back(http::HttpModule());
  modules.push_back(text::TextModule());
  // The outbox the domain modules write their mail to.
  modules.push_back(mail::MailModule());
  modules.push_back(plan::PlanModule());
  modules.push_back(consultation::ConsultationModule());
  modules.push_back(facilities::FacilitiesModule());
  modules.push_back(partners::PartnersModule());
  modules.push_back(surveys::SurveysModule());
  // The open-data catalog reads the public datasets every module declares.
  modules.push_back(opendata::OpendataModule());
  return modules;
}

}  // namespace civicdesk::app
