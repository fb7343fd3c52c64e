package io.sealroom.arch;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.sealroom.Node;

/**
 * The server's main code keeps the shape its layout promises: no package cycle, the gateway
 * used only by itself and by {@link Node}, which builds it, and no feature package touching a
 * store engine or a driver. The rules are in {@link Architecture}; {@link ArchitectureRulesTest}
 * shows that each one fails when broken.
 */
@AnalyzeClasses(locations = Architecture.ServerMainCode.class)
class ServerArchitectureTest {
  private static final String ROOT = "io.sealroom";

  @ArchTest
  static final ArchRule noPackageCycles = Architecture.noPackageCycles(ROOT);

  @ArchTest
  static final ArchRule gatewayOnlyFromNode = Architecture.gatewayOnlyFromWiring(ROOT, Node.class);

  @ArchTest
  static final ArchRule featuresWithoutStoreEngines = Architecture.featuresWithoutStoreEngines(ROOT);
}
