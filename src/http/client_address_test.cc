#include "http/client_address.h"

#include <gtest/gtest.h>

namespace civicdesk::http {
namespace {

TEST(ClientAddress, WithoutATrustedProxyTheHeaderIsIgnored) {
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.7", ""), "203.0.113.5");
}

TEST(ClientAddress, FromAnotherPeerTheHeaderIsIgnored) {
  // A stranger who writes the header directly does not choose its own address.
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.7", "127.0.0.1"), "203.0.113.5");
}

TEST(ClientAddress, FromTheProxyTheLastEntryIsTheClient) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7", "127.0.0.1"), "198.51.100.7");
  // What the client wrote comes first; the proxy appended the address it saw.
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.1, 1.2.3.4,198.51.100.7", "127.0.0.1"),
            "198.51.100.7");
  EXPECT_EQ(ClientAddress("::1", "2001:db8::1", "::1"), "2001:db8::1");
}

TEST(ClientAddress, ALastEntryThatIsNoAddressLeavesThePeer) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7, unknown", "127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", "127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7,", "127.0.0.1"), "127.0.0.1");
}

}  // namespace
}  // namespace civicdesk::http
