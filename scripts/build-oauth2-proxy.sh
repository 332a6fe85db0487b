#!/usr/bin/env bash
# Builds oauth2-proxy v7.15.6 (tools/oauth2-proxy, pinned as a Go tool) into a cache folder
# outside the clone, for the single sign-on test that puts a real third-party OIDC client in
# front of an app. Fresh clones on the same machine reuse the binary; only a new machine builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${XDG_CACHE_HOME:-$HOME/.cache}/keyward/oauth2-proxy-v7.15.6"
bin="$cache/oauth2-proxy"
stamp="$cache/.source-sha256"
want=$(cat tools/oauth2-proxy/go.mod tools/oauth2-proxy/go.sum | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "oauth2-proxy: using $bin"
  exit 0
fi
command -v go >/dev/null || { echo "oauth2-proxy needs Go (https://go.dev/dl/)" >&2; exit 1; }
echo "oauth2-proxy: building v7.15.6 into $cache (a few minutes the first time)"
mkdir -p "$cache"
start=$(date +%s)
(cd tools/oauth2-proxy && GOBIN="$cache" GOFLAGS=-mod=mod go install github.com/oauth2-proxy/oauth2-proxy/v7)
echo "$want" > "$stamp"
echo "oauth2-proxy: built in $(( $(date +%s) - start )) s"
