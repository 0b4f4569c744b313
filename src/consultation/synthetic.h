#ifndef CIVICDESK_CONSULTATION_SYNTHETIC_H_
#define CIVICDESK_CONSULTATION_SYNTHETIC_H_

#include <cstdint>

#include "core/result.h"
#include "storage/database.h"

namespace civicdesk::consultation {

// Builds a complete, publishable consultation of `item_count` synthetic opinions (one
// submission each) for benchmarks and scale tests: every item has a field, one or two
// responding sections from the organisation chart, a status and a shared response, so the
// publication check passes. Texts are Japanese, 60–200 characters, and deterministic in
// `seed`. Rows are written in bulk (multi-row INSERT and INSERT ... SELECT), in one transaction
// per batch, on either backend. Returns the consultation id.
Result<int64_t> CreateSyntheticConsultation(storage::Database& database, int64_t item_count,
                                            uint64_t seed = 1);

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_SYNTHETIC_H_
