package io.sealroom.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private final ClientAddress none = new ClientAddress(List.of());
  private final ClientAddress proxied = new ClientAddress(List.of("10.0.0.0/8", "::1", "192.168.1.7"));

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    assertEquals("203.0.113.9", none.resolve("203.0.113.9", List.of("1.2.3.4")));
  }

  @Test
  void anUntrustedPeerCannotPickItsAddress() {
    assertEquals("203.0.113.9", proxied.resolve("203.0.113.9", List.of("1.2.3.4")));
  }

  @Test
  void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
    assertEquals("198.51.100.4", proxied.resolve("10.1.2.3", List.of("6.6.6.6, 198.51.100.4")));
    assertEquals("198.51.100.4", proxied.resolve("10.1.2.3", List.of("6.6.6.6", "198.51.100.4, 192.168.1.7")));
    assertEquals("2001:db8::5", proxied.resolve("0:0:0:0:0:0:0:1", List.of("2001:db8::5")));
  }

  @Test
  void aTrustedProxyWithoutTheHeaderIsTheClient() {
    assertEquals("10.1.2.3", proxied.resolve("10.1.2.3", List.of()));
  }

  @Test
  void garbageInTheHeaderIsNotBelieved() {
    assertEquals(ClientAddress.UNKNOWN, proxied.resolve("10.1.2.3", List.of("1.2.3.4, evil.example")));
    assertEquals(ClientAddress.UNKNOWN, none.resolve(null, List.of()));
  }

  @Test
  void limitsCountIpv6ByItsSlash64() {
    assertEquals("2001:db8:0:1::/64", ClientAddress.limitKey("2001:db8:0:1:aaaa::1"));
    assertEquals("2001:db8:0:1::/64", ClientAddress.limitKey("2001:db8:0:1:bbbb:cccc:dddd:eeee"));
    assertEquals("198.51.100.7", ClientAddress.limitKey("198.51.100.7"));
    assertEquals("198.51.100.7", ClientAddress.limitKey("::ffff:198.51.100.7"));
    assertEquals(ClientAddress.UNKNOWN, ClientAddress.limitKey(ClientAddress.UNKNOWN));
  }

  @Test
  void badRangesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ClientAddress.checkRange("proxy.example"));
    assertThrows(IllegalArgumentException.class, () -> ClientAddress.checkRange("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> ClientAddress.checkRange("10.0.0.0/"));
  }
}
