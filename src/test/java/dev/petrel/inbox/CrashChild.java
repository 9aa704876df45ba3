package dev.petrel.inbox;

import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link InboxCrashTest}: stores messages in a loop and prints each id only
 * after {@code store} returned, until it is killed (or a bound of 10,000 messages or 60 s passes).
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        InboxStore store = InboxStore.open(Path.of(args[0]), Retention.unlimited());
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
            MessageSummary stored = store.store(TestMail.mail().subject("crash " + i).captured("crash"));
            System.out.println(stored.id());
            System.out.flush();
        }
        store.close();
    }
}
