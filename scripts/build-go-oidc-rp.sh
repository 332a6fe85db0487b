#!/usr/bin/env bash
# Builds tools/go-oidc-rp (a relying party on coreos/go-oidc v3 and golang.org/x/oauth2, pinned
# in its go.mod) into a cache folder outside the clone, for test/http/goOidc.test.ts. Fresh
# clones on the same machine reuse the binary; a changed go.mod, go.sum or main.go rebuilds it.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${XDG_CACHE_HOME:-$HOME/.cache}/keyward/go-oidc-rp"
bin="$cache/go-oidc-rp"
stamp="$cache/.source-sha256"
want=$(cat tools/go-oidc-rp/go.mod tools/go-oidc-rp/go.sum tools/go-oidc-rp/main.go | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "go-oidc-rp: using $bin"
  exit 0
fi
command -v go >/dev/null || { echo "go-oidc-rp needs Go (https://go.dev/dl/)" >&2; exit 1; }
echo "go-oidc-rp: building into $cache"
mkdir -p "$cache"
(cd tools/go-oidc-rp && go build -o "$bin" .)
echo "$want" > "$stamp"
