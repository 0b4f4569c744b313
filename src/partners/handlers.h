#ifndef CIVICDESK_PARTNERS_HANDLERS_H_
#define CIVICDESK_PARTNERS_HANDLERS_H_

#include <vector>

#include "core/result.h"
#include "http/app.h"
#include "http/public_data.h"

// The handlers the route table of partners_module.cc names. Access (public, staff, publisher)
// is declared on the routes and checked by App before any of these runs.
namespace civicdesk::partners {

// pages.cc: the registry (/partners by prefecture, /partners/agreements with counts by type and
// exchanges per district office), the marché schedule, the workation programme with the
// estimator (/workation/estimate, without JavaScript), the application form and the lottery
// seed's commitment, and the lottery's record (/workation/draws/{year}: the commitment, the seed
// revealed and SHA-256(seed) = commitment checked, and the draw re-run, on every view).
Result<http::Response> IndexPage(http::RequestContext& context);
Result<http::Response> AgreementsPage(http::RequestContext& context);
Result<http::Response> MarchePage(http::RequestContext& context);
Result<http::Response> WorkationPage(http::RequestContext& context);
Result<http::Response> EstimatePage(http::RequestContext& context);
Result<http::Response> ApplyForm(http::RequestContext& context);
Result<http::Response> DrawPage(http::RequestContext& context);

// staff_pages.cc: /staff/workation (any staff reads it; publishers set the programme, select or
// draw, approve, record expenses and publication) and /staff/partners (publishers record
// exchanges and agreements). A bad form is shown again with the error inline.
Result<http::Response> StaffWorkationPage(http::RequestContext& context);
Result<http::Response> SaveProgrammeForm(http::RequestContext& context);
Result<http::Response> SelectForm(http::RequestContext& context);
// POST /staff/workation/applications/{id}/{approve|report|publish}.
Result<http::Response> ApplicationAction(http::RequestContext& context);
Result<http::Response> StaffPartnersPage(http::RequestContext& context);
Result<http::Response> AddExchangeForm(http::RequestContext& context);
Result<http::Response> AddAgreementForm(http::RequestContext& context);

// api.cc: POST /api/v1/workation/estimate ({staff: [...]} → the subsidy, line by line) and
// GET /api/v1/workation/programmes/{year} (the programme with its lottery: the seed's
// commitment from before the window closed, and after the draw the seed revealed).
Result<http::Response> EstimateApi(http::RequestContext& context);
Result<http::Response> ProgrammeApi(http::RequestContext& context);

// datasets.cc: the marché schedule as iCalendar, the year's applications as CSV or XLSX
// (?year=, streamed), and the module's public datasets.
Result<http::Response> MarcheCalendar(http::RequestContext& context);
// /partners/marche/{event} with the segment "<id>.ics": that one date as iCalendar; NotFound
// (partners.event_not_found) for any other segment or an unknown id.
Result<http::Response> MarcheEventCalendar(http::RequestContext& context);
Result<http::Response> ApplicationsCsv(http::RequestContext& context);
Result<http::Response> ApplicationsXlsx(http::RequestContext& context);
Result<std::vector<http::PublicDataset>> Datasets(http::App& app);

}  // namespace civicdesk::partners

#endif  // CIVICDESK_PARTNERS_HANDLERS_H_
