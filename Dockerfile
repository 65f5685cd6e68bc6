# The rl-from-scratch environment server as an image (docs/scaling.md).
#   docker build -t rlfs-env-server .
#   docker run --rm -p 8080:8080 -e RLFS_TOKEN=change-me rlfs-env-server
# The server runs from its TypeScript sources through tsx's loader, as `npm run server` does, so --env-module takes
# .ts files here too; tsx is therefore a runtime dependency of @rlfs/env-server.

# ---- build: every dependency, then the viewer bundle (packages/viewer/dist) ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# --ignore-scripts: no install script may fetch a binary (the root `prepare` builds the viewer, done next instead)
RUN npm ci --ignore-scripts && npx tsx tools/scripts/build-viewer.ts

# ---- runtime: the server's production dependencies only, the prebuilt viewer, a non-root user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --ignore-scripts --workspace @rlfs/env-server && npm cache clean --force
COPY --from=build /app/packages/viewer/dist packages/viewer/dist
# `node` (uid 1000) comes with the base image
USER node
EXPOSE 8080
# node itself, not the tsx wrapper, is PID 1: SIGTERM reaches the server's own handler.
ENTRYPOINT ["node", "--import", "tsx", "packages/env-server/bin/server.ts"]
# Bound to every interface, so a token is required: the server reads it from RLFS_TOKEN.
CMD ["--host", "0.0.0.0", "--port", "8080"]
