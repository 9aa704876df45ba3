package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Target;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.QueueId;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Hands one message to a Petrel listener over SMTP with the delivery side's client (the
 * connection, EHLO and the transaction with its parameters), for {@code petrel sendmail}: local
 * programs' mail then takes the same path as any other, policy and DKIM signing included.
 * Plain SMTP: the listener is on this machine.
 */
public final class Submission {
    private Submission() {}

    /** One status per recipient of {@code envelope}, in order: what the listener answered, or why it could not. */
    public static List<DeliveryStatus> submit(PetrelConfig config, InetSocketAddress listener, Envelope envelope, byte[] content) {
        ClientSettings settings = ClientSettings.of(config.delivery(), config.queue());
        SessionOpener opener = new SessionOpener(settings, ClientTls.acceptAny(), ClientTls.jdkDefault());
        Target target = new Target("localhost", listener.getAddress(), listener.getPort());
        Delivery delivery = new Delivery(QueueId.generate(System.currentTimeMillis()), envelope, envelope.recipients(), content);
        SmtpConnection c;
        try {
            c = opener.open(target, OutboundTls.NONE, null, false);
        } catch (SessionFailure f) {
            return envelope.recipients().stream()
                    .map(r -> Statuses.temporary(r.address(), f.dsn(), f.text(), target.toString(), f.remoteReply())).toList();
        }
        try {
            return MailTransaction.run(c, delivery, settings, false).statuses();
        } finally {
            c.quit();
        }
    }
}
