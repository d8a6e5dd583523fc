# Build: the whole reactor (core, app, plugin jars), tests left to CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

# Run: the application jar, its configuration, and the built plugin jars in /app/plugins.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --home /app gatekit
COPY --from=build /src/gatekit-app/target/gatekit-app.jar /app/gatekit-app.jar
COPY --from=build /src/config.yml /app/config.yml
# Only the runnable (shaded) plugin jars, which the build gathers there; never the original-*.jar beside them.
COPY --from=build /src/gatekit-app/target/plugins/ /app/plugins/
RUN chown -R gatekit /app
USER gatekit
ENV GATEKIT_ENV=production \
    GATEKIT_PLUGINS_DIR=/app/plugins \
    ADMIN_HOST=0.0.0.0
EXPOSE 3000 3001
ENTRYPOINT ["java", "-jar", "/app/gatekit-app.jar"]
CMD ["server", "/app/config.yml"]
