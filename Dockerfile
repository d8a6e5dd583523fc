# Build: the whole reactor (core, app, plugin jars), tests left to CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

# Run: the application jar, its configuration, and the built plugin jars in /app/plugins.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --home /app gatekit \
    && if ! command -v curl >/dev/null; then \
         apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; fi
COPY --from=build /src/gatekit-app/target/gatekit-app.jar /app/gatekit-app.jar
COPY --from=build /src/config.yml /app/config.yml
COPY --from=build /src/plugins/*/target/*-plugin-*.jar /app/plugins/
RUN chown -R gatekit /app
USER gatekit
# The admin port stays on the container's loopback: run tasks with `docker exec` (curl is in the
# image); set ADMIN_HOST=0.0.0.0 only on a network you trust, and always with GATEKIT_ADMIN_TOKEN.
ENV GATEKIT_ENV=production \
    GATEKIT_PLUGINS_DIR=/app/plugins
EXPOSE 3000
ENTRYPOINT ["java", "-jar", "/app/gatekit-app.jar"]
CMD ["server", "/app/config.yml"]
