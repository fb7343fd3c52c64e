package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

/**
 * Prints what the SDK's crypto costs on this machine; asserts correctness only, never a speed
 * (build machines vary too much).
 */
class CryptoThroughputTest {
  private static final long MEASURE_NANOS = 2_000_000_000L;
  private static final long RSA_NANOS = 1_000_000_000L;

  @Test
  void printsSealSignAndOpenVerifyRatesFor200ByteMessages() throws Exception {
    byte[] roomKey = RoomKeys.generate();
    KeyPair signing = SigningKeys.generate();
    String plain = "{\"text\":\"" + "x".repeat(200 - 11) + "\"}";
    assertEquals(200, plain.length());
    warmUp(roomKey, signing, plain);

    Envelope.Sealed last = null;
    long n = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < MEASURE_NANOS) {
      last = Envelope.seal(roomKey, "room", "user", "c" + n, plain, signing.getPrivate());
      n++;
    }
    double sealRate = n / ((System.nanoTime() - start) / 1e9);

    long m = 0;
    start = System.nanoTime();
    String cid = "c" + (n - 1);
    while (System.nanoTime() - start < MEASURE_NANOS) {
      Envelope.Opened o = Envelope.open(roomKey, "room", "user", cid, last, signing.getPublic());
      if (o.verification() != Envelope.Verification.VERIFIED) {
        throw new AssertionError("not verified");
      }
      m++;
    }
    double openRate = m / ((System.nanoTime() - start) / 1e9);
    System.out.printf("Envelope, 200-byte plaintext: seal+sign %.0f/s, open+verify %.0f/s%n", sealRate, openRate);
    assertTrue(n > 0 && m > 0);
  }

  @Test
  void printsRsaWrapAndUnwrapRates() throws Exception {
    KeyPair rsa = RsaKeys.generate();
    RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
    byte[] roomKey = RoomKeys.generate();
    byte[] ct = RsaKeys.wrap(pub, roomKey);
    for (int i = 0; i < 50; i++) {
      RsaKeys.unwrap(rsa.getPrivate(), RsaKeys.wrap(pub, roomKey));
    }
    long n = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < RSA_NANOS) {
      ct = RsaKeys.wrap(pub, roomKey);
      n++;
    }
    double wrapRate = n / ((System.nanoTime() - start) / 1e9);
    long m = 0;
    start = System.nanoTime();
    while (System.nanoTime() - start < RSA_NANOS) {
      RsaKeys.unwrap(rsa.getPrivate(), ct);
      m++;
    }
    double unwrapRate = m / ((System.nanoTime() - start) / 1e9);
    System.out.printf("RSA-OAEP-2048 (SHA-256/MGF1-SHA-256): wrap %.0f/s, unwrap %.0f/s%n", wrapRate, unwrapRate);
    assertTrue(n > 0 && m > 0);
  }

  private static void warmUp(byte[] roomKey, KeyPair signing, String plain) throws Exception {
    // let the JIT compile the hot paths so the figures describe a running client
    for (int i = 0; i < 2000; i++) {
      Envelope.Sealed s = Envelope.seal(roomKey, "room", "user", "w" + i, plain, signing.getPrivate());
      Envelope.open(roomKey, "room", "user", "w" + i, s, signing.getPublic());
    }
  }
}
