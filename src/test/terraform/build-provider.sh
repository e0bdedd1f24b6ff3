#!/usr/bin/env bash
# Builds the OCI Terraform provider from Oracle's source for `./mvnw -B test -Pterraform-validate`
# (docs/REAL-SERVICES.md, "A real terraform validate"), on a machine that reaches Debian's archive but not the
# Terraform registry or the Go module proxy. Leaves bin/terraform-provider-oci and bin/PROVIDER_VERSION in $T
# (default /tmp/tfreal, the profile's default ovs.terraform.provider-dir is $T/bin).
#
#  1. Go: Debian's golang-<GO>-go and golang-<GO>-src packages (unstable or trixie-backports), downloaded through an
#     apt configuration of its own under $T/apt (the system's sources are not changed) and unpacked with dpkg -x
#     (nothing installed system-wide).
#  2. Source: `git archive` of TAG from a bare snapshot of github.com/oracle/terraform-provider-oci at
#     $MIRROR/oracle+terraform-provider-oci/repo (a `git clone --bare` works); the repository commits vendor/, so the
#     build downloads no module.
#  3. go build, offline (GOPROXY=off, -mod=vendor).
# About 10 minutes and 3 GB of memory on 2 cores. The terraform CLI itself (1.11.4 here) must be on PATH.
#
# Usage: MIRROR=/path/to/snapshots src/test/terraform/build-provider.sh [TAG] [GO_MINOR]   (default v8.28.0 1.26)
set -euo pipefail
TAG=${1:-v8.28.0}; GOV=${2:-1.26}
T=${T:-/tmp/tfreal}; A=$T/apt
SRC_REPO=${MIRROR:?the folder holding the repository snapshots}/oracle+terraform-provider-oci/repo
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$T/debs" "$T/bin"
cat > "$A/sources.list" <<'S'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
S
O=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$A/lists"
   -o "Dir::Cache=$A/cache")
if [ ! -x "$T/goroot-x/usr/lib/go-$GOV/bin/go" ]; then
  apt-get "${O[@]}" update
  (cd "$T/debs" && apt-get "${O[@]}" download "golang-$GOV-go" "golang-$GOV-src")
  mkdir -p "$T/goroot-x" && for d in "$T"/debs/golang-"$GOV"-*.deb; do dpkg -x "$d" "$T/goroot-x"; done
fi
export GOROOT=$T/goroot-x/usr/lib/go-$GOV
export PATH=$GOROOT/bin:$PATH
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=vendor GOMAXPROCS=2
export GOCACHE=$T/gocache GOMODCACHE=$T/gomodcache
rm -rf "$T/src" && mkdir -p "$T/src" && git -C "$SRC_REPO" archive "$TAG" | tar -x -C "$T/src"
cd "$T/src"
VERSION=$(sed -n 's/.*const Version = "\(.*\)".*/\1/p' internal/globalvar/version.go)
COMMIT=$(git -C "$SRC_REPO" rev-parse --short=12 "$TAG^{commit}")
t0=$(date +%s)
nice -n 10 go build -p 2 -ldflags="-s -w" -o "$T/bin/terraform-provider-oci" .
echo "$VERSION (oracle/terraform-provider-oci $TAG, commit $COMMIT, built with $(go version | cut -d' ' -f3) from Debian)" \
  > "$T/bin/PROVIDER_VERSION"
echo "[build-provider] $(cat "$T/bin/PROVIDER_VERSION") in $(( $(date +%s) - t0 )) s -> $T/bin"
