package io.sealroom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * WebSocket clients of the cluster tests: frames and waits they share, and clients that outlive
 * the death of their node as real clients do (a sender that resends its unacknowledged cid on
 * another node, a follower that resumes with since on another node), recording what they got.
 */
final class ClusterClients {
  private ClusterClients() {
  }

  /** The nodes' WebSocket URLs and which node to move to when one dies. */
  record Nodes(IntFunction<String> wsUrl, IntUnaryOperator next) {
  }

  static JsonObject send(String rid, String cid, String text) {
    return new JsonObject().put("op", "send").put("room", rid).put("cid", cid).put("text", text);
  }

  /** Connects, authenticates and subscribes to the room (without since). */
  static WsClient subscribed(String wsUrl, String token, String rid) throws Exception {
    WsClient c = WsClient.authed(wsUrl, token);
    c.send(new JsonObject().put("op", "sub").put("room", rid));
    c.awaitOp("subbed", 10);
    return c;
  }

  /** The seqs of the next n acks, in the order they came; an error frame fails the test. */
  static List<Long> awaitAcks(WsClient c, int n) throws InterruptedException {
    List<Long> seqs = new ArrayList<>();
    while (seqs.size() < n) {
      JsonObject f = c.await(x -> "ack".equals(x.getString("op")) || "error".equals(x.getString("op")), 30);
      assertEquals("ack", f.getString("op"), f.encode());
      seqs.add(f.getLong("seq"));
    }
    return seqs;
  }

  /** Sends its messages one after the other, moving to another node (and resending the unacked cid) when its node dies. */
  static final class Sender implements Runnable {
    private final Nodes nodes;
    final String name;
    final String token;
    final String rid;
    final int count;
    int node;
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    final AtomicInteger reconnects = new AtomicInteger();
    volatile String failure;

    Sender(Nodes nodes, String name, String token, String rid, int count, int node) {
      this.nodes = nodes;
      this.name = name;
      this.token = token;
      this.rid = rid;
      this.count = count;
      this.node = node;
    }

    @Override
    public void run() {
      WsClient c = null;
      try {
        int i = 0;
        while (i < count) {
          if (c == null) {
            c = WsClient.authed(nodes.wsUrl().apply(node), token);
          }
          String cid = name + "-" + i;
          c.send(send(rid, cid, "load " + cid));
          JsonObject ack = awaitAck(c, cid);
          if (ack == null) {
            c.close();
            c = null;
            node = nodes.next().applyAsInt(node);
            reconnects.incrementAndGet();
            continue; // the same cid again on another node: stored at most once
          }
          acked.put(cid, ack.getLong("seq"));
          i++;
          Thread.sleep(5);
        }
      } catch (Exception e) {
        failure = name + ": " + e;
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }

    private static JsonObject awaitAck(WsClient c, String cid) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        JsonObject f = c.poll(50);
        if (f != null && "ack".equals(f.getString("op")) && cid.equals(f.getString("cid"))) {
          return f;
        }
        if (f == null && c.isClosed()) {
          return null;
        }
      }
      return null;
    }
  }

  /** Follows the room; when its node dies it resumes on another node with since = the last seq it has without a gap. */
  static final class Follower implements Runnable {
    private final Nodes nodes;
    final String token;
    final String rid;
    int node;
    final Map<Long, Integer> seen = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    volatile boolean stop;
    volatile String failure;

    Follower(Nodes nodes, String token, String rid, int node) {
      this.nodes = nodes;
      this.token = token;
      this.rid = rid;
      this.node = node;
    }

    long contiguous() {
      long s = 0;
      while (seen.containsKey(s + 1)) {
        s++;
      }
      return s;
    }

    @Override
    public void run() {
      WsClient c = null;
      try {
        while (!stop) {
          if (c == null) {
            since = contiguous();
            thisSubscription.clear();
            c = WsClient.authed(nodes.wsUrl().apply(node), token);
            c.send(new JsonObject().put("op", "sub").put("room", rid).put("since", since));
          }
          JsonObject f = c.poll(50);
          if (f == null) {
            if (c.isClosed()) {
              c = null;
              node = nodes.next().applyAsInt(node);
              resumes.incrementAndGet();
            }
            continue;
          }
          if ("msg".equals(f.getString("op"))) {
            long seq = f.getLong("seq");
            seen.merge(seq, 1, Integer::sum);
            // a seq above since may come again after a resume (the client had it out of order):
            // delivered twice means twice in one subscription, or at or below its since
            if (!thisSubscription.add(seq) || seq <= since) {
              duplicates.incrementAndGet();
            }
          }
        }
      } catch (Exception e) {
        failure = "follower: " + e;
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }

    private long since;
    private final Set<Long> thisSubscription = new HashSet<>();
  }
}
