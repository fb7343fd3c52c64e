package io.sealroom.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a request came from, for rate limits per address and the security log. The peer of the
 * TCP connection is the client, unless it is one of the configured trusted proxies: then the
 * client is the right-most address of X-Forwarded-For that is not itself a trusted proxy (each
 * proxy appends the peer it saw, so entries left of an untrusted one may be forged). From an
 * untrusted peer the header is ignored. Immutable and thread-safe.
 */
public final class ClientAddress {
  /** The address used when none can be told (no peer address, an unparsable header entry). */
  public static final String UNKNOWN = "unknown";
  private final List<Range> trusted;

  private record Range(byte[] network, int bits) {
    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  /** @param trustedProxies addresses or CIDR ranges; throws IllegalArgumentException naming a bad entry */
  public ClientAddress(List<String> trustedProxies) {
    List<Range> ranges = new ArrayList<>();
    for (String p : trustedProxies) {
      ranges.add(parseRange(p));
    }
    this.trusted = List.copyOf(ranges);
  }

  /** Checks one entry of http.trustedProxies; throws IllegalArgumentException when it is not an address or range. */
  public static void checkRange(String entry) {
    parseRange(entry);
  }

  private static Range parseRange(String entry) {
    String s = entry.trim();
    int slash = s.indexOf('/');
    byte[] net = literal(slash < 0 ? s : s.substring(0, slash));
    if (net == null) {
      throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR range");
    }
    int bits = net.length * 8;
    if (slash >= 0) {
      String b = s.substring(slash + 1);
      if (!b.matches("[0-9]{1,3}") || Integer.parseInt(b) > net.length * 8) {
        throw new IllegalArgumentException("\"" + entry + "\" has a bad prefix length");
      }
      bits = Integer.parseInt(b);
    }
    return new Range(net, bits);
  }

  /** The bytes of an IP literal, or null when the text is not one (never a name lookup). */
  static byte[] literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    boolean v4 = t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      byte[] b = InetAddress.getByName(t).getAddress();
      if (b.length == 16 && isMappedV4(b)) {
        return java.util.Arrays.copyOfRange(b, 12, 16);
      }
      return b;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
  }

  /**
   * The key a limit per address counts under: an IPv4 address as it is, an IPv6 address by its
   * /64 (one host, or one home, is usually given a whole /64 and could rotate through it).
   */
  public static String limitKey(String address) {
    byte[] a = literal(address);
    if (a == null) {
      return address;
    }
    if (a.length == 4) {
      return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      b.append(Integer.toHexString(((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF))).append(':');
    }
    return b.append(":/64").toString();
  }

  public boolean hasTrustedProxies() {
    return !trusted.isEmpty();
  }

  boolean trusted(String address) {
    byte[] a = literal(address);
    if (a == null) {
      return false;
    }
    for (Range r : trusted) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client's address.
   *
   * @param peer the TCP peer's address (null when unknown)
   * @param forwardedFor every X-Forwarded-For header value, in order (may be empty)
   */
  public String resolve(String peer, List<String> forwardedFor) {
    if (peer == null) {
      return UNKNOWN;
    }
    if (trusted.isEmpty() || !trusted(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String h : forwardedFor) {
      for (String part : h.split(",")) {
        hops.add(part.trim());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (literal(hop) == null) {
        return UNKNOWN; // garbage where an address should be: not believed, and not the proxy either
      }
      if (!trusted(hop)) {
        return hop.startsWith("[") ? hop.substring(1, hop.length() - 1) : hop;
      }
    }
    return hops.isEmpty() ? peer : hops.get(0);
  }
}
