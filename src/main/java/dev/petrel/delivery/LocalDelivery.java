package dev.petrel.delivery;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.DeliveryStatus.Outcome;
import dev.petrel.message.Recipient;
import dev.petrel.policy.LocalRecipients;

import java.util.ArrayList;
import java.util.List;

/**
 * Local delivery for {@link Route.Local}: resolves the local part to its mailboxes (a user, the
 * users of an alias, or the catch-all) and hands the message to the mailbox transport once per
 * mailbox. A recipient counts as delivered when every one of its mailboxes has it; if one fails
 * temporarily, the retry delivers to all of them again (an alias to several mailboxes may then
 * leave a duplicate in the ones that had succeeded).
 */
public final class LocalDelivery implements Transport {
    private final LocalRecipients recipients;
    private final Transport mailboxes;

    /** @param mailboxes delivers into the mailbox named by {@code Route.Local.mailbox()} (Maildir) */
    public LocalDelivery(LocalRecipients recipients, Transport mailboxes) {
        this.recipients = recipients;
        this.mailboxes = mailboxes;
    }

    @Override
    public List<DeliveryStatus> deliver(Delivery delivery, Route route) {
        List<DeliveryStatus> out = new ArrayList<>();
        for (Recipient r : delivery.recipients()) {
            List<String> boxes = recipients.resolve(r.address().localPart());
            if (boxes.isEmpty()) {
                out.add(DeliveryStatus.permanent(r.address(), "5.1.1",
                        "<" + r.address() + ">: user unknown in local recipient table", "local"));
                continue;
            }
            Delivery one = new Delivery(delivery.id(), delivery.envelope(), List.of(r), delivery.content());
            DeliveryStatus worst = null;
            for (String box : boxes) {
                DeliveryStatus s = mailboxes.deliver(one, new Route.Local(box)).getFirst();
                if (worst == null || rank(s) > rank(worst)) worst = s;
            }
            out.add(worst);
        }
        return out;
    }

    /** Temporary beats permanent beats delivered: a temporary failure must be retried. */
    private static int rank(DeliveryStatus s) {
        return s.outcome() == Outcome.TEMPORARY_FAILURE ? 2 : s.outcome() == Outcome.PERMANENT_FAILURE ? 1 : 0;
    }
}
