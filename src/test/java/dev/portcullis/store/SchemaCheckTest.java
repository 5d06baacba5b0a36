package dev.portcullis.store;

import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway runs on a new or outdated database and is skipped on a current one, without losing its refusals. */
class SchemaCheckTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNewDatabaseIsMigratedAndReopeningItAtTheCurrentSchemaSkipsFlyway(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            String url = scratch.jdbcUrl(store);
            try (Database first = Database.open(url, 2)) {
                assertThat(first.ranMigrations()).as("a new database is migrated").isTrue();
                assertThat(first.pendingMigrations()).isZero();
            }
            try (Database again = Database.open(url, 2)) {
                assertThat(again.ranMigrations()).as("a current schema needs no Flyway").isFalse();
                assertThat(SchemaCheck.isCurrent(again.dataSource())).isTrue();
                assertThat(again.sql().queryOne("SELECT COUNT(*) FROM config_revision", row -> row.getInt(1))).contains(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theChecksumsAreFlywaysOwn(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            Database database = scratch.open(store);
            Map<String, String> scripts = SchemaCheck.scripts().orElseThrow();
            assertThat(scripts).hasSizeGreaterThan(10);
            for (Map.Entry<String, String> script : scripts.entrySet()) {
                assertThat(database.sql().queryOne("SELECT checksum FROM flyway_schema_history WHERE version = ?",
                        row -> row.getInt(1), script.getKey())).as(script.getValue()).contains(SchemaCheck.checksum(script.getValue()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDatabaseWithoutTheNewestMigrationIsNotCurrentAndFlywaySeesItPending(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            String url = scratch.jdbcUrl(store);
            String last;
            try (Database first = Database.open(url, 2)) {
                // the newest migration's history row gone and what it created dropped: as if it were new in this build
                last = first.sql().queryOne("SELECT MAX(installed_rank) FROM flyway_schema_history", row -> row.getString(1)).orElseThrow();
                assertThat(SchemaCheck.scripts().orElseThrow()).containsKey(
                        first.sql().queryOne("SELECT version FROM flyway_schema_history WHERE installed_rank = " + last,
                                row -> row.getString(1)).orElseThrow());
                first.sql().update("DELETE FROM flyway_schema_history WHERE installed_rank = " + last);
                assertThat(SchemaCheck.isCurrent(first.dataSource())).isFalse();
                assertThat(first.pendingMigrations()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedMigrationIsStillRefusedByFlyway(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            String url = scratch.jdbcUrl(store);
            try (Database first = Database.open(url, 2)) {
                first.sql().update("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
                assertThat(SchemaCheck.isCurrent(first.dataSource())).isFalse();
            }
            assertThatThrownBy(() -> Database.open(url, 2)).isInstanceOf(FlywayException.class)
                    .hasMessageContaining("checksum");
        }
    }
}
