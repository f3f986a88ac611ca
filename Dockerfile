# syntax=docker/dockerfile:1

# --- build: compile TypeScript, then keep production dependencies only; better-sqlite3's
# SQLite sources and object files (about 25 MB when it compiles) are not needed to run ---
# Node 24, the newest LTS line and the newest CI tests; tests/unit/launchers.test.ts keeps both
# images, the GitHub workflow's Node matrix and package.json's engines in step.
FROM node:24-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt binary; these let it compile instead when it cannot.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/dist-fresh.mjs ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev && npm cache clean --force \
  && cd node_modules/better-sqlite3 \
  && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
    build/Release/sqlite3.a build/Release/test_extension.node

# --- runtime: no compilers, non-root, signals handled by tini ---
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
# HEALTH_PORT: /livez, /readyz and /metrics on loopback inside the container, for the
# HEALTHCHECK. Set HEALTH_HOST=0.0.0.0 and publish the port to scrape /metrics from outside.
# MALLOC_ARENA_MAX=2, MALLOC_MMAP_THRESHOLD_=131072: `npm start`'s glibc settings (see
# CONTRIBUTING, Memory): Node's threads share two malloc arenas instead of one each, and
# blocks over 128 KB are always mmapped (given back when freed, no holes left in the heap).
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=9464 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072
EXPOSE 9464
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
# The SQLite outbox, watches and mutes: keep it across container upgrades.
VOLUME ["/data"]
# Liveness (/livez): unhealthy only when the process stops answering, so Docker, autoheal or
# an orchestrator restart a stuck bot, not one waiting for Home Assistant to come back
# (readiness is /readyz; see README, Health).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/dist/healthcheck.js"]
# tini is PID 1: it forwards SIGTERM/SIGINT to node, which shuts down cleanly, and reaps zombies.
# `docker run IMAGE` starts the bot; `docker run IMAGE doctor` checks the setup;
# `docker run IMAGE deploy-commands` registers the slash commands.
# --max-semi-space-size=2: the same V8 flag as `npm start` (see README, Memory): V8's young
# generation stays at 4 MB instead of growing to 32 MB during a burst of state changes and
# keeping it; the benchmarks measured no cost in throughput or latency.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=2", "/app/dist/cli.js"]
CMD ["start"]
