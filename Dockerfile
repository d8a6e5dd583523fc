# syntax=docker/dockerfile:1
# Build: the whole reactor (core, app, plugin jars), tests left to CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The dependencies first, from the poms alone: this layer is rebuilt when a pom changes, not on every
# change to the code, so a rebuild downloads nothing.
COPY pom.xml ./
COPY gatekit-plugin-api/pom.xml gatekit-plugin-api/
COPY gatekit-plugin-testkit/pom.xml gatekit-plugin-testkit/
COPY gatekit-core/pom.xml gatekit-core/
COPY gatekit-app/pom.xml gatekit-app/
COPY bench/pom.xml bench/
COPY plugins/pom.xml plugins/
COPY plugins/webhook/pom.xml plugins/webhook/
COPY plugins/telegram/pom.xml plugins/telegram/
COPY plugins/slack/pom.xml plugins/slack/
COPY plugins/whatsapp/pom.xml plugins/whatsapp/
COPY plugins/discord/pom.xml plugins/discord/
RUN mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline
COPY . .
# The build gathers the runnable (shaded) plugin jars, and only those, in gatekit-app/target/plugins.
RUN mvn -B -q package -DskipTests

# Run: the application jar, its configuration, and the built plugin jars in /app/plugins.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --home /app gatekit \
    && if ! command -v curl >/dev/null; then \
         apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; fi
COPY --from=build /src/gatekit-app/target/gatekit-app.jar /app/gatekit-app.jar
COPY --from=build /src/config.yml /app/config.yml
COPY --from=build /src/gatekit-app/target/plugins/ /app/plugins/
RUN chown -R gatekit /app
USER gatekit
# The admin port stays on the container's loopback: run tasks with `docker exec` (curl is in the
# image), with GATEKIT_ADMIN_TOKEN as a bearer token. Set ADMIN_HOST=0.0.0.0 only on a network you trust.
ENV GATEKIT_ENV=production \
    GATEKIT_PLUGINS_DIR=/app/plugins \
    PORT=3000 \
    ADMIN_PORT=3001
# Only the API port.
EXPOSE 3000
# GET /api/v1/health answers 200 when Postgres and Redis answer, 503 naming the one down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/api/v1/health" || exit 1
ENTRYPOINT ["java", "-jar", "/app/gatekit-app.jar"]
CMD ["server", "/app/config.yml"]
