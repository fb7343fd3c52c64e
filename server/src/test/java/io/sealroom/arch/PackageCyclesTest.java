package io.sealroom.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code depend on each other without a cycle: a package's dependencies
 * are the io.sealroom packages its sources import or name fully qualified. A cycle is reported
 * with the packages in it and, for each edge, a file that makes it.
 */
class PackageCyclesTest {
  private static final Path MAIN = Path.of(System.getProperty("basedir", "."), "src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  /** A qualified reference: package segments in lower case, then a type in upper case. */
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.sealroom(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

  @Test
  void mainCodeHasNoPackageCycle() throws IOException {
    Map<String, Map<String, String>> edges = dependencies();
    List<List<String>> cycles = stronglyConnected(edges).stream().filter(c -> c.size() > 1).toList();
    StringBuilder why = new StringBuilder();
    for (List<String> c : cycles) {
      why.append("\n  cycle ").append(c);
      for (String from : c) {
        edges.get(from).forEach((to, file) -> {
          if (c.contains(to)) {
            why.append("\n    ").append(from).append(" -> ").append(to).append(" (").append(file).append(')');
          }
        });
      }
    }
    assertTrue(cycles.isEmpty(), "package cycles:" + why);
  }

  @Test
  void theCheckFindsACycle() {
    Map<String, Map<String, String>> edges = new TreeMap<>();
    edges.put("a", Map.of("b", "A.java"));
    edges.put("b", Map.of("c", "B.java"));
    edges.put("c", Map.of("a", "C.java"));
    edges.put("d", Map.of("a", "D.java"));
    assertEquals(List.of(List.of("a", "b", "c")),
        stronglyConnected(edges).stream().filter(c -> c.size() > 1).map(c -> c.stream().sorted().toList()).toList());
  }

  /** package -> (package it depends on -> one file that makes the dependency). */
  private static Map<String, Map<String, String>> dependencies() throws IOException {
    Map<String, Map<String, String>> edges = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String src = Files.readString(f, StandardCharsets.UTF_8);
        Matcher pm = PACKAGE.matcher(src);
        if (!pm.find()) {
          continue;
        }
        String pkg = pm.group(1);
        Map<String, String> out = edges.computeIfAbsent(pkg, k -> new TreeMap<>());
        Matcher m = REFERENCE.matcher(src);
        while (m.find()) {
          String to = m.group(1);
          if (!to.equals(pkg)) {
            out.putIfAbsent(to, MAIN.relativize(f).toString());
          }
        }
      }
    }
    return edges;
  }

  /** Tarjan's strongly connected components. */
  static List<List<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
    Set<String> nodes = new TreeSet<>(edges.keySet());
    edges.values().forEach(m -> nodes.addAll(m.keySet()));
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String n : nodes) {
      if (!index.containsKey(n)) {
        visit(n, edges, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void visit(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        visit(w, edges, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }
}
