package dev.portcullis.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** A new SQLite database holds password hashes and encrypted keys: only its owner may read it. */
class PrivateDatabaseFilesTest {

    @TempDir
    Path temp;

    @Test
    void aNewSqliteDatabaseAndItsWalFilesAreOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        Path file = temp.resolve("new-dir/nested/portcullis.db");
        try (Database database = Database.open("jdbc:sqlite:" + file, 2)) {
            database.sql().update("UPDATE tenants SET name = name");
            for (Path path : new Path[] {file, file.resolveSibling("portcullis.db-wal"), file.resolveSibling("portcullis.db-shm")}) {
                assertThat(path).exists();
                assertThat(mode(path)).as(path.toString()).isEqualTo("rw-------");
            }
            assertThat(mode(file.getParent())).isEqualTo("rwx------");
            assertThat(mode(file.getParent().getParent())).isEqualTo("rwx------");
        }
    }

    @Test
    void anExistingDatabaseKeepsItsMode() throws Exception {
        Path file = temp.resolve("old.db");
        Database.open("jdbc:sqlite:" + file, 1).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Database.open("jdbc:sqlite:" + file, 1).close();
        assertThat(mode(file)).isEqualTo("rw-r-----");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
