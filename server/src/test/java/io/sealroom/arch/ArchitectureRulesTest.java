package io.sealroom.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link Architecture} fails on the fixture (io.sealroom.arch.fixture), which breaks
 * it on purpose, and names exactly the classes that break it: the rules that pass on the
 * server's code would catch what they are meant to catch.
 */
class ArchitectureRulesTest {
  private static final String FIXTURE = "io.sealroom.arch.fixture";
  private static final JavaClasses CLASSES = new ClassFileImporter().importPackages(FIXTURE);
  /** The class a violation starts from: "Method <pkg.Class.method(...)>" or "Constructor <pkg.Class.<init>(...)>". */
  private static final Pattern ORIGIN = Pattern.compile("^\\w+ <([\\w.$]+)\\.[\\w<>$]+\\(");

  @Test
  void findsThePackageCycle() {
    List<String> cycles = violations(Architecture.noPackageCycles(FIXTURE));
    assertEquals(1, cycles.size(), "one cycle: " + cycles);
    String cycle = cycles.get(0);
    assertTrue(cycle.startsWith("Cycle detected: Slice " + FIXTURE + ".messages -> "), cycle);
    assertTrue(cycle.contains("Slice " + FIXTURE + ".rooms -> "), cycle);
    assertTrue(cycle.contains("<" + FIXTURE + ".rooms.Rooms.name(java.lang.String)> calls method <"
        + FIXTURE + ".messages.Messages.count(java.lang.String)>"), cycle);
  }

  @Test
  void findsAFeatureUsingTheGatewayButNotTheWiring() {
    List<String> found = violations(Architecture.gatewayOnlyFromWiring(FIXTURE, io.sealroom.arch.fixture.Node.class));
    assertEquals(Set.of(FIXTURE + ".keys.Keys"), origins(found), String.join("\n", found));
    assertTrue(found.stream().allMatch(v -> v.contains("<" + FIXTURE + ".gateway.Gateway")), String.join("\n", found));
  }

  @Test
  void findsFeaturesUsingAStoreEngineOrADriver() {
    List<String> found = violations(Architecture.featuresWithoutStoreEngines(FIXTURE));
    assertEquals(Set.of(FIXTURE + ".messages.Messages", FIXTURE + ".users.Users"), origins(found),
        String.join("\n", found));
    assertTrue(found.stream().anyMatch(v -> v.contains("checks instanceof <com.mongodb.MongoException>")),
        String.join("\n", found));
    assertTrue(found.stream().anyMatch(v -> v.contains("<" + FIXTURE + ".store.rocksdb.RocksUsers.has(java.lang.String)>")),
        String.join("\n", found));
  }

  @Test
  void findsTheSdkUsingTheServerAndVertx() {
    List<String> found = violations(Architecture.sdkStandsAlone(FIXTURE));
    assertEquals(Set.of(FIXTURE + ".client.Sdk"), origins(found), String.join("\n", found));
    assertTrue(found.stream().anyMatch(v -> v.contains("<" + FIXTURE + ".rooms.Rooms.isMember(")), String.join("\n", found));
    assertTrue(found.stream().anyMatch(v -> v.contains("<io.vertx.core.Vertx.vertx()>")), String.join("\n", found));
  }

  /** The rule's violations on the fixture; fails when there are none. */
  private static List<String> violations(ArchRule rule) {
    var result = rule.evaluate(CLASSES);
    assertTrue(result.hasViolation(), "the fixture breaks: " + rule.getDescription());
    return result.getFailureReport().getDetails();
  }

  private static Set<String> origins(List<String> violations) {
    Set<String> out = new TreeSet<>();
    for (String v : violations) {
      Matcher m = ORIGIN.matcher(v);
      assertTrue(m.find(), "a violation that names its origin: " + v);
      out.add(m.group(1));
    }
    return out;
  }
}
