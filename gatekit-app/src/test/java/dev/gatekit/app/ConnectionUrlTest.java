package dev.gatekit.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionUrlTest {

    @Test
    void theOriginalsPostgresUrlBecomesJdbcWithCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://gatekit:p%40ss@db.internal:6543/gatekit?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/gatekit?sslmode=require");
        assertThat(url.user()).isEqualTo("gatekit");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.toString()).doesNotContain("p@ss");
    }

    @Test
    void postgresSchemeDefaultPortAndJdbcUrlsAreAccepted() {
        assertThat(DatabaseUrl.parse("postgres://u@localhost/app").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/app");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=x").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?user=x");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/db")).hasMessageContaining("DATABASE_URL");
    }

    @Test
    void redisUrlsCarryPasswordAndDatabase() {
        RedisUrl url = RedisUrl.parse("redis://:s3cret@cache:6380/2");

        assertThat(url.address()).isEqualTo("redis://cache:6380");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.username()).isNull();
        assertThat(url.database()).isEqualTo(2);
        assertThat(url.toString()).doesNotContain("s3cret");
        assertThat(RedisUrl.parse("rediss://h").address()).isEqualTo("rediss://h:6379");
        assertThatThrownBy(() -> RedisUrl.parse("http://h")).hasMessageContaining("REDIS_URL");
    }
}
