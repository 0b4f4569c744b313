#include "http/client_address.h"

#include <boost/asio/ip/address.hpp>

namespace civicdesk::http {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The canonical text of `text` as an IP address, or "" when it is none.
std::string CanonicalAddress(std::string_view text) {
  boost::system::error_code error;
  const boost::asio::ip::address address =
      boost::asio::ip::make_address(std::string(Trim(text)), error);
  if (error) return "";
  return address.to_string();
}

}  // namespace

bool IsIpAddress(std::string_view text) { return !CanonicalAddress(text).empty(); }

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          std::string_view trusted_proxy) {
  if (trusted_proxy.empty() || forwarded_for.empty()) return std::string(peer);
  if (CanonicalAddress(peer) != CanonicalAddress(trusted_proxy)) return std::string(peer);
  const size_t comma = forwarded_for.rfind(',');
  const std::string_view last =
      comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
  std::string client = CanonicalAddress(last);
  return client.empty() ? std::string(peer) : client;
}

}  // namespace civicdesk::http
