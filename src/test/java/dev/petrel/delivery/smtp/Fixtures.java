package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.OutboundTls;
import dev.petrel.delivery.Delivery;
import dev.petrel.delivery.Resolution;
import dev.petrel.delivery.Target;
import dev.petrel.delivery.TargetResolver;
import dev.petrel.message.Envelope;
import dev.petrel.message.IpLiteral;
import dev.petrel.message.MailAddress;
import dev.petrel.message.QueueId;
import dev.petrel.message.Recipient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Configs, deliveries and resolvers for the SMTP client tests. */
final class Fixtures {
    static final InetAddress LOOPBACK = IpLiteral.parse("127.0.0.1");

    private Fixtures() {}

    static PetrelConfig.Delivery deliveryConfig(Duration commandTimeout) {
        return new PetrelConfig.Delivery(true, null, "client.petrel.test", Duration.ofSeconds(5), commandTimeout,
                Duration.ofSeconds(20), OutboundTls.OPPORTUNISTIC, List.of(), null, true);
    }

    static PetrelConfig.Delivery deliveryConfig() {
        return deliveryConfig(Duration.ofSeconds(20));
    }

    /** Reuse off unless a test asks for it, so each test sees fresh connections. */
    static PetrelConfig.Queue queueConfig(Duration connectionIdle, int maxMessagesPerConnection) {
        return new PetrelConfig.Queue(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), Duration.ZERO,
                100, 20, connectionIdle, maxMessagesPerConnection);
    }

    static PetrelConfig.Queue noReuse() {
        return queueConfig(Duration.ZERO, 100);
    }

    static SmtpTransport transport(TargetResolver resolver) {
        return new SmtpTransport(deliveryConfig(), noReuse(), resolver);
    }

    static MailAddress addr(String address) {
        int at = address.lastIndexOf('@');
        return new MailAddress(address.substring(0, at), address.substring(at + 1));
    }

    static Envelope envelope(String sender, String... recipients) {
        return new Envelope(sender == null ? null : addr(sender),
                Arrays.stream(recipients).map(r -> Recipient.of(addr(r))).toList(),
                Envelope.BodyType.SEVEN_BIT, false, null, null, null, LOOPBACK, "client.test", "smtp", null, Instant.now());
    }

    static Delivery delivery(Envelope env, String content) {
        return new Delivery(QueueId.generate(System.currentTimeMillis()), env, env.recipients(),
                content.getBytes(StandardCharsets.UTF_8));
    }

    static Delivery delivery(String sender, String content, String... recipients) {
        return delivery(envelope(sender, recipients), content);
    }

    static Target target(String host, int port) {
        return new Target(host, LOOPBACK, port);
    }

    /** Always answers with these targets, whatever is asked. */
    static TargetResolver resolverTo(Target... targets) {
        List<Target> list = List.of(targets);
        return (host, port, mx) -> new Resolution.Targets(list);
    }

    /** A port nobody listens on (bound and released; a race with another process is unlikely). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }
}
