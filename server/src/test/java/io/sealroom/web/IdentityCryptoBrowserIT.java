package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.decoder.Decoder;
import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client's identity crypto in Chromium's Web Crypto, one check page per module group
 * (src/test/resources/web/*-checks.js, each answering {failures, checked, timings}):
 * js/safetynumber.js against the shared vector and js/qr.js through ZXing (each code's module
 * matrix and its rendered SVG are decoded here and must give back the text); js/kt.js against
 * every RFC 9162 vector, corrupted proofs and a scripted log that forks in every way the
 * protocol names; js/verifiedlist.js sealing, opening, merging and retrying, with one sealed
 * list opened here with the JDK to hold the browser to the contract's formats.
 */
class IdentityCryptoBrowserIT {
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", ITER).build();
  private static Browser browser;

  @BeforeAll
  static void open() throws IOException {
    browser = Browser.open("identity", node.baseUrl());
    browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(180));
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void safetyNumbersMatchTheSharedVectorAndQrCodesDecode() throws Exception {
    Map<?, ?> result = run("identity-checks.js", 40, resource("/web/safety-number-vector.json"));
    List<?> codes = (List<?>) result.get("codes");
    assertTrue(codes.size() >= 8, "QR codes came back");
    for (Object o : codes) {
      Map<?, ?> code = (Map<?, ?>) o;
      String text = (String) code.get("text");
      assertEquals(text, decodeMatrix(code), "the module matrix decodes to its text");
      Result scanned = decodeImage((Map<?, ?>) code.get("image"));
      assertEquals(text, scanned.getText(), "the rendered svg scans to its text");
      assertEquals(code.get("ecl"), scanned.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL),
          "error correction level of " + text);
    }
  }

  @Test
  void merkleProofsVerifyAsRfc9162SaysAndCorruptedOnesAreRefused() throws Exception {
    run("kt-checks.js", 5000, resource("/kt/merkle-vectors.json"));
  }

  @Test
  void keyTransparencyPinsHeadsProvesVersionsAndRefusesEveryFork() throws Exception {
    run("kt-log-checks.js", 60);
  }

  @Test
  void verifiedListsSealOpenMergeAndRetry() throws Exception {
    Map<?, ?> result = run("verifiedlist-checks.js", 60);
    opensWithTheJdk((Map<?, ?>) result.get("interop"));
  }

  @Test
  void theLiveNodeProvesVersionsExtendsItsHeadsAndKeepsTheVerifiedList() throws Exception {
    Api api = node.api();
    Api.User alice = api.newUserWithKeys("alice", ITER);
    Api.User bob = api.newUserWithKeys("bob", ITER);
    Api.User me = api.newUser("me");
    Map<?, ?> setup = run("kt-live-checks.js", 1,
        new JsonObject().put("phase", "setup").put("token", me.token()).put("iterations", ITER).encode());
    JsonArray users = new JsonArray().add(versionOf(api, alice)).add(versionOf(api, bob))
        .add(new JsonObject().put("uid", me.id()).put("username", me.username()).put("ukid", setup.get("ukid")));
    String storageKey = "sealroom.kt.live." + System.nanoTime();
    run("kt-live-checks.js", 8, new JsonObject().put("phase", "check").put("token", me.token()).put("uid", me.id())
        .put("users", users).put("storageKey", storageKey).encode());
    Api.User carol = api.newUserWithKeys("carol", ITER);
    run("kt-live-checks.js", 3, new JsonObject().put("phase", "grow").put("token", me.token())
        .put("users", new JsonArray().add(versionOf(api, carol)).add(users.getJsonObject(0))).put("storageKey", storageKey)
        .encode());
  }

  private static JsonObject versionOf(Api api, Api.User u) {
    Api.Res keys = api.get("/api/v1/users/" + u.id() + "/keys", u.token());
    assertEquals(200, keys.status(), keys.raw());
    return new JsonObject().put("uid", u.id()).put("username", u.username()).put("ukid", keys.json().getString("ukid"));
  }

  /** Runs a check page; fails with every failure it reports; prints its timings. */
  private static Map<?, ?> run(String page, int atLeast, Object... args) throws IOException {
    Map<?, ?> result = (Map<?, ?>) browser.driver.executeAsyncScript(resource("/web/" + page), args);
    List<?> failures = (List<?>) result.get("failures");
    long checked = ((Number) result.get("checked")).longValue();
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + checked + " checks of " + page + " failed:\n  "
          + String.join("\n  ", failures.stream().map(String::valueOf).toList()));
    }
    assertTrue(checked >= atLeast, page + " ran its checks (" + checked + ")");
    System.out.println(page + ": " + checked + " checks passed; timings (ms): " + result.get("timings"));
    return result;
  }

  static String resource(String path) throws IOException {
    try (InputStream in = IdentityCryptoBrowserIT.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A list the page sealed, opened with the JDK from the private key's JWK: RSA-OAEP with
   * SHA-256 and MGF1-SHA-256, AES-256-GCM with the AAD sealroom-verified|uid|ukid, a plaintext
   * of a whole number of 1024-byte blocks holding the page's contacts.
   */
  private static void opensWithTheJdk(Map<?, ?> interop) throws Exception {
    Map<?, ?> jwk = (Map<?, ?>) interop.get("privateJwk");
    Map<?, ?> blob = (Map<?, ?>) interop.get("blob");
    String uid = (String) interop.get("uid");
    String ukid = (String) interop.get("ukid");
    assertEquals(1, ((Number) blob.get("v")).intValue());
    assertEquals(ukid, blob.get("ukid"));
    Map<?, ?> key = (Map<?, ?>) blob.get("key");
    assertEquals("RSA-OAEP-256", key.get("alg"));
    RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(
        big(jwk, "n"), big(jwk, "e"), big(jwk, "d"), big(jwk, "p"), big(jwk, "q"), big(jwk, "dp"), big(jwk, "dq"),
        big(jwk, "qi"));
    PrivateKey rsa = KeyFactory.getInstance("RSA").generatePrivate(spec);
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(Cipher.DECRYPT_MODE, rsa, new OAEPParameterSpec("SHA-256", "MGF1",
        MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    byte[] listKey = oaep.doFinal(unb64u((String) key.get("ct")));
    assertEquals(32, listKey.length, "a 32-byte list key");
    byte[] iv = unb64u((String) blob.get("iv"));
    assertEquals(12, iv.length, "a 12-byte iv");
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(listKey, "AES"),
        new GCMParameterSpec(128, iv));
    gcm.updateAAD(("sealroom-verified|" + uid + "|" + ukid).getBytes(StandardCharsets.UTF_8));
    byte[] plain = gcm.doFinal(unb64u((String) blob.get("ct")));
    assertEquals(0, plain.length % 1024, "the plaintext is padded to 1024-byte blocks (" + plain.length + ")");
    JsonObject doc = new JsonObject(new String(plain, StandardCharsets.UTF_8));
    assertEquals(1, doc.getInteger("v"));
    assertTrue(doc.getString("pad").isBlank(), "pad is spaces");
    assertEquals(((Number) interop.get("contacts")).intValue(), doc.getJsonObject("contacts").size(), "every contact is in the plaintext");
  }

  private static BigInteger big(Map<?, ?> jwk, String name) {
    return new BigInteger(1, unb64u((String) jwk.get(name)));
  }

  private static byte[] unb64u(String s) {
    assertTrue(s.matches("[A-Za-z0-9_-]*"), "unpadded base64url");
    return Base64.getUrlDecoder().decode(s);
  }

  private static final Map<DecodeHintType, Object> HINTS = Map.of(DecodeHintType.CHARACTER_SET, "UTF-8");

  /** ZXing's decoder fed the modules directly: the encoding, independent of any drawing. */
  private static String decodeMatrix(Map<?, ?> code) throws Exception {
    int size = ((Number) code.get("size")).intValue();
    List<?> rows = (List<?>) code.get("rows");
    BitMatrix m = new BitMatrix(size);
    for (int r = 0; r < size; r++) {
      String row = (String) rows.get(r);
      for (int c = 0; c < size; c++) {
        if (row.charAt(c) == '1') {
          m.set(c, r);
        }
      }
    }
    return new Decoder().decode(m, HINTS).getText();
  }

  /** ZXing's reader on the pixels Chromium drew: finder patterns, quiet zone and all. */
  private static Result decodeImage(Map<?, ?> image) throws Exception {
    int w = ((Number) image.get("width")).intValue();
    int h = ((Number) image.get("height")).intValue();
    byte[] lum = Base64.getDecoder().decode((String) image.get("lum"));
    assertEquals(w * h, lum.length, "one luminance byte per pixel");
    PlanarYUVLuminanceSource source = new PlanarYUVLuminanceSource(lum, w, h, 0, 0, w, h, false);
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), HINTS);
  }
}
