package io.sealroom.kt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With e2e.enabled false the key-transparency routes answer 403 e2e_disabled, like every E2E route. */
class KtE2eDisabledIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("e2e.enabled", false).build();

  @Test
  void everyLogRouteIsRefused() {
    Api api = node.api();
    for (String path : new String[] {"/api/v1/kt/head", "/api/v1/kt/proof?uid=a&ukid=b",
        "/api/v1/kt/consistency?from=1&to=1", "/api/v1/kt/leaves?start=0&end=0"}) {
      Api.Res r = api.get(path, null);
      assertEquals(403, r.status(), path + ": " + r.raw());
      assertEquals("e2e_disabled", r.errorCode(), r.raw());
    }
  }
}
