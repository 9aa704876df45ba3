package dev.petrel.queue;

import dev.petrel.message.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a crash or a second server can do to the spool, and how the spool copes. */
class SpoolRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aSecondServerCannotClaimTheSameSpool() throws Exception {
        FileSpool first = new FileSpool(dir, 0, true);
        assertThatThrownBy(() -> new FileSpool(dir, 0, true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in use by another Petrel process");
        first.close();
        new FileSpool(dir, 0, true).close();
    }

    @Test
    void aRecordAfterATornLineStaysWhole() throws Exception {
        FileSpool spool = new FileSpool(dir, 0);
        QueueId id = QueueId.generate(System.currentTimeMillis());
        spool.appendStatus(id, List.of("D\t0\t1\t2.0.0\tlocal\tok"));
        // A crash in the middle of an append leaves a line without its end.
        Files.writeString(dir.resolve("queue").resolve(id.value() + ".status"), "T\t1\t2\t4.", StandardOpenOption.APPEND);
        assertThat(spool.readStatus(id)).containsExactly("D\t0\t1\t2.0.0\tlocal\tok");

        spool.appendStatus(id, List.of("D\t1\t3\t2.0.0\tlocal\tok"));
        assertThat(spool.readStatus(id)).containsExactly("D\t0\t1\t2.0.0\tlocal\tok", "T\t1\t2\t4.", "D\t1\t3\t2.0.0\tlocal\tok");
        assertThat(StatusRecord.parse("T\t1\t2\t4.")).as("the torn line is skipped when parsed").isNull();
    }

    @Test
    void invalidUtf8InAStatusLogDoesNotMakeItUnreadable() throws Exception {
        FileSpool spool = new FileSpool(dir, 0);
        QueueId id = QueueId.generate(System.currentTimeMillis());
        spool.appendStatus(id, List.of("D\t0\t1\t2.0.0\tlocal\tok"));
        Files.write(dir.resolve("queue").resolve(id.value() + ".status"), new byte[] {'T', '\t', (byte) 0xC3}, StandardOpenOption.APPEND);
        assertThat(spool.readStatus(id)).containsExactly("D\t0\t1\t2.0.0\tlocal\tok");
    }
}
