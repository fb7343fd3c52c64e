package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void stepsDoubleFromMinUpToMax() {
    Backoff b = new Backoff(250, 30_000, () -> 0.0);
    assertEquals(250, b.step(0));
    assertEquals(500, b.step(1));
    assertEquals(16_000, b.step(6));
    assertEquals(30_000, b.step(7));
    assertEquals(30_000, b.step(61));
    assertEquals(30_000, b.step(1000));
  }

  @Test
  void delaysStayBetweenHalfTheStepAndTheStep() {
    Random r = new Random(7);
    Backoff b = new Backoff(100, 10_000, r::nextDouble);
    for (int i = 0; i < 200; i++) {
      long step = b.step(b.attempts());
      long d = b.nextDelayMs();
      assertTrue(d >= step / 2 && d <= step, "delay " + d + " for step " + step);
    }
  }

  @Test
  void jitterSpreadsClientsThatDroppedTogether() {
    Backoff low = new Backoff(1000, 8000, () -> 0.0);
    Backoff high = new Backoff(1000, 8000, () -> 0.999);
    assertEquals(500, low.nextDelayMs());
    assertEquals(1000, high.nextDelayMs());
  }

  @Test
  void resetStartsOverAfterASuccessfulConnection() {
    Backoff b = new Backoff(100, 10_000, () -> 1.0);
    b.nextDelayMs();
    b.nextDelayMs();
    b.nextDelayMs();
    assertEquals(3, b.attempts());
    b.reset();
    assertEquals(0, b.attempts());
    assertTrue(b.nextDelayMs() <= 100);
  }

  @Test
  void refusesNonsenseBounds() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, Math::random));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10, Math::random));
  }
}
