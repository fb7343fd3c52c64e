package io.sealroom.client;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.MerkleTree;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * An honest key-transparency log in memory, answering the /api/v1/kt routes of docs/protocol.md
 * as a GET function, with hooks to make it lie: {@link #headHook} rewrites a head before it is
 * served, {@link #proofHook} a proof. Heads are signed with a real Ed25519 log key.
 */
final class FakeLog {
  final List<String> leaves = new ArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  KeyPair logKey = newKey();
  UnaryOperator<JsonObject> headHook = UnaryOperator.identity();
  UnaryOperator<JsonObject> proofHook = UnaryOperator.identity();
  /** When set, heads are served at this size instead of the whole log. */
  Integer servedSize;

  static KeyPair newKey() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  FakeLog add(String uid, String ukid) {
    leaves.add(uid + "|" + ukid + "|" + (1_796_280_000_000L + leaves.size()));
    return this;
  }

  MerkleTree tree() {
    MerkleTree t = new MerkleTree();
    leaves.forEach(t::add);
    return t;
  }

  /** The signed head of the first {@code size} leaves, signed with {@code key}. */
  JsonObject head(int size, KeyPair key) {
    String root = B64.encode(tree().root(size));
    long ts = 1_796_290_000_000L + size;
    return new JsonObject().put("size", size).put("root", root).put("ts", ts)
        .put("sig", B64.encode(sign(key, "sealroom-kt|" + size + "|" + root + "|" + ts)))
        .put("logKey", new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", x(key)));
  }

  static String x(KeyPair key) {
    byte[] spki = key.getPublic().getEncoded();
    return B64.encode(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  static byte[] sign(KeyPair key, String text) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key.getPrivate());
      s.update(text.getBytes(StandardCharsets.UTF_8));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The GET of a path, as the node answers it. */
  JsonObject get(String pathAndQuery) {
    requests.add(pathAndQuery);
    URI u = URI.create(pathAndQuery);
    Map<String, String> q = new HashMap<>();
    if (u.getRawQuery() != null) {
      for (String kv : u.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        q.put(p[0], java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8));
      }
    }
    int size = servedSize != null ? servedSize : leaves.size();
    switch (u.getPath()) {
      case "/api/v1/kt/head":
        return headHook.apply(head(size, logKey));
      case "/api/v1/kt/proof":
        int n = Integer.parseInt(q.get("size"));
        for (int i = 0; i < n; i++) {
          if (leaves.get(i).startsWith(q.get("uid") + "|" + q.get("ukid") + "|")) {
            return proofHook.apply(new JsonObject().put("index", i).put("leaf", leaves.get(i)).put("size", n)
                .put("path", b64(tree().inclusion(i, n))));
          }
        }
        throw new SealroomException(404, "not_found", "not in the log", null);
      case "/api/v1/kt/consistency":
        int from = Integer.parseInt(q.get("from"));
        int to = Integer.parseInt(q.get("to"));
        return new JsonObject().put("from", from).put("to", to).put("path", b64(tree().consistency(from, to)));
      default:
        throw new SealroomException(404, "not_found", "no route", null);
    }
  }

  static JsonArray b64(List<byte[]> hashes) {
    JsonArray a = new JsonArray();
    hashes.forEach(h -> a.add(B64.encode(h)));
    return a;
  }
}
