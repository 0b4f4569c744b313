#ifndef CIVICDESK_PARTNERS_PARTNERS_MODULE_H_
#define CIVICDESK_PARTNERS_PARTNERS_MODULE_H_

#include "http/app.h"

namespace civicdesk::partners {

// The national partnership registry (全国連携) and the workation subsidy programme: pages
// /partners (grouped by prefecture), /partners/agreements (counts by type against the published
// ones, exchanges per district office), /partners/marche (+ .ics), /workation (the programme,
// the estimator, the application form), /workation/draws/{year} (the lottery, re-run on every
// view), POST /api/v1/workation/estimate, and for staff /staff/workation (programme settings,
// selection and lottery, approval, expense reports, publication, CSV/XLSX). Loads seed 003's
// partners and programme (data/minato/partners.json) into an empty database.
http::Module PartnersModule();

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_PARTNERS_MODULE_H_
