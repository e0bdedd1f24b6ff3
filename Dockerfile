# Native image of oci-vault-sync for OCI Functions (fn deploy builds this file; runtime: docker in func.yaml).
# Stage 1 builds the native executable with Mandrel; stage 2 is a small glibc base running as uid 1000 (fn), which
# OCI Functions requires, and writing only under /tmp.
#
# The builder is pinned: Quarkus 3.33's native build targets GraalVM/Mandrel 25 (target/native-check/native-sources/
# graalvm.version after ./mvnw verify). The image runs as its own user `quarkus`, so the build folder is created for
# that user before switching to it, and every file copied in belongs to it (Quarkus's multi-stage template does the
# same): Maven must be able to write target/ and its repository.
#
# Both base images are pinned by digest, so a moved tag cannot change what is built. No public source this project can
# cite gives the digests of these two Red Hat tags (docs/ASSUMPTIONS.md, "Base images"), so they are build arguments
# without a default: a build without them stops at the first FROM ("invalid reference format"), never on an unpinned
# image. Read them from the registry when you build (README, "Deploy to OCI"):
#   docker build --build-arg MANDREL_BUILDER_DIGEST=$(skopeo inspect --format '{{.Digest}}' \
#     docker://quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:25.0.3.0-Final-java25) \
#     --build-arg UBI_MINIMAL_DIGEST=$(skopeo inspect --format '{{.Digest}}' \
#     docker://registry.access.redhat.com/ubi9/ubi-minimal:9.5) .
ARG MANDREL_BUILDER_DIGEST
ARG UBI_MINIMAL_DIGEST
FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:25.0.3.0-Final-java25@${MANDREL_BUILDER_DIGEST} AS build
USER root
RUN mkdir -p /build && chown quarkus:quarkus /build
USER quarkus
WORKDIR /build
COPY --chown=quarkus:quarkus mvnw ./
COPY --chown=quarkus:quarkus pom.xml ./
COPY --chown=quarkus:quarkus .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY --chown=quarkus:quarkus src src
RUN ./mvnw -B package -Dnative -DskipTests

FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5@${UBI_MINIMAL_DIGEST}
RUN microdnf install -y shadow-utils \
 && groupadd --gid 1000 fn \
 && useradd --uid 1000 --gid 1000 --no-create-home --shell /sbin/nologin fn \
 && microdnf remove -y shadow-utils && microdnf clean all
WORKDIR /function
COPY --from=build /build/target/*-runner /function/oci-vault-sync
# The software bill of materials of what the executable was built from (CycloneDX, made by ./mvnw package).
COPY --from=build /build/target/bom.json /function/sbom.cdx.json
USER 1000:1000
# Fn caps memory and threads: a heap bound and no more than the pools configured in application.properties.
ENTRYPOINT ["/function/oci-vault-sync", "-Xmx128m", "-Djava.io.tmpdir=/tmp"]
