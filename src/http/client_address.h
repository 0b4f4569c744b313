#ifndef CIVICDESK_HTTP_CLIENT_ADDRESS_H_
#define CIVICDESK_HTTP_CLIENT_ADDRESS_H_

#include <string>
#include <string_view>

namespace civicdesk::http {

// The address of the client a request comes from, as the site counts it (login throttling,
// submission limits, download counting). `peer` is the socket's remote address. Only when
// `peer` is the configured `trusted_proxy` (`serve --trusted-proxy`) is the X-Forwarded-For
// header believed, and then only its last entry: the one the proxy appended itself, since a
// client can write anything before it. An unset proxy, another peer, an absent header or a last
// entry that is not an IPv4 or IPv6 address: `peer`.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          std::string_view trusted_proxy);

// True when `text` is an IPv4 or IPv6 address (what --trusted-proxy accepts).
bool IsIpAddress(std::string_view text);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_CLIENT_ADDRESS_H_
