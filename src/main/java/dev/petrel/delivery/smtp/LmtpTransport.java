package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Target;
import dev.petrel.delivery.Transport;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Recipient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * Local delivery over LMTP (RFC 2033), e.g. into Dovecot, for {@link Route.Local} when
 * {@code [local] lmtp} is set. Same client as SMTP with three differences: LHLO instead of EHLO
 * (no HELO fallback), one fixed server instead of MX hosts, and one reply per accepted recipient
 * after the final dot, so one mailbox can fail while another succeeds.
 *
 * <p>RCPT TO carries the original recipient address ({@code user@domain}), not
 * {@link Route.Local#mailbox()}: the LMTP server owns the user database and resolves addresses
 * itself (Dovecot accepts {@code user@domain} and, with {@code auth_username_format}, bare user
 * names). Consequently alias expansion for LMTP is the LMTP server's job. No STARTTLS and no AUTH:
 * an LMTP server is local or on a trusted network. Connections are reused like SMTP ones.
 * Thread-safe.
 */
public final class LmtpTransport implements Transport, AutoCloseable {
    private static final Object POOL_KEY = "lmtp";

    private final InetSocketAddress server;
    private final ClientSettings settings;
    private final SessionOpener opener;
    private final ConnectionPool pool;

    /** @throws IllegalArgumentException when {@code local.lmtp()} is not set */
    public LmtpTransport(PetrelConfig.Local local, PetrelConfig.Delivery delivery, PetrelConfig.Queue queue) {
        this.server = Objects.requireNonNull(local.lmtp(), "[local] lmtp is not set");
        this.settings = ClientSettings.of(delivery, queue);
        this.opener = new SessionOpener(settings, ClientTls.acceptAny(), ClientTls.acceptAny());
        this.pool = new ConnectionPool(settings.connectionIdle(), settings.maxMessagesPerConnection());
    }

    /** @throws IllegalArgumentException for a route that is not {@link Route.Local} */
    @Override
    public List<DeliveryStatus> deliver(Delivery delivery, Route route) {
        if (!(route instanceof Route.Local)) throw new IllegalArgumentException("LMTP delivers local routes only: " + route);
        SmtpConnection pooled = pool.take(POOL_KEY);
        if (pooled != null) {
            MailTransaction.Result r = MailTransaction.run(pooled, delivery, settings, true);
            if (!r.staleAtMail()) return finish(pooled, r);
            pooled.close();
        }
        Target target;
        try {
            InetAddress address = server.getAddress() != null ? server.getAddress()
                    : InetAddress.getByName(server.getHostString());
            target = new Target(server.getHostString(), address, server.getPort());
        } catch (UnknownHostException e) {
            String relay = server.getHostString() + "[]:" + server.getPort();
            return delivery.recipients().stream().map(Recipient::address)
                    .map(r -> DeliveryStatus.temporary(r, "4.4.3", "cannot resolve LMTP server " + relay, relay))
                    .toList();
        }
        try {
            SmtpConnection c = opener.open(target, OutboundTls.NONE, null, true);
            return finish(c, MailTransaction.run(c, delivery, settings, true));
        } catch (SessionFailure f) {
            return delivery.recipients().stream().map(Recipient::address)
                    .map(r -> Statuses.temporary(r, f.dsn(), f.text(), target.toString(), f.remoteReply()))
                    .toList();
        }
    }

    private List<DeliveryStatus> finish(SmtpConnection c, MailTransaction.Result r) {
        if (r.reusable()) pool.release(POOL_KEY, c);
        else c.close();
        return r.statuses();
    }

    /** Closes idle pooled connections (with QUIT). */
    @Override
    public void close() {
        pool.close();
    }
}
