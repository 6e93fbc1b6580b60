# syntax=docker/dockerfile:1
# One image per app: docker build --build-arg APP=courses|enrollments|notifications .
ARG NODE_IMAGE=node:20-bookworm-slim

# Compiles one app (Nest CLI, rspack) with the full dependency set. Also the base of the
# one-shot `migrate` service in docker-compose.yml, which runs scripts/ with tsx.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The README's install command, exactly (the lockfile pins everything, install scripts included).
RUN npm ci
COPY nest-cli.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
ARG APP=courses
RUN npx nest build "$APP"

# Production dependencies only: the bundle keeps node_modules external.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG APP=courses
# What the production-mode test (test/production-mode.e2e-spec.ts) starts the built apps with:
# the API on PORT, /metrics on METRICS_PORT only, no /docs. Secrets come from the environment.
# NODE_OPTIONS caps V8's old space: sized from the host's (or the whole cgroup's) memory, V8 lets
# garbage grow an app to ~310 MB RSS under load before a full GC (live heap ~40 MB); 256 MB keeps
# the courses app at ~180 MB under 200 connections (the benchmark runs the apps with it too,
# bench/configs.ts). Raise it with the container's memory limit (512Mi in deploy/k8s).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    APP=${APP} \
    PORT=3000 \
    METRICS_PORT=9464 \
    DOCS_ENABLED=false
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/apps/${APP} ./dist/apps/${APP}
USER node
EXPOSE 3000 9464
# Liveness only: readiness (DynamoDB + Redis) is for load balancers, and a container should not be
# restarted because a dependency is down.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node becomes PID 1 and receives SIGTERM itself (graceful shutdown).
CMD ["sh", "-c", "exec node dist/apps/$APP/main.js"]
