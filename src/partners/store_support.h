#ifndef CIVICDESK_PARTNERS_STORE_SUPPORT_H_
#define CIVICDESK_PARTNERS_STORE_SUPPORT_H_

#include <string>
#include <string_view>

#include "core/result.h"
#include "partners/store.h"
#include "storage/database.h"

// What store.cc (the register, programmes, application steps) and workation_store.cc
// (applications, the seed's commitment, the draw) share. Not for handlers.
namespace civicdesk::partners::internal {

// One row of partners_audit, in the caller's transaction.
Status Audit(storage::Connection& connection, const std::string& user, const std::string& action,
             const std::string& entity, const std::string& before, const std::string& after);

// `text` without leading and trailing ASCII white space.
std::string Trim(std::string_view text);

// Draws and commits the seed of `fiscal_year` in the caller's transaction, audited; the existing
// commitment, unchanged, when there is one.
Result<SeedCommitment> CommitSeedIn(storage::Connection& connection, int fiscal_year,
                                    const std::string& user);

}  // namespace civicdesk::partners::internal

#endif  // CIVICDESK_PARTNERS_STORE_SUPPORT_H_
