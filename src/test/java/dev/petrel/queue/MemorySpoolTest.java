package dev.petrel.queue;

import dev.petrel.message.QueueId;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemorySpoolTest {
    @Test
    void keepsCommittedMessagesOnly() throws IOException {
        MemorySpool spool = new MemorySpool();
        byte[] content = {0, '\r', '\n', (byte) 0xff};
        QueueId id = FileSpoolTest.commit(spool, TestEnvelopes.full(), content);
        try (SpoolWriter w = spool.create(TestEnvelopes.minimal(), 0)) {
            w.write(new byte[10], 0, 10);
            assertThat(spool.list()).containsExactly(id);
        }
        SpooledMessage m = spool.read(id);
        assertThat(m.envelope()).isEqualTo(TestEnvelopes.full());
        assertThat(m.content()).isEqualTo(content);
        m.content()[0] = 9;
        assertThat(spool.read(id).content()).isEqualTo(content);
        spool.remove(id);
        assertThat(spool.list()).isEmpty();
        assertThatThrownBy(() -> spool.read(id)).isInstanceOf(IOException.class).hasMessageContaining(id.value());
    }

    @Test
    void capacityGivesSpoolFull() throws IOException {
        MemorySpool spool = new MemorySpool(10);
        assertThatThrownBy(() -> spool.create(TestEnvelopes.minimal(), 11)).isInstanceOf(SpoolFullException.class);
        FileSpoolTest.commit(spool, TestEnvelopes.minimal(), new byte[8]);
        assertThat(spool.hasRoomFor(3)).isFalse();
        SpoolWriter w = spool.create(TestEnvelopes.minimal(), 0);
        w.write(new byte[5], 0, 5);
        assertThatThrownBy(w::commit).isInstanceOf(SpoolFullException.class);
        assertThat(spool.list()).hasSize(1);
    }
}
