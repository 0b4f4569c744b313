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

#endif  // CIVICDESK_CORE_RESULT_H_
