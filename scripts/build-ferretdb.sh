#!/usr/bin/env bash
# Builds the FerretDB v1.24.2 test server (tools/ferretdb) into a cache folder outside the
# clone, so fresh clones on the same machine reuse it and only a new machine builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${XDG_CACHE_HOME:-$HOME/.cache}/keyward/ferretdb-v1.24.2"
bin="$cache/ferretdb"
stamp="$cache/.source-sha256"
want=$(cat tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/main.go | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "FerretDB: using $bin"
  exit 0
fi
command -v go >/dev/null || { echo "FerretDB needs Go (https://go.dev/dl/) or set MONGODB_URI to a real MongoDB" >&2; exit 1; }
echo "FerretDB: building v1.24.2 into $cache (about 1.5 min the first time)"
mkdir -p "$cache"
start=$(date +%s)
(cd tools/ferretdb && GOBIN="$cache" GOFLAGS=-mod=mod go install .)
echo "$want" > "$stamp"
echo "FerretDB: built in $(( $(date +%s) - start )) s"
