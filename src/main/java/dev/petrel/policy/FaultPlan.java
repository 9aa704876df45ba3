package dev.petrel.policy;

import dev.petrel.message.MailAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic fault injection for capture mode, so a test can watch its application cope with a
 * misbehaving mail server: "the next 2 RCPT to x get 451 4.3.0", "DATA gets 552", "delay the reply
 * to MAIL by 2 s", "drop the connection after MAIL". Faults are managed through the inbox API and
 * scoped to a recipient address or an inbox name (a recipient's plus tag, or the SMTP AUTH user),
 * or to everything. The first matching fault wins and one use is taken from its count at each
 * match; a fault whose count runs out is removed. Thread-safe.
 */
public final class FaultPlan {
    /** Where in the SMTP dialogue a fault strikes. */
    public enum Stage { MAIL, RCPT, DATA }

    /** What it does: answer with {@code reply} instead of the real answer, pause first, or close the connection. */
    public enum Action { REPLY, DELAY, DROP }

    /**
     * One fault.
     *
     * @param id        assigned when added
     * @param stage     where it strikes
     * @param recipient only transactions with this recipient (any case), or null
     * @param inbox     only recipients whose plus tag, or sessions whose AUTH user, is this (any case), or null
     * @param action    what it does
     * @param code      for REPLY: the reply code (4xx or 5xx)
     * @param enhanced  for REPLY: the enhanced status, e.g. {@code 4.3.0}
     * @param text      for REPLY: the reply text
     * @param delay     for DELAY: how long the reply waits (at most {@link #MAX_DELAY})
     * @param remaining uses left; 0 means until removed
     */
    public record Fault(long id, Stage stage, String recipient, String inbox, Action action, int code, String enhanced,
                        String text, Duration delay, int remaining) {
        public Fault {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(action, "action");
            if (remaining < 0) throw new IllegalArgumentException("count must be 0 (until removed) or more");
            if (action == Action.REPLY && (code < 400 || code > 599)) {
                throw new IllegalArgumentException("a fault reply needs a 4xx or 5xx code, not " + code);
            }
            if (action == Action.DELAY && (delay == null || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0)) {
                throw new IllegalArgumentException("a delay must be between 0 and " + MAX_DELAY.toSeconds() + " s");
            }
            if (recipient != null) recipient = recipient.toLowerCase(Locale.ROOT);
            if (inbox != null) inbox = inbox.toLowerCase(Locale.ROOT);
        }

        Fault withId(long newId) {
            return new Fault(newId, stage, recipient, inbox, action, code, enhanced, text, delay, remaining);
        }

        Fault used() {
            return new Fault(id, stage, recipient, inbox, action, code, enhanced, text, delay, remaining - 1);
        }
    }

    /** Longer would hold the SMTP client past its own timeouts for no test's benefit. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);
    private static final int MAX_FAULTS = 1000;

    private final List<Fault> faults = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /** Adds {@code fault} (its id is ignored) and returns it with its new id. */
    public synchronized Fault add(Fault fault) {
        if (faults.size() >= MAX_FAULTS) throw new IllegalStateException("at most " + MAX_FAULTS + " faults; remove some first");
        Fault added = fault.withId(ids.incrementAndGet());
        faults.add(added);
        return added;
    }

    public synchronized List<Fault> list() {
        return List.copyOf(faults);
    }

    /** Removes the fault with {@code id}; false when there is none. */
    public synchronized boolean remove(long id) {
        return faults.removeIf(f -> f.id() == id);
    }

    /** Removes every fault; returns how many there were. */
    public synchronized int clear() {
        int n = faults.size();
        faults.clear();
        return n;
    }

    /**
     * The fault that strikes now, taking one use of it, or empty.
     *
     * @param recipients the transaction's recipients so far (for MAIL: none)
     * @param authUser   the session's AUTH user, or null
     */
    public synchronized Optional<Fault> strike(Stage stage, List<MailAddress> recipients, String authUser) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (f.stage() != stage || !matches(f, recipients, authUser)) continue;
            if (f.remaining() == 1) {
                faults.remove(i);
            } else if (f.remaining() > 1) {
                faults.set(i, f.used());
            }
            return Optional.of(f);
        }
        return Optional.empty();
    }

    private static boolean matches(Fault f, List<MailAddress> recipients, String authUser) {
        if (f.recipient() != null && recipients.stream().noneMatch(r -> r.toString().toLowerCase(Locale.ROOT).equals(f.recipient()))) {
            return false;
        }
        if (f.inbox() == null) return true;
        if (authUser != null && authUser.toLowerCase(Locale.ROOT).equals(f.inbox())) return true;
        return recipients.stream().anyMatch(r -> r.plusTag() != null && r.plusTag().toLowerCase(Locale.ROOT).equals(f.inbox()));
    }
}
