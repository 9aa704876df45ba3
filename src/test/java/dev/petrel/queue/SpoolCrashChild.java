package dev.petrel.queue;

import dev.petrel.message.QueueId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The process that {@link SpoolCrashTest} kills: several sessions commit messages in a loop and
 * print {@code COMMITTED <id>} only after {@code commit()} returned, i.e. after the server would
 * have said 250. Each content ends with a CRC32 of the bytes before it, so a reader can tell an
 * intact message from a torn one. Bounded in count and time in case nobody kills it.
 *
 * <p>Arguments: spool root, maximum messages, maximum seconds, sessions.
 */
public final class SpoolCrashChild {
    static final String PREFIX = "COMMITTED ";

    public static void main(String[] args) throws Exception {
        FileSpool spool = new FileSpool(Path.of(args[0]), 0);
        int max = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        int sessions = Integer.parseInt(args[3]);
        AtomicInteger count = new AtomicInteger();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < sessions; s++) {
                ex.submit(() -> {
                    while (count.incrementAndGet() <= max && System.nanoTime() < deadline) {
                        QueueId id = FileSpoolTest.commit(spool, TestEnvelopes.simple("crash"), content());
                        synchronized (System.out) {
                            System.out.println(PREFIX + id);
                            System.out.flush();
                        }
                    }
                    return null;
                });
            }
        }
    }

    /** Random bytes (any value, CR and LF included), then {@code \r\nCRC32:xxxxxxxx\r\n}. */
    static byte[] content() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] body = new byte[r.nextInt(0, 150_000)];
        r.nextBytes(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] trailer = String.format("\r\nCRC32:%08x\r\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(body, body.length + trailer.length);
        System.arraycopy(trailer, 0, out, body.length, trailer.length);
        return out;
    }

    /** True when the content carries a matching checksum trailer. */
    static boolean intact(byte[] content) {
        int trailer = "\r\nCRC32:xxxxxxxx\r\n".length();
        if (content.length < trailer) return false;
        String t = new String(content, content.length - trailer, trailer, StandardCharsets.US_ASCII);
        if (!t.startsWith("\r\nCRC32:") || !t.endsWith("\r\n")) return false;
        CRC32 crc = new CRC32();
        crc.update(content, 0, content.length - trailer);
        return HexFormat.fromHexDigitsToLong(t.substring(8, 16)) == crc.getValue();
    }

    private SpoolCrashChild() {}
}
