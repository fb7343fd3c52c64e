package sealroom.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server nodes of a fan-out run: subscriber i connects to node i mod n, the publisher (and
 * the REST setup) to node 0, so node 0's subscribers are "local" to the publisher and the others
 * "remote" (their messages cross the cluster's event bus). One node is the plain fan-out run.
 *
 * <p>Per node it keeps its subscribers' latency and counters and the CPU and RSS of its pid.
 * Recording is safe from any client event loop (HdrHistogram's Recorder, LongAdder); reading
 * the histograms takes this object's lock, so the progress line and the result never interleave.
 */
final class NodeSet {
  /** One node: where it listens, its pid (null when unknown) and what its subscribers received. */
  static final class Node {
    final int index;
    final String url;
    final InetSocketAddress address;
    final String hostHeader;
    final String pid;
    final Recorder recorder = new Recorder(3);
    final Histogram latency = new Histogram(3);
    final LongAdder delivered = new LongAdder(), dupes = new LongAdder();
    int subs;
    private double cpu0 = -1;
    private long rss0 = -1, rss1 = -1;

    Node(int index, String url, String pid) {
      URI u = URI.create(url);
      int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
      this.index = index;
      this.url = url;
      this.address = new InetSocketAddress(u.getHost(), port);
      this.hostHeader = u.getHost() + ":" + port;
      this.pid = pid;
    }
  }

  private final Node[] nodes;
  private final String storePid;
  private double storeCpu0 = -1;

  NodeSet(List<String> urls, long[] pids, long storePid, int subs) {
    nodes = new Node[urls.size()];
    for (int i = 0; i < nodes.length; i++) nodes[i] = new Node(i, urls.get(i), i < pids.length && pids[i] > 0 ? Long.toString(pids[i]) : null);
    for (int s = 0; s < subs; s++) nodes[s % nodes.length].subs++;
    this.storePid = storePid > 0 ? Long.toString(storePid) : null;
  }

  static NodeSet of(Opts o) { return new NodeSet(o.urls, o.serverPids, o.storePid, o.subs); }

  int size() { return nodes.length; }

  Node node(int i) { return nodes[i]; }

  /** The node of subscriber sub. */
  Node of(int sub) { return nodes[sub % nodes.length]; }

  Node publisher() { return nodes[0]; }

  /** Whether every node's pid is known (then the run reports the servers' CPU). */
  boolean pids() {
    for (Node n : nodes) if (n.pid == null) return false;
    return true;
  }

  void rssBefore() { for (Node n : nodes) n.rss0 = n.pid == null ? -1 : Proc.rssKb(n.pid); }

  void rssAfter() { for (Node n : nodes) n.rss1 = n.pid == null ? -1 : Proc.rssKb(n.pid); }

  void startCpu() {
    for (Node n : nodes) n.cpu0 = n.pid == null ? -1 : Proc.cpuSeconds(n.pid);
    storeCpu0 = storePid == null ? -1 : Proc.cpuSeconds(storePid);
  }

  /** CPU seconds of node i since startCpu, or -1. */
  double cpuSeconds(Node n) { return n.pid == null || n.cpu0 < 0 ? -1 : Proc.cpuSeconds(n.pid) - n.cpu0; }

  /** The store's CPU seconds since startCpu, or 0 when it has no pid. */
  double storeCpuSeconds() { return storePid == null || storeCpu0 < 0 ? 0 : Math.max(0, Proc.cpuSeconds(storePid) - storeCpu0); }

  /** All nodes' CPU seconds since startCpu, or -1 when a pid is unknown. */
  double cpuSeconds() {
    double sum = 0;
    for (Node n : nodes) {
      double c = cpuSeconds(n);
      if (c < 0) return -1;
      sum += c;
    }
    return sum;
  }

  /** The latency of the subscribers of nodes [from, to), all recorded so far, merged. */
  synchronized Histogram latency(int from, int to) {
    Histogram h = new Histogram(3);
    for (int i = from; i < to; i++) {
      Node n = nodes[i];
      n.latency.add(n.recorder.getIntervalHistogram());
      h.add(n.latency);
    }
    return h;
  }

  Histogram all() { return latency(0, nodes.length); }

  /** p50/p90/p99/p99.9/max in ms and the count, as the fan-out result has always had them. */
  static JsonObject latencyMs(Histogram h) {
    JsonObject l = new JsonObject();
    for (double p : new double[] {50, 90, 99, 99.9}) l.put("p" + p, Fanout.round(h.getValueAtPercentile(p) / 1000.0));
    return l.put("max", Fanout.round(h.getMaxValue() / 1000.0)).put("count", h.getTotalCount());
  }

  /**
   * The cluster fields of a result: latency on the publisher's node (local) and on the others
   * (remote), the hop (remote p50 minus local p50, and the same at p90 and p99), and per node its
   * subscribers, deliveries, loss and CPU. missing and missingAcked are per node, in node order.
   */
  void putCluster(JsonObject r, double secs, long[] missing, long[] missingAcked) {
    Histogram local = latency(0, 1), remote = nodes.length > 1 ? latency(1, nodes.length) : null;
    r.put("nodes", nodes.length).put("localLatencyMs", latencyMs(local));
    if (remote != null) {
      r.put("remoteLatencyMs", latencyMs(remote));
      JsonObject hop = new JsonObject();
      for (double p : new double[] {50, 90, 99}) {
        hop.put("p" + p, Fanout.round((remote.getValueAtPercentile(p) - local.getValueAtPercentile(p)) / 1000.0));
      }
      r.put("hopMs", hop).put("hopP50Ms", hop.getDouble("p50.0"));
    }
    JsonArray per = new JsonArray(), cpu = new JsonArray();
    for (Node n : nodes) {
      double c = cpuSeconds(n);
      JsonObject j = new JsonObject().put("url", n.url).put("pid", n.pid).put("subs", n.subs)
          .put("deliveriesPerSec", Fanout.round(n.delivered.sum() / secs)).put("missing", missing[n.index])
          .put("duplicates", n.dupes.sum()).put("missingAckedSeqs", missingAcked[n.index])
          .put("latencyMs", latencyMs(latency(n.index, n.index + 1)));
      if (c >= 0) {
        j.put("cpuPct", Fanout.round(100 * c / secs)).put("rssKb", Proc.rssKb(n.pid))
            .put("rssKbPerConnection", n.subs == 0 ? null : Fanout.round((n.rss1 - n.rss0) / (double) n.subs));
      }
      cpu.add(c >= 0 ? Fanout.round(100 * c / secs) : null);
      per.add(j);
    }
    r.put("nodeCpuPct", cpu).put("perNode", per);
    if (storePid != null && storeCpu0 >= 0) {
      r.put("storePid", storePid).put("storeCpuPct", Fanout.round(100 * storeCpuSeconds() / secs))
          .put("storeRssKb", Proc.rssKb(storePid));
    }
  }

  /** The servers' RSS now and its growth while the subscribers connected, per subscriber; null without pids. */
  JsonObject rss(int subs) {
    if (!pids()) return null;
    long now = 0, grown = 0;
    for (Node n : nodes) {
      now += Proc.rssKb(n.pid);
      grown += n.rss1 - n.rss0;
    }
    return new JsonObject().put("serverRssKb", now).put("serverRssKbPerConnection", Fanout.round(grown / (double) subs));
  }
}
