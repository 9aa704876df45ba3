package dev.petrel.dsn;

import dev.petrel.message.Envelope;
import dev.petrel.message.Recipient;
import dev.petrel.message.Recipient.Notify;

import java.util.List;
import java.util.Set;

/**
 * Decides which recipients appear in a notice, from the NOTIFY parameter of RFC 3461 section 4.1.
 *
 * <ul>
 *   <li>NOTIFY not given: failure and delay notices (the RFC leaves delay to us; senders who did
 *       not ask still want to know their mail is stuck).</li>
 *   <li>NEVER: nothing, ever.</li>
 *   <li>SUCCESS, FAILURE, DELAY: exactly the actions asked for; SUCCESS covers both
 *       {@code delivered} and {@code relayed}.</li>
 *   <li>A message with the null sender {@code <>} never gets a notice, whatever its recipients
 *       asked: a bounce must not cause a bounce (RFC 5321 section 4.5.5).</li>
 * </ul>
 */
public final class NotifyPolicy {
    private static final Set<Notify> DEFAULT = Set.of(Notify.FAILURE, Notify.DELAY);

    private NotifyPolicy() {}

    /** True when {@code recipient} asked (or by default gets) a notice for {@code action}. */
    public static boolean wants(Recipient recipient, Action action) {
        Set<Notify> asked = recipient.notifyOn().isEmpty() ? DEFAULT : recipient.notifyOn();
        return switch (action) {
            case FAILED -> asked.contains(Notify.FAILURE);
            case DELAYED -> asked.contains(Notify.DELAY);
            case DELIVERED, RELAYED -> asked.contains(Notify.SUCCESS);
        };
    }

    /**
     * The entries that belong in a notice to the sender of {@code original}, in the given order;
     * empty when no notice should be sent at all.
     */
    public static List<DsnEntry> select(Envelope original, List<DsnEntry> entries) {
        if (original.hasNullSender()) return List.of();
        return entries.stream().filter(e -> wants(e.recipient(), e.action())).toList();
    }
}
