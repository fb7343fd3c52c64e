# Sealroom container image: build the fat jar with Maven, run it on a JRE as a non-root user.
#   docker build -t sealroom .
#   docker run --rm -p 8080:8080 -v sealroom-data:/data sealroom

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first: this layer is rebuilt only when a pom.xml changes (best effort: the
# server names the SDK, a module of this build that no repository holds yet, so go-offline may stop
# early; package below fetches whatever it left).
COPY pom.xml .
COPY client/pom.xml client/
COPY server/pom.xml server/
COPY load-tests/pom.xml load-tests/
RUN mvn -B -q dependency:go-offline -pl client,server || true
COPY client/src client/src
COPY server/src server/src
RUN mvn -B package -DskipTests -pl server -am

FROM eclipse-temurin:17-jre
RUN groupadd --system sealroom \
 && useradd --system --gid sealroom --home-dir /app --no-create-home --shell /usr/sbin/nologin sealroom \
 && mkdir -p /app/conf /data \
 && chown sealroom:sealroom /data
WORKDIR /app
COPY --from=build /build/target/sealroom.jar /app/sealroom.jar
COPY conf/config.json /app/conf/config.json
ENV SEALROOM_HTTP_HOST=0.0.0.0 \
    SEALROOM_STORE_DATADIR=/data
VOLUME /data
EXPOSE 8080
USER sealroom
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${SEALROOM_HTTP_PORT:-8080}/health" || exit 1
# The --add-* options are the ones Hazelcast asks for (see the Surefire argLine in server/pom.xml).
# The JVM settings of a node (README, "JVM settings"): the parallel collector and a fixed 1 GB heap.
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-Xms1g", "-Xmx1g", \
  "--add-modules", "java.se", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "-jar", "/app/sealroom.jar"]
CMD ["--config", "/app/conf/config.json"]
