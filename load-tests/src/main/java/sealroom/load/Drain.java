package sealroom.load;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The wait after publishing: while the server still makes progress, so that an overloaded
 * server's backlog counts as late, not lost. Stops when {@code done}, when nothing arrived for
 * {@code idleSeconds} (measured from the later of the end of publishing and the last arrival),
 * or 60 s after publishing ended.
 */
final class Drain {
  private Drain() { }

  static void await(BooleanSupplier done, LongSupplier lastArrivalNanos, long pubEndNanos, int idleSeconds)
      throws InterruptedException {
    long hardEnd = pubEndNanos + TimeUnit.SECONDS.toNanos(60), idle = TimeUnit.SECONDS.toNanos(idleSeconds);
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now > hardEnd || now - Math.max(pubEndNanos, lastArrivalNanos.getAsLong()) > idle) break;
      Thread.sleep(20);
    }
  }
}
