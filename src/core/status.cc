#include "core/status.h"

namespace civicdesk {

std::string Status::arg(std::string_view name) const {
  for (const auto& [key, value] : args_)
    if (key == name) return value;
  return {};
}

Status Status::WithField(std::string field) const {
  Status copy = *this;
  copy.field_ = std::move(field);
  return copy;
}

Status Status::WithContext(std::string_view where) const {
  Status copy = *this;
  copy.context_ = context_.empty() ? std::string(where) : std::string(where) + ": " + context_;
  return copy;
}

std::string Status::message() const {
  if (args_.empty()) return message_id_;
  std::string text = message_id_ + "{";
  for (size_t i = 0; i < args_.size(); ++i) {
    if (i > 0) text += ", ";
    text += args_[i].first + "=" + args_[i].second;
  }
  return text + "}";
}

std::string Status::ToString() const {
  std::string text;
  if (!context_.empty()) text += context_ + ": ";
  if (!field_.empty()) text += field_ + ": ";
  return text + message();
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kTooManyRequests:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kTooManyRequests:
      return "too_many_requests";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace civicdesk
