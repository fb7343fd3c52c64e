package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The browser generates E2E passwords from the same 2048 words as the Java SDK. */
class WordListTest {

  static String read(String resource) throws Exception {
    try (InputStream in = WordListTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theWebrootServesTheSdkWordList() throws Exception {
    String sdk = read("/io/sealroom/client/crypto/words.txt");
    String web = read("/webroot/words.txt");
    assertEquals(sdk, web, "server/src/main/resources/webroot/words.txt must be a copy of the SDK's words.txt");
    assertEquals(2048, web.lines().distinct().count());
  }
}
