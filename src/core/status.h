#ifndef CIVICDESK_CORE_STATUS_H_
#define CIVICDESK_CORE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace civicdesk {

// What kind of expected failure a Status carries. Each code maps to one HTTP status at the edge
// (see HttpStatusFor) and to a non-zero exit code in the CLI.
enum class StatusCode {
  kOk,
  kInvalidArgument,   // bad input: 400 or 422
  kNotFound,          // 404
  kUnauthenticated,   // 401
  kPermissionDenied,  // 403
  kConflict,          // 409
  kTooManyRequests,   // 429
  kUnavailable,       // 503: a dependency (the database) cannot be reached
  kInternal,          // 500: a bug; never for anything a user can cause
};

// The outcome of an operation that can fail in an expected way. A failed Status carries a
// message meant for people (Japanese first, then English, e.g. "年が不正です / invalid year")
// and, for input errors, the name of the offending field or line.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message, std::string field = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, std::move(message));
  }
  static Status TooManyRequests(std::string message) {
    return Status(StatusCode::kTooManyRequests, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // "field: message", or the message alone when no field is named.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// The HTTP status code a failed Status becomes at the edge (200 for ok).
int HttpStatusFor(StatusCode code);

// A short stable name for the code ("invalid_argument", "not_found", ...), used in JSON errors.
std::string_view StatusCodeName(StatusCode code);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_STATUS_H_
