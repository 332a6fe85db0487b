# Keyward container image.
#   docker build -t keyward .
# Production runs it through docker-compose.yml (MongoDB replica set + Keyward); see README.

# --- build: compile the server (tsc) and the browser client (vite) ---------------------
FROM node:24-bookworm-slim AS build
# better-sqlite3 (the embedded store) compiles from source when no prebuilt binary fits.
# @node-rs/argon2 ships prebuilt binaries as optional npm dependencies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so the layer is reused until package-lock.json changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and the built output only -------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only for the app user: the process cannot change its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# DATA_DIR is only written by the embedded store (when MONGODB_URI is unset).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Liveness only; docker-compose.yml checks readiness (/readyz: database reachable).
# The slim image has no curl, so node's fetch does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The young-generation size the cluster gives its workers (server/cluster/runPrimary.ts), for WORKERS=1 too.
CMD ["node", "--max-semi-space-size=8", "dist/server/main.js"]
