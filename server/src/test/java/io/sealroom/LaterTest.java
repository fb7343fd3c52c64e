package io.sealroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A service reached before it is built: set once, and a call made too early says so. */
class LaterTest {
  @Test
  void givesTheServiceOnceSet() {
    Later<Object> later = new Later<>("the service");
    Object service = new Object();
    later.set(service);
    assertSame(service, later.get());
  }

  @Test
  void aCallBeforeItIsSetNamesTheService() {
    Later<Object> later = new Later<>("the message service");
    IllegalStateException e = assertThrows(IllegalStateException.class, later::get);
    assertEquals("the message service is called before it was built", e.getMessage());
  }

  @Test
  void isSetOnceOnly() {
    Later<Object> later = new Later<>("the service");
    Object first = new Object();
    later.set(first);
    assertThrows(IllegalStateException.class, () -> later.set(new Object()));
    assertSame(first, later.get());
    assertThrows(IllegalArgumentException.class, () -> new Later<>("x").set(null));
  }
}
