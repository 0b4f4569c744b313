#ifndef CIVICDESK_CONSULTATION_CONSULTATION_MODULE_H_
#define CIVICDESK_CONSULTATION_CONSULTATION_MODULE_H_

#include "http/app.h"

namespace civicdesk::consultation {

// Public consultations and the 区民の声 desk: tables consultation_*, the organisation chart loaded
// from data/minato/organisation.json, the citizen pages and form, the staff console, and the
// JSON API (/api/v1/consultations/{id}/opinions, /summary, /api/v1/receipts/{receipt}).
http::Module ConsultationModule();

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_CONSULTATION_MODULE_H_
