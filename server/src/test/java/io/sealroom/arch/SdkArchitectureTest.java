package io.sealroom.arch;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The SDK (io.sealroom.client, the sealroom-client jar on this module's test classpath) stands
 * alone: it uses nothing of the server, and neither Vert.x nor Netty, so that a bot needs only
 * the SDK and BouncyCastle. {@link ArchitectureRulesTest} shows that the rule fails when broken.
 */
@AnalyzeClasses(locations = Architecture.SdkCode.class)
class SdkArchitectureTest {
  @ArchTest
  static final ArchRule sdkStandsAlone = Architecture.sdkStandsAlone("io.sealroom");
}
