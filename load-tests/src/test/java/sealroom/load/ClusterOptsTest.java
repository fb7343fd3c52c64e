package sealroom.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cluster scenario's options: nodes, their pids, and what other scenarios refuse. */
class ClusterOptsTest {
  private static Opts parse(String... a) { return Opts.parse(a); }

  @Test
  void urlsListTheNodesWithThePublishersFirst() {
    Opts o = parse("cluster", "--urls", "http://127.0.0.1:18081/, http://127.0.0.1:18082", "--server-pids", "11,12", "--rate", "300");
    assertEquals(List.of("http://127.0.0.1:18081", "http://127.0.0.1:18082"), o.urls);
    assertEquals("http://127.0.0.1:18081", o.url);
    assertEquals(18081, o.port());
    assertArrayEquals(new long[] {11, 12}, o.serverPids);
    assertEquals(11, o.serverPid);
    assertEquals("2 nodes @ 300 msg/s", o.label);
  }

  @Test
  void oneUrlIsAOneNodeCluster() {
    Opts o = parse("cluster", "--url", "http://127.0.0.1:18081", "--server-pid", "7", "--settle", "3");
    assertEquals(List.of("http://127.0.0.1:18081"), o.urls);
    assertEquals(3, o.settle);
    assertArrayEquals(new long[] {7}, o.serverPids);
    assertEquals("1 node @ 100 msg/s", o.label);
  }

  @Test
  void fanoutKeepsItsSingleUrl() {
    Opts o = parse("fanout", "--url", "http://127.0.0.1:18080", "--server-pid", "7");
    assertEquals(List.of("http://127.0.0.1:18080"), o.urls);
    assertArrayEquals(new long[] {7}, o.serverPids);
    assertEquals("sealroom", o.label);
  }

  @Test
  void refusesPidsThatDoNotMatchTheNodes() {
    assertThrows(IllegalArgumentException.class, () -> parse("cluster", "--urls", "http://a:1,http://b:2", "--server-pids", "1"));
    assertThrows(IllegalArgumentException.class, () -> parse("cluster", "--urls", "http://a:1", "--server-pids", "1", "--server-pid", "2"));
    assertThrows(IllegalArgumentException.class, () -> parse("cluster", "--urls", "http://a:1", "--url", "http://b:2"));
    assertThrows(IllegalArgumentException.class, () -> parse("cluster", "--urls", " , "));
  }

  @Test
  void clusterOptionsBelongToTheClusterScenario() {
    assertThrows(IllegalArgumentException.class, () -> parse("fanout", "--urls", "http://a:1,http://b:2"));
    assertThrows(IllegalArgumentException.class, () -> parse("fanout", "--store-pid", "3"));
    assertThrows(IllegalArgumentException.class, () -> parse("cluster", "--target", "nats", "--urls", "ws://a:1"));
  }
}
