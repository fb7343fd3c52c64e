package io.sealroom.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The rules of how Sealroom's packages may depend on each other, each made for a root package
 * so that the same rule checks the server (root {@code io.sealroom}) and, in
 * {@link ArchitectureRulesTest}, a fixture that breaks it. Also where the classes come from:
 * the server's main code and the SDK's jar, each found where one of its classes was loaded.
 * Stateless.
 */
final class Architecture {
  /** The feature packages: rules and their store interfaces, never a store engine. */
  static final String[] FEATURES = {"auth", "users", "rooms", "messages", "keys", "files", "limits", "gateway", "common"};

  /** What only the store engines may use: the engines themselves and the drivers they wrap. */
  static final String[] DRIVERS = {"com.mongodb..", "io.vertx.ext.mongo..", "org.bson..", "de.bwaldvogel..",
      "org.rocksdb.."};

  private Architecture() {
  }

  /** Every package under {@code root} (root included) depends on the others without a cycle. */
  static ArchRule noPackageCycles(String root) {
    return slices().assignedFrom(eachPackageUnder(root)).should().beFreeOfCycles()
        .as("the packages under " + root + " depend on each other without a cycle");
  }

  /**
   * Only the gateway and the top-level {@code wiring} (which builds it) use the gateway: no
   * feature knows of HTTP, WebSockets or the event-bus frames.
   */
  static ArchRule gatewayOnlyFromWiring(String root, Class<?>... wiring) {
    String gateway = root + ".gateway..";
    return noClasses().that().resideOutsideOfPackage(gateway).and().doNotBelongToAnyOf(wiring)
        .should().dependOnClassesThat().resideInAPackage(gateway)
        .as("only " + gateway + " and the top-level wiring use " + gateway);
  }

  /**
   * The feature packages use their store interfaces and typed store errors only: never a store
   * engine ({@code root.store..}) or a driver, not even to look at a driver's exception.
   */
  static ArchRule featuresWithoutStoreEngines(String root) {
    String[] features = new String[FEATURES.length];
    for (int i = 0; i < FEATURES.length; i++) {
      features[i] = root + "." + FEATURES[i] + "..";
    }
    String[] forbidden = new String[DRIVERS.length + 1];
    System.arraycopy(DRIVERS, 0, forbidden, 0, DRIVERS.length);
    forbidden[DRIVERS.length] = root + ".store..";
    return noClasses().that().resideInAnyPackage(features)
        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
        .as("the feature packages under " + root + " use no store engine and no driver");
  }

  /** The SDK ({@code root.client..}) uses no other package under root, no Vert.x and no Netty. */
  static ArchRule sdkStandsAlone(String root) {
    String sdk = root + ".client..";
    return noClasses().that().resideInAPackage(sdk)
        .should().dependOnClassesThat(resideInAPackage(root + "..").and(resideOutsideOfPackage(sdk))
            .as("reside in another package under " + root))
        .orShould().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..")
        .as("the SDK " + sdk + " depends on no other package under " + root + ", on no Vert.x and no Netty");
  }

  /** One slice per package under root; classes elsewhere are left out. */
  private static SliceAssignment eachPackageUnder(String root) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        return p.equals(root) || p.startsWith(root + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "each package under " + root;
      }
    };
  }

  /** The server's main classes (target/classes): where io.sealroom.Node was loaded from. */
  static final class ServerMainCode implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      return Set.of(locationOf(io.sealroom.Node.class));
    }
  }

  /** The SDK's classes: the sealroom-client jar (or its classes directory in a reactor build). */
  static final class SdkCode implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      return Set.of(locationOf(io.sealroom.client.SealroomClient.class));
    }
  }

  /** The directory or jar a class was loaded from. */
  private static Location locationOf(Class<?> c) {
    try {
      URI where = c.getProtectionDomain().getCodeSource().getLocation().toURI();
      return Files.isRegularFile(Path.of(where)) ? Location.of(URI.create("jar:" + where + "!/")) : Location.of(where);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
