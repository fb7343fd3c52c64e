package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sealroom.testing.NodeExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client's file crypto in Chromium's Web Crypto: js/sha256.js against FIPS 180-4 and
 * Web Crypto's digest, and js/filecrypto.js against the written vector the SDK's tests use
 * (client/src/test/resources/file-vector.json, made with BouncyCastle): sealing with its key
 * and prefix gives its upload byte for byte, opening gives back its plaintext whatever the
 * network's piece sizes, and every invalid case of the vector, plus truncation, reordering,
 * extension and a flipped bit of a file made in the page, is refused as an integrity failure.
 * The checks themselves are src/test/resources/web/filecrypto-checks.js.
 */
class FileCryptoBrowserIT {
  static final Path VECTOR = Path.of("..", "client", "src", "test", "resources", "file-vector.json");
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled).build();

  @Test
  void webCryptoSealsAndOpensTheWrittenVectorAndRefusesTamperedFiles() throws Exception {
    String vector = Files.readString(VECTOR, StandardCharsets.UTF_8);
    try (Browser b = Browser.open("filecrypto", node.baseUrl())) {
      b.driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(120));
      Object r = b.driver.executeAsyncScript(checks(), vector);
      Map<?, ?> result = (Map<?, ?>) r;
      List<?> failures = (List<?>) result.get("failures");
      long checked = ((Number) result.get("checked")).longValue();
      if (!failures.isEmpty()) {
        fail(failures.size() + " of " + checked + " file crypto checks failed:\n  " + String.join("\n  ",
            failures.stream().map(String::valueOf).toList()));
      }
      assertTrue(checked > 150, "the checks ran (" + checked + ")");
    }
  }

  static String checks() throws IOException {
    try (InputStream in = FileCryptoBrowserIT.class.getResourceAsStream("/web/filecrypto-checks.js")) {
      if (in == null) {
        throw new IllegalStateException("web/filecrypto-checks.js is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
