#!/usr/bin/env bash
# Installs Schemathesis (the API fuzzer test/ops/schemathesis.test.ts runs) into a virtualenv
# in a cache folder outside the clone, so fresh clones on the same machine reuse it; Authlib
# (the Python relying party of test/http/authlib.test.ts) goes into the same one.
# The versions are pinned here and in test/ops/schemathesisBinary.ts.
set -euo pipefail
version=4.32.5
authlib=1.9.6
cache="${XDG_CACHE_HOME:-$HOME/.cache}/keyward/schemathesis-$version"
authlibInstalled() { [ "$("$cache/bin/python" -c 'import authlib; print(authlib.__version__)' 2>/dev/null)" = "$authlib" ]; }
if [ -x "$cache/bin/st" ] && [ "$("$cache/bin/st" --version 2>/dev/null)" = "st, version $version" ]; then
  echo "Schemathesis: using $cache/bin/st"
  authlibInstalled || "$cache/bin/pip" install --quiet --disable-pip-version-check "authlib==$authlib"
  echo "Authlib: $authlib in $cache"
  exit 0
fi
command -v python3 >/dev/null || { echo "Schemathesis needs Python 3.10+ (python3 with venv)" >&2; exit 1; }
echo "Schemathesis: installing $version into $cache"
rm -rf "$cache"
python3 -m venv "$cache"
"$cache/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" "authlib==$authlib"
"$cache/bin/st" --version
