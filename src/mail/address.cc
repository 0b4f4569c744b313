#include "mail/address.h"

#include <algorithm>

#include "core/text_normalize.h"

namespace civicdesk::mail {
namespace {

// RFC 5322 atext: letters, digits and these.
bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsLocalPart(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.')
    return false;
  for (size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '.') {
      if (local[i + 1] == '.') return false;
    } else if (!IsAtext(local[i])) {
      return false;
    }
  }
  return true;
}

bool IsDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos)
    return false;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
        return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

Result<std::string> CheckAddress(std::string_view typed, std::string_view field) {
  const std::string address = TrimSpaces(NormalizeNfkc(typed));
  const size_t at = address.find('@');
  if (address.size() > 254 || at == std::string::npos ||
      address.find('@', at + 1) != std::string::npos ||
      !IsLocalPart(std::string_view(address).substr(0, at)) ||
      !IsDomain(std::string_view(address).substr(at + 1))) {
    return Status::InvalidArgument("mail.address_invalid", std::string(field));
  }
  std::string checked = address;
  std::transform(checked.begin() + static_cast<std::ptrdiff_t>(at), checked.end(),
                 checked.begin() + static_cast<std::ptrdiff_t>(at), [](char c) {
                   return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                 });
  return checked;
}

std::string MaskAddress(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  std::string_view domain = address.substr(at + 1);
  const size_t dot = domain.rfind('.');
  std::string masked;
  masked += address[0];
  masked += "***@";
  if (!domain.empty() && dot != 0) masked += domain[0];
  masked += "***";
  if (dot != std::string_view::npos) masked += domain.substr(dot);
  return masked;
}

}  // namespace civicdesk::mail
