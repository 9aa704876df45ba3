package dev.petrel.abuse;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code @TempDir} on tmpfs ({@code /dev/shm}) when the machine has one, else the default
 * temporary directory: for tests that commit thousands of messages to a spool and are about the
 * protocol, not the disk, so that fsync does not set their pace.
 */
public final class MemoryTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) return Files.createTempDirectory(shm, "petrel-test-");
        return Files.createTempDirectory("petrel-test-");
    }
}
