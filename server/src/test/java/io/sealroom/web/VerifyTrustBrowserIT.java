package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sealroom.testing.NodeExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * js/trust.js, the gate between contacts' keys and room keys, in Chromium: no room key is
 * sealed before the verified list was read, nor to a verified contact's changed key, nor to a
 * key the log does not prove or the server does not name as current; an unverified contact's
 * change is a notice, accepting or verifying unblocks, two devices' writes merge, and an
 * unproven own version blocks everything. The checks are src/test/resources/web/verify-trust-checks.js;
 * the verified list is the real module over a fake api, the key log a fake whose answers each
 * check picks (the real log is exercised by VerifyBrowserIT).
 */
class VerifyTrustBrowserIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled).build();

  @Test
  void theTrustGateRefusesChangedUnprovenAndUnknownKeys() throws Exception {
    try (Browser b = Browser.open("trust", node.baseUrl())) {
      b.driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(60));
      Map<?, ?> result = (Map<?, ?>) b.driver.executeAsyncScript(checks());
      List<?> failures = (List<?>) result.get("failures");
      long checked = ((Number) result.get("checked")).longValue();
      if (!failures.isEmpty()) {
        fail(failures.size() + " of " + checked + " trust checks failed:\n  " + String.join("\n  ",
            failures.stream().map(String::valueOf).toList()));
      }
      assertTrue(checked >= 28, "the checks ran (" + checked + ")");
    }
  }

  static String checks() throws IOException {
    try (InputStream in = VerifyTrustBrowserIT.class.getResourceAsStream("/web/verify-trust-checks.js")) {
      if (in == null) {
        throw new IllegalStateException("web/verify-trust-checks.js is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
