# The production image: `docker build -t selfdirect .` (README, "Running in production with Docker").
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    PORT=3000 \
    npm_config_update_notifier=false

WORKDIR /app

# Dependencies first, so a change to the code alone reuses this layer. The app runs its TypeScript
# through tsx and compiles its CSS with sass, both ordinary dependencies, so dev dependencies
# (test runner, linters, type definitions) are left out. No install scripts run: production uses
# DATABASE_URL, so embedded-postgres's binaries are never started, and esbuild (under tsx) works
# from its platform package without its optional check.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY views ./views
COPY public ./public
COPY scripts/build-css.ts ./scripts/build-css.ts
RUN npm run --silent build:css

# The files stay root's, read-only to the app: it writes nothing to its own folder in production.
USER node
EXPOSE 3000

# /healthz answers 200 when the database answers within two seconds, 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

# node itself is the container's main process, so Docker's SIGTERM reaches the app's own shutdown
# (requests in flight finish); `npm start` would also rebuild the CSS at every start.
CMD ["node", "--import", "tsx", "src/server.ts"]
