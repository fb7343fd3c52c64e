package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** FileCrypto (JDK Cipher) against file-vector.json (made with BouncyCastle's GCMBlockCipher). */
class FileVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  static String vectorText() throws Exception {
    try (InputStream in = FileVectorTest.class.getResourceAsStream("/file-vector.json")) {
      if (in == null) {
        throw new IllegalStateException("file-vector.json is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonObject vector() throws Exception {
    return new JsonObject(vectorText());
  }

  private static FileKey key(JsonObject v) {
    return FileKey.fromBase64(v.getString("key"), v.getString("prefix"));
  }

  private static byte[] plaintext(JsonObject c) {
    return c.getBoolean("plaintextRule", false) ? FileVectorGenerator.ruled(c.getInteger("size"))
        : HEX.parseHex(c.getString("plaintext"));
  }

  @Test
  void theWrittenVectorIsWhatTheIndependentGeneratorMakes() throws Exception {
    assertEquals(FileVectorGenerator.generate(), vectorText());
  }

  @Test
  void keyAndPrefixDecodeToTheirHex() throws Exception {
    JsonObject v = vector();
    assertEquals(v.getString("keyHex"), HEX.formatHex(B64.decode(v.getString("key"))));
    assertEquals(v.getString("prefixHex"), HEX.formatHex(B64.decode(v.getString("prefix"))));
  }

  @TestFactory
  Stream<DynamicTest> encryptingMakesTheVectorsUpload() throws Exception {
    JsonObject v = vector();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : v.getJsonArray("valid")) {
      JsonObject c = (JsonObject) o;
      tests.add(dynamicTest(c.getString("name"), () -> {
        byte[] plain = plaintext(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileCrypto.Result r = FileCrypto.encrypt(key(v), new ByteArrayInputStream(plain), out);
        byte[] ct = out.toByteArray();
        assertEquals((long) c.getLong("ciphertextSize"), ct.length);
        assertEquals((long) c.getLong("ciphertextSize"), FileCrypto.sealedSize(plain.length));
        assertEquals(c.getString("sha256"), r.sealedSha256());
        assertEquals(c.getString("plaintextSha256"), r.sha256());
        assertEquals((long) c.getLong("size"), r.size());
        if (c.containsKey("ciphertext")) {
          assertEquals(c.getString("ciphertext"), HEX.formatHex(ct));
        }
        checkChunks(c.getJsonArray("chunks"), ct);
      }));
    }
    assertEquals(5, tests.size());
    return tests.stream();
  }

  private static void checkChunks(JsonArray chunks, byte[] ct) {
    int at = 0;
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject k = chunks.getJsonObject(i);
      assertEquals(i, k.getInteger("index"));
      assertEquals(k.getString("nonce"), HEX.formatHex(FileCrypto.nonce(HEX.parseHex(vectorPrefixHex()), i)));
      assertEquals(k.getString("aad"), new String(FileCrypto.aad(i, k.getBoolean("last")), StandardCharsets.UTF_8));
      int n = k.getInteger("sealedSize");
      byte[] s = new byte[n];
      System.arraycopy(ct, at, s, 0, n);
      at += n;
      assertEquals(k.getString("sha256"), HEX.formatHex(FileCrypto.sha256().digest(s)));
      assertTrue(HEX.formatHex(s).startsWith(k.getString("head")));
      assertTrue(HEX.formatHex(s).endsWith(k.getString("tag")));
      if (k.containsKey("hex")) {
        assertEquals(k.getString("hex"), HEX.formatHex(s));
      }
    }
    assertEquals(ct.length, at, "the chunks make up the whole upload");
  }

  private static String vectorPrefixHex() {
    return HEX.formatHex(FileVectorGenerator.prefix());
  }

  @TestFactory
  Stream<DynamicTest> decryptingTheVectorsUploadGivesThePlaintext() throws Exception {
    JsonObject v = vector();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : v.getJsonArray("valid")) {
      JsonObject c = (JsonObject) o;
      tests.add(dynamicTest(c.getString("name"), () -> {
        // the whole upload: as written, or rebuilt from BouncyCastle's chunks for the larger cases
        byte[] ct = c.containsKey("ciphertext") ? HEX.parseHex(c.getString("ciphertext"))
            : FileVectorGenerator.concat(FileVectorGenerator.sealAll(FileVectorGenerator.key(),
                FileVectorGenerator.prefix(), plaintext(c)));
        assertEquals(c.getString("sha256"), HEX.formatHex(FileCrypto.sha256().digest(ct)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileCrypto.Result r = FileCrypto.decrypt(key(v), c.getLong("size"), c.getString("sha256"),
            new ByteArrayInputStream(ct), out);
        assertArrayEquals(plaintext(c), out.toByteArray());
        assertEquals(c.getString("plaintextSha256"), r.sha256());
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> theVectorsInvalidUploadsFailForTheirReason() throws Exception {
    JsonObject v = vector();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : v.getJsonArray("invalid")) {
      JsonObject c = (JsonObject) o;
      tests.add(dynamicTest(c.getString("name") + " -> " + c.getString("failure"), () -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileIntegrityException e = assertThrows(FileIntegrityException.class, () -> FileCrypto.decrypt(key(v),
            c.getLong("size"), c.getString("sha256"), new ByteArrayInputStream(HEX.parseHex(c.getString("ciphertext"))),
            out));
        assertEquals(c.getString("failure"), e.failure().code(), e.getMessage());
      }));
    }
    assertEquals(10, tests.size());
    return tests.stream();
  }
}
