# syntax=docker/dockerfile:1
# librenms-exporter: Prometheus exporter for LibreNMS devices and ports.
#
#   docker build -t librenms-exporter .
#   docker run --rm -p 9878:9878 -e LIBRENMS_URL=http://host.docker.internal:8000 \
#     -e LIBRENMS_TOKEN=... --add-host host.docker.internal:host-gateway librenms-exporter
#   docker run --rm -e LIBRENMS_URL=... -e LIBRENMS_TOKEN=... librenms-exporter node dist/cli.js check
#
# Node.js 26 is the Active LTS line ("Lithium"); the tag is pinned to a release and an Alpine version
# so a rebuild gives the same base. Bump it deliberately (README.md, "Docker").
ARG NODE_IMAGE=node:26.13.0-alpine3.24

# ---- build: all dependencies, compile TypeScript to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the compiled JavaScript only ----
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
ENV NODE_ENV=production \
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
