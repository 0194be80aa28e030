# syntax=docker/dockerfile:1
# librenms-exporter: Prometheus exporter for LibreNMS devices and ports.
#
#   docker build -t librenms-exporter .
#   docker run --rm -p 9878:9878 -e LIBRENMS_URL=http://host.docker.internal:8000 \
#     -e LIBRENMS_TOKEN=... --add-host host.docker.internal:host-gateway librenms-exporter
#   docker run --rm -e LIBRENMS_URL=... -e LIBRENMS_TOKEN=... librenms-exporter node dist/cli.js check
#
# The simulated LibreNMS of the demo (librenms-double/, a test double, never in the exporter's image)
# is a separate target; docker compose's demo profile builds it:
#
#   docker build --target librenms-double -t librenms-exporter-double .
#
# The exporter's image is the last stage (runtime), so a plain `docker build .` gives it.
#
# Node.js 26 is the Active LTS line ("Lithium"); the tag is pinned to a release and an Alpine version
# so a rebuild gives the same base. Bump it deliberately (docs/docker.md).
ARG NODE_IMAGE=node:26.13.0-alpine3.24

# ---- deps: all dependencies (the compilers) and the shared TypeScript settings ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are copied; the builds run below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./

# ---- build: the exporter (src/ only) compiled to dist/ ----
FROM deps AS build
COPY src ./src
RUN npm run build

# ---- double-build: the LibreNMS double (librenms-double/ only) compiled to dist-double/ ----
FROM deps AS double-build
COPY librenms-double ./librenms-double
RUN npm run build:double

# ---- librenms-double: the demo's simulated LibreNMS (docker compose, demo profile); not for production ----
# It imports only node: modules, so it has no node_modules; package.json gives "type": "module".
FROM ${NODE_IMAGE} AS librenms-double
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="librenms-exporter-double" \
      org.opencontainers.image.description="Simulated LibreNMS REST API (the workshop lab) for the librenms-exporter demo; a test double, not LibreNMS" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=double-build /src/dist-double ./dist-double
USER node
EXPOSE 8000
CMD ["node", "dist-double/main.js", "--host", "0.0.0.0", "--port", "8000"]

# ---- runtime: production dependencies and the compiled exporter only (the last stage: the default) ----
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="librenms-exporter" \
      org.opencontainers.image.description="Prometheus exporter for LibreNMS: devices and ports from the LibreNMS REST API as Prometheus metrics" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/${NODE_IMAGE}"
# NODE_OPTIONS: the V8 flags `npm start` runs the exporter with (package.json), here for every way the
# image starts it; a smaller young generation keeps the peak memory of a refresh down (docs/performance.md).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    LISTEN_ADDRESS=0.0.0.0:9878
WORKDIR /app
# package.json is needed at run time: "type": "module" and the version (dist/version.js reads it).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
# The image's built-in unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 9878
# /healthz never calls LibreNMS: it says the process serves. Node alone, no curl or wget needed; HTTP
# first, then HTTPS (a WEB_CONFIG_FILE with TLS; the certificate is not checked for a local probe);
# the port follows LISTEN_ADDRESS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const p=(process.env.LISTEN_ADDRESS||'').split(':').pop()||'9878';const ok=(r)=>process.exit(r.statusCode===200?0:1);require('http').get('http://127.0.0.1:'+p+'/healthz',ok).on('error',()=>require('https').get({host:'127.0.0.1',port:p,path:'/healthz',rejectUnauthorized:false},ok).on('error',()=>process.exit(1)))"]
# The exporter handles SIGTERM itself (in-flight scrapes finish), so node can be PID 1.
CMD ["node", "dist/cli.js"]
