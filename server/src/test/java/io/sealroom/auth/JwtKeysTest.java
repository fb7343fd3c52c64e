package io.sealroom.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ES256 signing key as PEM: generation, parsing, derivation of the public key and the key file. */
class JwtKeysTest {

  static byte[] der(String pem) {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(b64);
  }

  static PrivateKey privateKey(JwtKeys k) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(k.privatePem())));
  }

  static PublicKey publicKey(JwtKeys k) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(k.publicPem())));
  }

  /** The public key verifies what the private key signs: they are one pair. */
  static void assertPair(JwtKeys k) throws GeneralSecurityException {
    byte[] data = "header.payload".getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(privateKey(k));
    s.update(data);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(publicKey(k));
    v.update(data);
    assertTrue(v.verify(sig));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  @Test
  void generatesAP256PairInPem() throws Exception {
    JwtKeys k = JwtKeys.generate();
    assertTrue(k.privatePem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(k.publicPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertEquals(256, ((java.security.interfaces.ECPublicKey) publicKey(k)).getParams().getCurve().getField().getFieldSize());
    assertPair(k);
    assertNotEquals(k.privatePem(), JwtKeys.generate().privatePem());
  }

  @Test
  void parsesWhatItGenerates() throws Exception {
    JwtKeys k = JwtKeys.generate();
    JwtKeys parsed = JwtKeys.parse(k.privatePem() + k.publicPem());
    assertEquals(k.privatePem(), parsed.privatePem());
    assertEquals(k.publicPem(), parsed.publicPem());
  }

  @Test
  void aPrivateOnlyPemDerivesTheSamePublicKey() throws Exception {
    JwtKeys k = JwtKeys.generate();
    JwtKeys parsed = JwtKeys.parse("some comment\n" + k.privatePem().replace("\n", "\r\n"));
    assertEquals(k.publicPem(), parsed.publicPem());
    assertPair(parsed);
  }

  @Test
  void refusesOtherCurvesOtherAlgorithmsAndGarbage() throws Exception {
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    String p384Pem = pem("PRIVATE KEY", p384.generateKeyPair().getPrivate().getEncoded());
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaPem = pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded());
    String[] bad = {
        p384Pem, rsaPem, "", "garbage",
        "-----BEGIN PRIVATE KEY-----\nnotbase64@@\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        JwtKeys.generate().publicPem(),
        JwtKeys.generate().privatePem().replace("PRIVATE KEY", "EC PRIVATE KEY")};
    for (String text : bad) {
      assertThrows(GeneralSecurityException.class, () -> JwtKeys.parse(text), text.length() + " chars");
    }
  }

  /** A damaged file must be a key error (which start-up reports as a config error naming auth.jwt.keyFile). */
  @Test
  void aTruncatedPemBodyIsAKeyErrorNotACrash() throws Exception {
    String good = JwtKeys.generate().privatePem();
    String body = good.substring(good.indexOf('\n') + 1, good.indexOf("-----END"));
    String truncated = "-----BEGIN PRIVATE KEY-----\n" + body.substring(0, 21) + "\n-----END PRIVATE KEY-----\n";
    String badPadding = "-----BEGIN PRIVATE KEY-----\nAA=A\n-----END PRIVATE KEY-----\n";
    for (String text : new String[] {truncated, badPadding}) {
      assertThrows(GeneralSecurityException.class, () -> JwtKeys.parse(text));
    }
  }

  @Test
  void createsTheFileOwnerOnlyAndReadsItBackIdentically(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys").resolve("jwt-es256.pem");
    JwtKeys created = JwtKeys.loadOrCreate(file);
    assertTrue(Files.exists(file));
    assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(file));
    assertEquals(created.privatePem() + created.publicPem(), Files.readString(file, StandardCharsets.US_ASCII));
    JwtKeys reread = JwtKeys.loadOrCreate(file);
    assertEquals(created.privatePem(), reread.privatePem());
    assertEquals(created.publicPem(), reread.publicPem());
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void anExistingFileIsReadNotReplaced(@TempDir Path dir) throws Exception {
    JwtKeys mine = JwtKeys.generate();
    Path file = dir.resolve("mine.pem");
    Files.writeString(file, mine.privatePem(), StandardCharsets.US_ASCII);
    assertEquals(mine.publicPem(), JwtKeys.loadOrCreate(file).publicPem());
    assertEquals(mine.privatePem(), Files.readString(file, StandardCharsets.US_ASCII));
    Files.writeString(file, "not a key", StandardCharsets.US_ASCII);
    assertThrows(GeneralSecurityException.class, () -> JwtKeys.loadOrCreate(file));
  }

  @Test
  void toStringRevealsNothing() throws Exception {
    JwtKeys k = JwtKeys.generate();
    assertFalse(k.toString().contains("PRIVATE"));
    assertFalse(k.toString().contains(k.privatePem().substring(28, 60)));
  }
}
