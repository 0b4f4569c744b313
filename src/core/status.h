#ifndef CIVICDESK_CORE_STATUS_H_
#define CIVICDESK_CORE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// Named values a message's text refers to as {name}: Status::NotFound("plan.kpi_not_found",
// {{"code", code}}) with the catalog text 「成果指標 {code} はありません」.
using MessageArgs = std::vector<std::pair<std::string, std::string>>;

// The outcome of an operation that can fail in an expected way. A failed Status carries the id
// of a message in the catalogs (src/<module>/messages/{ja,en}.json, e.g. "core.year_invalid"),
// the values its text refers to, and, for input errors, the name of the offending field or line.
// The words are chosen at the edge, in the reader's language: http::MessageCatalog::Format.
// An id the catalogs do not hold is shown as it is (text from outside: a database's own error).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message_id, std::string field = {})
      : code_(code), message_id_(std::move(message_id)), field_(std::move(field)) {}
  Status(StatusCode code, std::string message_id, MessageArgs args, std::string field = {})
      : code_(code),
        message_id_(std::move(message_id)),
        args_(std::move(args)),
        field_(std::move(field)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string id, std::string field = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(id), std::move(field));
  }
  static Status InvalidArgument(std::string id, MessageArgs args, std::string field = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(id), std::move(args), std::move(field));
  }
  static Status NotFound(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kNotFound, std::move(id), std::move(args));
  }
  static Status PermissionDenied(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kPermissionDenied, std::move(id), std::move(args));
  }
  static Status Unauthenticated(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kUnauthenticated, std::move(id), std::move(args));
  }
  static Status Conflict(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kConflict, std::move(id), std::move(args));
  }
  static Status TooManyRequests(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kTooManyRequests, std::move(id), std::move(args));
  }
  static Status Unavailable(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kUnavailable, std::move(id), std::move(args));
  }
  static Status Internal(std::string id, MessageArgs args = {}) {
    return Status(StatusCode::kInternal, std::move(id), std::move(args));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message_id() const { return message_id_; }
  const MessageArgs& args() const { return args_; }
  // The value of argument `name`; empty when absent.
  std::string arg(std::string_view name) const;
  const std::string& field() const { return field_; }
  // Where the failure happened, outside the message's words (a file name, a module): shown
  // before the message. Empty when not set.
  const std::string& context() const { return context_; }

  // The same failure naming another field (a CLI option for a form field, say).
  Status WithField(std::string field) const;
  // The same failure, located: "where: …" (nested contexts read outermost first).
  Status WithContext(std::string_view where) const;

  // The id with its arguments, e.g. "plan.kpi_not_found{code=99-9-9}": for logs and test
  // failures, never for people (they get the catalog's words).
  std::string message() const;

  // "context: field: message()", for logs.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_id_;
  MessageArgs args_;
  std::string field_;
  std::string context_;
};

// The HTTP status code a failed Status becomes at the edge (200 for ok).
int HttpStatusFor(StatusCode code);

// A short stable name for the code ("invalid_argument", "not_found", ...), used in JSON errors.
std::string_view StatusCodeName(StatusCode code);

}  // namespace civicdesk

#endif  // CIVICDESK_CORE_STATUS_H_
