#ifndef CIVICDESK_FACILITIES_FACILITIES_MODULE_H_
#define CIVICDESK_FACILITIES_FACILITIES_MODULE_H_

#include <string_view>

#include "http/app.h"

namespace civicdesk::facilities {

// The facility registry and the future-cost estimator (公共施設将来経費試算): pages /facilities
// (registry, exports), /facilities/{id}, /facilities/projection (+ .csv, .xlsx),
// /facilities/policies, and for staff /staff/facilities/levelling and the policy editor. Loads
// the sample registry (data/sample/facilities.csv, shown as sample) and the 総務省 and 80-year
// policies into an empty database. Offers the datasets 公共施設一覧 and the projection, and the
// indicator "facilities.maintenance_works".
http::Module FacilitiesModule();

// Works recorded in the registry's history since fiscal 2021 (the plan's first year), counted
// cumulatively per fiscal year; the sample registry counts nothing.
inline constexpr std::string_view kMaintenanceWorks = "facilities.maintenance_works";

}  // namespace civicdesk::facilities

#endif  // CIVICDESK_FACILITIES_FACILITIES_MODULE_H_
