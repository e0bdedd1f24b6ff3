# The image of oci-vault-sync for OCI Functions: Temurin 17 with an AppCDS archive. It is the image measured in
# BENCHMARKS.md and the one `docker build .` and `fn build` (func.yaml, runtime: docker) make; the native image is
# Dockerfile.native. Build it for the architecture of the functions application's shape (docs/DEPLOY.md):
#   docker build --platform linux/amd64 -t <region-key>.ocir.io/<namespace>/oci-vault-sync:0.1.0 .   (GENERIC_X86)
#   docker build --platform linux/arm64 -t ... .                                                      (GENERIC_ARM)
# Base images by digest, so a moved tag cannot change what is built: the multi-platform index digests of
# eclipse-temurin:17-jdk and :17-jre (Temurin 17.0.20+8 on Ubuntu 26.04, built 2026-09-09) as Docker's official-images
# project records them (github.com/docker-library/repo-info, repos/eclipse-temurin/remote/17-jdk.md and 17-jre.md at
# commit 11bfd4f99b512979c1af2554b414258d8476f41f). To take a newer Temurin, replace both digests (docs/ASSUMPTIONS.md,
# "Base images").
FROM eclipse-temurin:17-jdk@sha256:36d9a76dc231587873b103c68a789b85d91b41d314dda69730d6bc43a777f2a9 AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B package -DskipTests -Dnative-sources.skip=true

FROM eclipse-temurin:17-jre@sha256:c6f2875c05ea10f16398bdc5f73405c384991506f2f1ead8bcc6582ae8adea79
LABEL org.opencontainers.image.title="oci-vault-sync" org.opencontainers.image.licenses="Apache-2.0"
# OCI Functions runs the container as uid/gid 1000 named fn; the base image's uid 1000 user makes way for it.
RUN (userdel --remove ubuntu 2>/dev/null || true) \
 && groupadd --gid 1000 fn \
 && useradd --uid 1000 --gid 1000 --no-create-home --shell /usr/sbin/nologin fn
WORKDIR /function/quarkus-app
COPY --from=build /build/target/quarkus-app /function/quarkus-app
# The software bill of materials of the packaged jars (CycloneDX, made by ./mvnw package).
COPY --from=build /build/target/bom.json /function/sbom.cdx.json
# Small and quick to start on a fraction of a CPU, inside the function's 256 MB (measured in BENCHMARKS.md,
# "Memory"): serial GC, C1 only, one processor's worth of pools, a heap of half the memory and bounded metaspace and
# code cache, so heap + the rest stays under the cap.
# The java launcher reads JDK_JAVA_OPTIONS itself, so the archive below is made with exactly the flags it runs with.
ENV JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ActiveProcessorCount=1 -XX:MaxRAMPercentage=50 \
-XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -Xss512k -Djava.io.tmpdir=/tmp"
# An AppCDS archive, made here with the runtime's own JVM and flags, as an archive must be. Not Quarkus's way
# (quarkus.appcds.generate stops the application before its start-up observers run, so the archive would miss the OCI
# SDK, Jersey and JSON classes the warm-up loads): the application starts for real (without credentials the warm-up
# signs with a throw-away key; nothing is sent anywhere), listens only once the warm-up is done, and is then stopped;
# the JVM writes every class it loaded as it exits. Run from this folder, as the archive's class path is relative to it.
RUN bash -c 'java -XX:ArchiveClassesAtExit=app-cds.jsa -jar quarkus-run.jar & pid=$!; \
  until (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; do kill -0 $pid || exit 1; sleep 0.2; done; \
  kill $pid; wait $pid; test -s app-cds.jsa'
USER 1000:1000
ENTRYPOINT ["java", "-XX:SharedArchiveFile=app-cds.jsa", "-jar", "quarkus-run.jar"]
