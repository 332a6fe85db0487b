#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what it needs, then typecheck, lint,
# build, and every test (unit, storage contract, HTTP, browser). Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)

step() { printf '\n== %s\n' "$*"; }

step "system packages (Chromium, oathtool, nginx, OpenLDAP)"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v oathtool >/dev/null || missing+=(oathtool)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# A real directory for the LDAP tests (test/helpers/slapd.ts runs its own, never the system one).
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapmodify >/dev/null || missing+=(ldap-utils)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"; echo "oathtool: $(oathtool --version | head -1)"; echo "nginx: $(/usr/sbin/nginx -v 2>&1)"; echo "slapd: $(/usr/sbin/slapd -VV 2>&1 | head -1)"

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "test database"
if [ -n "${MONGODB_URI:-}" ]; then echo "using MONGODB_URI"; else bash scripts/build-ferretdb.sh; fi

step "oauth2-proxy (a real single sign-on client for the browser tests)"
bash scripts/build-oauth2-proxy.sh

step "go-oidc relying party (test/http/goOidc.test.ts)"
bash scripts/build-go-oidc-rp.sh

step "Schemathesis and Authlib (the API fuzzer of test/ops/schemathesis.test.ts, the Python relying party)"
bash scripts/build-schemathesis.sh

step "typecheck"
npx tsc -p tsconfig.json --noEmit
step "lint"
npx eslint .
step "build"
# Always, not only when sources changed: tests against a stale build would prove nothing, and
# a fresh clone builds anyway. (It writes the stamp, so the next `npm start` does not rebuild.)
npm run build --silent

step "tests"
mkdir -p test-results
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
status=$?
set -e
echo "total time: $(( $(date +%s) - t0 )) s"
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  const failed = r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests + r.numTodoTests ? `, ${r.numPendingTests + r.numTodoTests} skipped` : ""));
  process.exit(failed > 0 ? 1 : 0);
' || exit 1
exit $status
