package dev.portcullis.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files only the server's own user may read: the SQLite database (password hashes, encrypted keys)
 * and the master key. On a filesystem without POSIX permissions these are plain files.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> SHARED = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private PrivateFiles() {
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates the directory and any missing parents with mode 0700; existing ones keep their mode. */
    public static void createDirectories(Path directory) throws IOException {
        if (posix()) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    /** Creates an empty file with mode 0600; throws FileAlreadyExistsException if it exists. */
    public static void createFile(Path file) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    /** The file's mode, e.g. {@code rw-r--r--}, when it is readable or writable by group or others. */
    public static Optional<String> sharedMode(Path file) throws IOException {
        if (!posix()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        return permissions.stream().anyMatch(SHARED::contains)
                ? Optional.of(PosixFilePermissions.toString(permissions)) : Optional.empty();
    }
}
