package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Resolution;
import dev.petrel.delivery.Route;
import dev.petrel.delivery.Target;
import dev.petrel.delivery.TargetResolver;
import dev.petrel.delivery.Transport;
import dev.petrel.delivery.mtasts.MtaSts;
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
 * <p>MTA-STS (only for {@link Route.Mx}, and only with an {@link MtaSts}): the domain's policy is
 * looked up once DNS has found targets, or before an idle connection is reused (a null MX or
 * NXDOMAIN needs no policy). Under {@code enforce} only MX hosts the policy names are
 * tried, each with verified TLS whatever {@code tls} says, and pooled connections are kept apart
 * from unverified ones; when none works every recipient is deferred with the policy named in the
 * reason (see {@link StsEnforcement}). Under {@code testing} a policy-named host is first tried
 * with verified TLS and, if that fails, again as without MTA-STS, logging what enforce would
 * refuse. Statuses say which mode applied ({@link DeliveryStatus#mtaSts()}).
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
    private final MtaSts mtaSts;

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
        this(delivery, queue, resolver, verifyContext, null);
    }

    /**
     * @param verifyContext the trust used for {@link OutboundTls#VERIFY} and for MTA-STS
     * @param mtaSts        MTA-STS policies for MX delivery, or null when {@code [delivery] mta_sts = false}
     */
    public SmtpTransport(PetrelConfig.Delivery delivery, PetrelConfig.Queue queue, TargetResolver resolver,
                         SSLContext verifyContext, MtaSts mtaSts) {
        this.mtaSts = mtaSts;
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
        StsLookup policy = new StsLookup(route);
        List<DeliveryStatus> statuses = deliver(delivery, route, dest, policy);
        StsEnforcement applied = policy.applied();
        return applied == null ? statuses : statuses.stream().map(s -> s.withMtaSts(applied.mode())).toList();
    }

    private List<DeliveryStatus> deliver(Delivery delivery, Route route, Destination dest, StsLookup policy) {
        // The policy is looked up before a reuse (under enforce only connections made under enforce
        // are reused), else only once DNS has found targets: a null MX or NXDOMAIN needs no policy.
        if (pool.hasIdle(route) || pool.hasIdle(new EnforcedKey(route.key()))) {
            Object poolKey = poolKey(route, policy.get());
            SmtpConnection pooled = pool.take(poolKey);
            if (pooled != null) {
                MailTransaction.Result r = MailTransaction.run(pooled, delivery, settings, false);
                if (!r.staleAtMail()) return finish(poolKey, pooled, r);
                log.debug("{}: reused connection to {} was dead; opening a new one", delivery.id(), pooled);
                pooled.close();
            }
        }
        return switch (resolver.resolve(dest.host, dest.port, dest.mx)) {
            case Resolution.Permanent p -> all(delivery, r -> DeliveryStatus.permanent(r, p.dsn(), p.reason(), "none"));
            case Resolution.Temporary t -> all(delivery, r -> DeliveryStatus.temporary(r, t.dsn(), t.reason(), "none"));
            case Resolution.Targets t -> {
                StsEnforcement sts = policy.get();
                yield tryTargets(delivery, poolKey(route, sts), dest, t.targets(), sts);
            }
        };
    }

    /** Under enforce, connections are pooled apart: only those made under enforce (verified TLS to an allowed host) are reused. */
    private static Object poolKey(Route route, StsEnforcement sts) {
        return sts != null && sts.enforcing() ? new EnforcedKey(route.key()) : route;
    }

    private List<DeliveryStatus> tryTargets(Delivery delivery, Object poolKey, Destination dest, List<Target> targets,
                                            StsEnforcement sts) {
        List<Target> candidates = sts == null ? targets : sts.candidates(delivery.id(), targets);
        if (candidates.isEmpty()) {
            String why = sts.noneAllowed(targets);
            return all(delivery, r -> Statuses.temporary(r, StsEnforcement.DSN, why, "none", false));
        }
        SessionFailure last = null;
        Target lastTarget = null;
        for (Target target : candidates) {
            SmtpConnection c;
            try {
                c = open(delivery, target, dest, sts);
            } catch (SessionFailure f) {
                log.debug("{}: {}: {}", delivery.id(), target, f.text());
                last = f;
                lastTarget = target;
                continue;
            }
            return finish(poolKey, c, MailTransaction.run(c, delivery, settings, false));
        }
        SessionFailure failure = last;
        String relay = lastTarget.toString();
        return all(delivery, r -> Statuses.temporary(r, failure.dsn(), failure.text(), relay, failure.remoteReply()));
    }

    /** A connection to {@code target} ready for MAIL FROM, with the TLS that {@code dest} and the MTA-STS policy (if any) ask for. */
    private SmtpConnection open(Delivery delivery, Target target, Destination dest, StsEnforcement sts) throws SessionFailure {
        if (sts == null || !sts.allows(target)) return opener.open(target, dest.tls, dest.credentials, false);
        try {
            return opener.open(target, OutboundTls.VERIFY, dest.credentials, false);
        } catch (SessionFailure f) {
            boolean tls = f.kind() == SessionFailure.Kind.TLS_UNAVAILABLE || f.kind() == SessionFailure.Kind.TLS_HANDSHAKE;
            if (!tls) throw f;
            if (sts.enforcing()) throw new SessionFailure(f.kind(), f.dsn(), sts.explain(f.text()), f.remoteReply());
            log.warn("{}: mta-sts=testing: {}: enforce would refuse this MX host: {}; trying it as without MTA-STS",
                    delivery.id(), target, f.text());
            return opener.open(target, dest.tls, dest.credentials, false);
        }
    }

    private List<DeliveryStatus> finish(Object poolKey, SmtpConnection c, MailTransaction.Result r) {
        if (r.reusable()) pool.release(poolKey, c);
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

    /** The MTA-STS policy of one delivery's route, looked up at most once and only when asked. */
    private final class StsLookup {
        private final Route route;
        private boolean looked;
        private StsEnforcement value;

        StsLookup(Route route) {
            this.route = route;
        }

        /** The policy that applies, or null (not an MX route, MTA-STS off, no policy). */
        StsEnforcement get() {
            if (!looked) {
                looked = true;
                if (route instanceof Route.Mx mx && mtaSts != null) {
                    value = mtaSts.policyFor(mx.domain()).map(p -> new StsEnforcement(mx.domain(), p)).orElse(null);
                }
            }
            return value;
        }

        /** The policy if it was looked up and applied. */
        StsEnforcement applied() {
            return value;
        }
    }

    /** The pool key of connections made under an enforce policy, apart from the route's others. */
    private record EnforcedKey(String routeKey) {}

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
