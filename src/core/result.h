#ifndef CIVICDESK_CORE_RESULT_H_
#define CIVICDESK_CORE_RESULT_H_

#include <cassert>
#include <utility>
#include <variant>

#include "core/status.h"

namespace civicdesk {

// Either a value of type T or a failed Status. Used for every operation whose failure a user can
// cause (bad input, not found, forbidden, conflict).
//
//   Result<FiscalYear> year = ParseFiscalYear(text);
//   if (!year.ok()) return year.status();
//   Use(*year);
//
// REQUIRES: value() / operator* only when ok(); status() is Ok when ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(state_).ok() && "Result built from an ok Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }

  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace civicdesk

// Returns the failed Status of `expr` (a Status) from the enclosing function; goes on when ok.
#define CIVICDESK_RETURN_IF_ERROR(expr)                                          \
  do {                                                                           \
    if (::civicdesk::Status civicdesk_status_ = (expr); !civicdesk_status_.ok()) \
      return civicdesk_status_;                                                  \
  } while (false)

#define CIVICDESK_CONCAT_INNER_(a, b) a##b
#define CIVICDESK_CONCAT_(a, b) CIVICDESK_CONCAT_INNER_(a, b)

// `lhs` (a declaration such as `int64_t id` or an existing variable) gets the value of `rexpr`
// (a Result<T>); a failed Result's Status is returned from the enclosing function.
//   CIVICDESK_ASSIGN_OR_RETURN(int64_t id, context.PathId("id"));
#define CIVICDESK_ASSIGN_OR_RETURN(lhs, rexpr) \
  CIVICDESK_ASSIGN_OR_RETURN_IMPL_(CIVICDESK_CONCAT_(civicdesk_result_, __LINE__), lhs, rexpr)
#define CIVICDESK_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                     \
  if (!result.ok()) return result.status();                  \
  lhs = std::move(result).value()

#endif  // CIVICDESK_CORE_RESULT_H_
