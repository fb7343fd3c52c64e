package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class B64Test {
  @Test
  void encodesUnpaddedBase64url() {
    assertEquals("", B64.encode(new byte[0]));
    assertEquals("Zg", B64.encode("f".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("Zm8", B64.encode("fo".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("Zm9v", B64.encode("foo".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("-_8", B64.encode(new byte[] {(byte) 0xfb, (byte) 0xff}));
  }

  @Test
  void decodesWhatItEncodes() {
    for (int n = 0; n < 70; n++) {
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = (byte) (i * 37 + n);
      }
      assertArrayEquals(bytes, B64.decode(B64.encode(bytes)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Zg==", "Zm8=", "+/8", "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zh", "Zm9", "Zm.v", "é"})
  void rejectsPaddingForeignCharactersImpossibleLengthsAndNonCanonicalBits(String s) {
    assertThrows(IllegalArgumentException.class, () -> B64.decode(s));
  }

  @Test
  void rejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> B64.decode(null));
    assertThrows(IllegalArgumentException.class, () -> B64.encode(null));
  }

  @Test
  void unsignedDropsTheSignByteWhenTheHighBitIsSet() {
    BigInteger highBit = new BigInteger("ff00", 16);
    assertEquals(3, highBit.toByteArray().length, "BigInteger adds a sign byte");
    assertArrayEquals(new byte[] {(byte) 0xff, 0}, B64.unsigned(highBit));
    assertArrayEquals(new byte[] {0x7f}, B64.unsigned(BigInteger.valueOf(127)));
    assertArrayEquals(new byte[] {1, 0, 1}, B64.unsigned(BigInteger.valueOf(65537)));
    assertEquals("AQAB", B64.encode(B64.unsigned(BigInteger.valueOf(65537))));
    assertArrayEquals(new byte[] {0}, B64.unsigned(BigInteger.ZERO), "RFC 7518: zero is one zero byte");
    assertThrows(IllegalArgumentException.class, () -> B64.unsigned(BigInteger.ONE.negate()));
  }

  @Test
  void jwkIntegersRefuseALeadingZeroByte() {
    assertEquals(BigInteger.valueOf(0xff00), B64.jwkInteger("n", B64.encode(new byte[] {(byte) 0xff, 0})));
    assertThrows(IllegalArgumentException.class, () -> B64.jwkInteger("n", B64.encode(new byte[] {0, (byte) 0xff})));
    assertThrows(IllegalArgumentException.class, () -> B64.jwkInteger("n", ""));
  }
}
