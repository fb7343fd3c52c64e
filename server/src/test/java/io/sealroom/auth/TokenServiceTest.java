package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token has exactly one valid spelling: every variant of a valid issued token that differs in
 * its encoding (padding, trailing characters, unused bits, DER or over-long signatures, the
 * high-S twin) is refused, and the tokens the service issues are low-S.
 */
class TokenServiceTest {
  private static final String ISSUER = "sealroom-test";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static JwtKeys keys;
  static ECPrivateKey privateKey;
  static BigInteger order;
  static TokenService tokens;

  @BeforeAll
  static void start() throws Exception {
    keys = JwtKeys.generate();
    privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(JwtKeysTest.der(keys.privatePem())));
    order = privateKey.getParams().getOrder();
    tokens = new TokenService(keys, new Config.Jwt(ISSUER, 3600, ""));
  }

  static boolean accepted(String token) throws Exception {
    Future<AuthUser> f = tokens.verify(token);
    try {
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      ApiException api = (ApiException) e.getCause();
      assertEquals(ErrorCode.UNAUTHORIZED, api.code());
      return false;
    }
  }

  static String issued() {
    return tokens.issue("cms2m52CRASooBHbyrpM", "alice").token();
  }

  static String[] parts(String token) {
    return token.split("\\.", -1);
  }

  static byte[] signature(String token) {
    return Base64.getUrlDecoder().decode(parts(token)[2]);
  }

  static String withSignature(String token, byte[] sig) {
    String[] p = parts(token);
    return p[0] + "." + p[1] + "." + B64.encodeToString(sig);
  }

  static BigInteger r(byte[] sig) {
    return new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
  }

  static BigInteger s(byte[] sig) {
    return new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
  }

  static byte[] unsigned32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  static byte[] rs(BigInteger r, BigInteger s) {
    byte[] out = new byte[64];
    System.arraycopy(unsigned32(r), 0, out, 0, 32);
    System.arraycopy(unsigned32(s), 0, out, 32, 32);
    return out;
  }

  /** The same r and s as an ASN.1 DER SEQUENCE of two INTEGERs (what plain SHA256withECDSA makes). */
  static byte[] der(byte[] sig) {
    byte[] r = r(sig).toByteArray();
    byte[] s = s(sig).toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.write(4 + r.length + s.length);
    out.write(0x02);
    out.write(r.length);
    out.writeBytes(r);
    out.write(0x02);
    out.write(s.length);
    out.writeBytes(s);
    return out.toByteArray();
  }

  /** Changes the unused low bits of a base64url value's last character: the same bytes, another spelling. */
  static String otherSpelling(String b64) {
    int bits = b64.length() % 4 == 2 ? 4 : b64.length() % 4 == 3 ? 2 : 0;
    assertNotEquals(0, bits, "the value has unused bits");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int v = alphabet.indexOf(b64.charAt(b64.length() - 1));
    return b64.substring(0, b64.length() - 1) + alphabet.charAt(v | 1);
  }

  /** Signs header.payload exactly as spelled with the service's key (a raw r||s signature, made low-S). */
  static String signed(String headerPart, String payloadPart) {
    String input = headerPart + "." + payloadPart;
    try {
      Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
      sig.initSign(privateKey);
      sig.update(input.getBytes(StandardCharsets.US_ASCII));
      byte[] raw = sig.sign();
      BigInteger s = s(raw);
      if (s.compareTo(order.shiftRight(1)) > 0) {
        raw = rs(r(raw), order.subtract(s));
      }
      return input + "." + B64.encodeToString(raw);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String part(JsonObject o) {
    return B64.encodeToString(o.encode().getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject validClaims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", "cms2m52CRASooBHbyrpM").put("name", "alice").put("iss", ISSUER)
        .put("iat", now - 10).put("exp", now + 600);
  }

  static JsonObject header() {
    return new JsonObject().put("typ", "JWT").put("alg", "ES256");
  }

  /** One way to spell a valid issued token differently. */
  enum Variant {
    TRAILING_X(t -> t + "x"),
    TRAILING_A(t -> t + "A"),
    PADDED(t -> t + "=="),
    TRAILING_DOT(t -> t + "."),
    LEADING_DOT(t -> "." + t),
    WHITESPACE(t -> t + " "),
    SIGNATURE_65_BYTES_APPENDED(t -> withSignature(t, Arrays.copyOf(signature(t), 65))),
    SIGNATURE_65_BYTES_PREPENDED(t -> {
      byte[] sig = new byte[65];
      System.arraycopy(signature(t), 0, sig, 1, 64);
      return withSignature(t, sig);
    }),
    SIGNATURE_DER(t -> withSignature(t, der(signature(t)))),
    SIGNATURE_HIGH_S_TWIN(t -> withSignature(t, rs(r(signature(t)), order.subtract(s(signature(t)))))),
    SIGNATURE_OTHER_SPELLING(t -> {
      String[] p = parts(t);
      return p[0] + "." + p[1] + "." + otherSpelling(p[2]);
    }),
    SIGNATURE_STANDARD_BASE64(t -> {
      String[] p = parts(t);
      return p[0] + "." + p[1] + "." + Base64.getEncoder().withoutPadding().encodeToString(signature(t));
    }),
    SIGNATURE_EMPTY(t -> {
      String[] p = parts(t);
      return p[0] + "." + p[1] + ".";
    });

    final UnaryOperator<String> change;

    Variant(UnaryOperator<String> change) {
      this.change = change;
    }
  }

  @Test
  void anIssuedTokenIsAccepted() throws Exception {
    assertTrue(accepted(issued()));
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void anotherSpellingOfAnIssuedTokenIsRefused(Variant v) throws Exception {
    // several issued tokens: both an issued low-S and (before low-S was enforced) a high-S one
    for (int i = 0; i < 8; i++) {
      String token = issued();
      String changed = v.change.apply(token);
      if (changed.equals(token)) {
        continue; // a signature without - or _ reads the same in standard base64
      }
      assertEquals(false, accepted(changed), v + " of " + token);
      assertTrue(accepted(token), "the original still passes");
    }
  }

  @Test
  void issuedTokensAreLowS() {
    BigInteger half = order.shiftRight(1);
    for (int i = 0; i < 64; i++) {
      byte[] sig = signature(issued());
      assertEquals(64, sig.length);
      assertTrue(s(sig).compareTo(half) <= 0, "s <= n/2");
    }
  }

  @Test
  void signatureValuesOutOfRangeAreRefused() throws Exception {
    String token = issued();
    byte[] sig = signature(token);
    assertEquals(false, accepted(withSignature(token, rs(BigInteger.ZERO, s(sig)))));
    assertEquals(false, accepted(withSignature(token, rs(r(sig), BigInteger.ZERO))));
    assertEquals(false, accepted(withSignature(token, rs(r(sig).add(order), s(sig)))));
    assertEquals(false, accepted(withSignature(token, rs(order, s(sig)))));
  }

  @Test
  void headerIsExactlyAlgEs256WithOptionalTypJwt() throws Exception {
    String payload = part(validClaims());
    assertTrue(accepted(signed(part(header()), payload)));
    assertTrue(accepted(signed(part(new JsonObject().put("alg", "ES256")), payload)));
    assertEquals(false, accepted(signed(part(header().put("kid", "k1")), payload)));
    assertEquals(false, accepted(signed(part(header().put("typ", "JOSE")), payload)));
    assertEquals(false, accepted(signed(part(header().put("crit", new io.vertx.core.json.JsonArray().add("exp"))), payload)));
    assertEquals(false, accepted(signed(part(new JsonObject().put("typ", "JWT")), payload)));
    assertEquals(false, accepted(signed(part(header().put("alg", "ES384")), payload)));
    assertEquals(false, accepted(signed(B64.encodeToString("[\"ES256\"]".getBytes(StandardCharsets.UTF_8)), payload)));
  }

  @Test
  void headerAndPayloadMustBeCanonicalUnpaddedBase64Url() throws Exception {
    String header = part(header());
    // a payload whose length leaves unused bits and needs padding
    JsonObject claims = validClaims();
    String payload = part(claims);
    while (payload.length() % 4 == 0) {
      claims.put("pad", claims.getString("pad", "") + "x");
      payload = part(claims);
    }
    assertTrue(accepted(signed(header, payload)));
    String padded = payload + "=".repeat(4 - payload.length() % 4);
    assertEquals(false, accepted(signed(header, padded)), "padding");
    assertEquals(false, accepted(signed(header, otherSpelling(payload))), "unused bits set");
    String standard = Base64.getEncoder().withoutPadding().encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    if (!standard.equals(payload)) {
      assertEquals(false, accepted(signed(header, standard)), "+ and / are not base64url");
    }
    assertEquals(false, accepted(signed(header + "=", payload)), "a stray padding character");
  }

  /** One way the claims of a signed token can differ from what the server issues. */
  enum BadClaims {
    NO_EXPIRY(c -> c.remove("exp")),
    NO_ISSUED_AT(c -> c.remove("iat")),
    EXPIRY_AS_TEXT(c -> c.put("exp", String.valueOf(c.getLong("exp")))),
    EXPIRY_FRACTIONAL(c -> c.put("exp", c.getLong("exp") + 0.5)),
    ISSUED_AT_AS_TEXT(c -> c.put("iat", String.valueOf(c.getLong("iat")))),
    NO_SUBJECT(c -> c.remove("sub")),
    NUMERIC_SUBJECT(c -> c.put("sub", 12345678901234567L)),
    EMPTY_SUBJECT(c -> c.put("sub", "")),
    SUBJECT_NOT_AN_ID(c -> c.put("sub", "u-alice")),
    SUBJECT_TOO_SHORT(c -> c.put("sub", "cms2m52CRASooBHbyrp")),
    SUBJECT_TOO_LONG(c -> c.put("sub", "cms2m52CRASooBHbyrpMx")),
    SUBJECT_OBJECT(c -> c.put("sub", new JsonObject().put("id", "cms2m52CRASooBHbyrpM"))),
    NO_NAME(c -> c.remove("name")),
    NUMERIC_NAME(c -> c.put("name", 42)),
    EMPTY_NAME(c -> c.put("name", "")),
    NO_ISSUER(c -> c.remove("iss")),
    NUMERIC_ISSUER(c -> c.put("iss", 1)),
    OTHER_ISSUER(c -> c.put("iss", "someone-else")),
    EXPIRED(c -> c.put("exp", System.currentTimeMillis() / 1000 - 60)),
    SESSION_NOT_TEXT(c -> c.put("sid", 7)),
    ISSUED_AT_MS_AS_TEXT(c -> c.put("iat_ms", "1795677044217"));

    final java.util.function.Consumer<JsonObject> change;

    BadClaims(java.util.function.Consumer<JsonObject> change) {
      this.change = change;
    }
  }

  @Test
  void signedClaimsAsIssuedAreAccepted() throws Exception {
    assertTrue(accepted(signed(part(header()), part(validClaims()))));
    assertTrue(accepted(signed(part(header()), part(validClaims().put("iat_ms", 1795677044217L).put("sid", "RPtmirOAdI4LXS0HdAmy")))));
  }

  @ParameterizedTest
  @EnumSource(BadClaims.class)
  void claimsTheServerWouldNeverIssueAreRefused(BadClaims bad) throws Exception {
    JsonObject claims = validClaims();
    bad.change.accept(claims);
    assertEquals(false, accepted(signed(part(header()), part(claims))), bad + ": " + claims.encode());
  }
}
