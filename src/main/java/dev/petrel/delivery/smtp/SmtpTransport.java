package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Resolution;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Target;
import dev.petrel.delivery.TargetResolver;
import dev.petrel.delivery.Transport;
import dev.petrel.delivery.smtp.SessionOpener.Credentials;
import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.function.Function;

/**
 * SMTP delivery to a domain's MX hosts ({@link Route.Mx}) or to a relay ({@link Route.Relay}).
 *
 * <p>Order of events for one {@link #deliver}: take an idle connection for the route from the
 * pool, if any, and send the message over it; if that connection turns out dead before MAIL FROM
 * is answered, forget it and go on as if there had been none. Otherwise resolve the targets and
 * try them in order: a target that cannot be connected to, greets with an error, fails EHLO, TLS
 * or AUTH is skipped for the next one; the first ready connection carries the transaction, whose
 * per-recipient results are final for this attempt (MAIL, RCPT and DATA refusals are answers,
 * not reasons to try another host). When every target failed, all recipients get a temporary
 * failure with the last target's error. Afterwards a connection in a clean state goes back to the
 * pool.
 *
 * <p>Thread-safe; {@link #close} sends QUIT on pooled connections.
 */
public final class SmtpTransport implements Transport, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpTransport.class);

    private final TargetResolver resolver;
    private final OutboundTls defaultTls;
    private final ClientSettings settings;
    private final SessionOpener opener;
    private final ConnectionPool pool;

    /** VERIFY checks certificates against the JDK's trust store (cacerts). */
    public SmtpTransport(PetrelConfig.Delivery delivery, PetrelConfig.Queue queue, TargetResolver resolver) {
        this(delivery, queue, resolver, ClientTls.jdkDefault());
    }

    /**
     * @param verifyContext the trust used for {@link OutboundTls#VERIFY} (tests pass one that
     *                      trusts their own certificate)
     */
    public SmtpTransport(PetrelConfig.Delivery delivery, PetrelConfig.Queue queue, TargetResolver resolver,
                         SSLContext verifyContext) {
        this.resolver = resolver;
        this.defaultTls = delivery.tls() == null ? OutboundTls.OPPORTUNISTIC : delivery.tls();
        this.settings = ClientSettings.of(delivery, queue);
        this.opener = new SessionOpener(settings, ClientTls.acceptAny(), verifyContext);
        this.pool = new ConnectionPool(settings.connectionIdle(), settings.maxMessagesPerConnection());
    }

    /** @throws IllegalArgumentException for a route that is not {@link Route.Mx} or {@link Route.Relay} */
    @Override
    public List<DeliveryStatus> deliver(Delivery delivery, Route route) {
        Destination dest = Destination.of(route, defaultTls);
        SmtpConnection pooled = pool.take(route);
        if (pooled != null) {
            MailTransaction.Result r = MailTransaction.run(pooled, delivery, settings, false);
            if (!r.staleAtMail()) return finish(route, pooled, r);
            log.debug("{}: reused connection to {} was dead; opening a new one", delivery.id(), pooled);
            pooled.close();
        }
        return switch (resolver.resolve(dest.host, dest.port, dest.mx)) {
            case Resolution.Permanent p -> all(delivery, r -> DeliveryStatus.permanent(r, p.dsn(), p.reason(), "none"));
            case Resolution.Temporary t -> all(delivery, r -> DeliveryStatus.temporary(r, t.dsn(), t.reason(), "none"));
            case Resolution.Targets t -> tryTargets(delivery, route, dest, t.targets());
        };
    }

    private List<DeliveryStatus> tryTargets(Delivery delivery, Route route, Destination dest, List<Target> targets) {
        SessionFailure last = null;
        Target lastTarget = null;
        for (Target target : targets) {
            SmtpConnection c;
            try {
                c = opener.open(target, dest.tls, dest.credentials, false);
            } catch (SessionFailure f) {
                log.debug("{}: {}: {}", delivery.id(), target, f.text());
                last = f;
                lastTarget = target;
                continue;
            }
            return finish(route, c, MailTransaction.run(c, delivery, settings, false));
        }
        SessionFailure failure = last;
        String relay = lastTarget.toString();
        return all(delivery, r -> Statuses.temporary(r, failure.dsn(), failure.text(), relay, failure.remoteReply()));
    }

    private List<DeliveryStatus> finish(Route route, SmtpConnection c, MailTransaction.Result r) {
        if (r.reusable()) pool.release(route, c);
        else c.close();
        return r.statuses();
    }

    private static List<DeliveryStatus> all(Delivery d, Function<MailAddress, DeliveryStatus> f) {
        return d.recipients().stream().map(Recipient::address).map(f).toList();
    }

    /** Closes idle pooled connections (with QUIT). Deliveries still running finish normally. */
    @Override
    public void close() {
        pool.close();
    }

    /** Where a route leads and how to talk there. */
    private record Destination(String host, int port, boolean mx, OutboundTls tls, Credentials credentials) {
        static Destination of(Route route, OutboundTls defaultTls) {
            return switch (route) {
                case Route.Mx m -> new Destination(m.domain(), 25, true, orDefault(m.tls(), defaultTls), null);
                case Route.Relay r -> new Destination(r.host(), r.port(), r.mxLookup(), orDefault(r.tls(), defaultTls),
                        r.username() == null ? null : new Credentials(r.username(), r.password() == null ? "" : r.password()));
                case Route.Local l -> throw new IllegalArgumentException("SMTP cannot deliver " + route + "; use LmtpTransport");
                case Route.Refuse f -> throw new IllegalArgumentException("a refused route is not delivered: " + route);
                case Route.Capture c -> throw new IllegalArgumentException("SMTP cannot deliver " + route + "; use CaptureTransport");
            };
        }

        private static OutboundTls orDefault(OutboundTls tls, OutboundTls fallback) {
            return tls == null ? fallback : tls;
        }

        @Override
        public String toString() {
            return host + ":" + port + (credentials == null ? "" : " as " + credentials.username());
        }
    }
}
