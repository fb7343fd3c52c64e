package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * axe-core (src/test/resources/axe, see its README) run in the page under test. The script is
 * injected with executeScript, which the page's Content-Security-Policy does not govern, and
 * is never served by the node. A screen passes when axe (its default rules: WCAG 2.x A and AA
 * and best practices) reports no violation of impact serious or critical, and none of the
 * moderate rules this client once broke and must not break again.
 */
final class Axe {
  static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");
  /** Moderate rules fixed on purpose (issue 14): a regression fails too. */
  static final Set<String> FAILING_RULES = Set.of("page-has-heading-one", "landmark-one-main");
  private static final String SOURCE = load();

  private final String test;
  private final Map<String, String> problems = new LinkedHashMap<>();

  /** An audit of one test's screens; {@link #assertClean()} at its end reports them all at once. */
  Axe(String test) {
    this.test = test;
  }

  private static String load() {
    try (InputStream in = Axe.class.getResourceAsStream("/axe/axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException("axe/axe.min.js is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The violations axe finds in the page as it is now: [{id, impact, help, nodes: [{target, summary}]}]. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> violations(Browser b) {
    if (!Boolean.TRUE.equals(b.js("return typeof window.axe === 'object';"))) {
      b.js(SOURCE);
    }
    Object r = b.driver.executeAsyncScript(String.join("\n",
        "const done = arguments[arguments.length - 1];",
        "axe.run(document, {resultTypes: ['violations']}).then(",
        "  (res) => done(res.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,",
        "    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary}))}))),",
        "  (e) => done({error: String(e)}));"));
    if (r instanceof Map) {
      throw new AssertionError("axe did not run: " + ((Map<?, ?>) r).get("error"));
    }
    return (List<Map<String, Object>>) r;
  }

  /**
   * Screenshots the screen and runs axe on it; a violation that is serious or critical, or one of
   * {@link #FAILING_RULES}, is kept (with every violation of that screen) for {@link #assertClean()}.
   */
  void check(Browser b, String screen) throws IOException {
    b.screenshot(test, "axe-" + screen);
    List<Map<String, Object>> found = violations(b);
    boolean failing = found.stream().anyMatch(v -> FAILING_IMPACTS.contains(String.valueOf(v.get("impact")))
        || FAILING_RULES.contains(String.valueOf(v.get("id"))));
    if (failing) {
      problems.put(screen, describe(found));
    }
  }

  /** Fails with the full list of each screen that had a failing violation. */
  void assertClean() {
    if (!problems.isEmpty()) {
      fail("axe found serious or critical violations (or " + FAILING_RULES + ") on " + problems.size()
          + " screen(s):\n" + problems.entrySet().stream().map(e -> "## " + e.getKey() + "\n" + e.getValue())
          .collect(Collectors.joining("\n")));
    }
  }

  @SuppressWarnings("unchecked")
  static String describe(List<Map<String, Object>> violations) {
    return violations.stream().map(v -> "- " + v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + "\n"
        + ((List<Map<String, Object>>) v.get("nodes")).stream()
            .map(n -> "    " + n.get("target") + "\n      " + String.valueOf(n.get("summary")).replace("\n", "\n      "))
            .collect(Collectors.joining("\n")))
        .collect(Collectors.joining("\n"));
  }
}
