package dev.petrel.server;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.BareLineEndings;
import dev.petrel.config.PetrelConfig.LongLines;

import java.time.Duration;
import java.util.function.Consumer;

/** Small edits of the {@link dev.petrel.testkit.TestServer} config for server tests. */
public final class TestConfigs {
    private TestConfigs() {}

    /** A mutable copy of {@link PetrelConfig.Smtp}, for changing one or two fields. */
    public static final class SmtpEdit {
        public long maxMessageSize;
        public int maxRecipients;
        public BareLineEndings bareLineEndings;
        public LongLines longLines;
        public int maxErrors;
        public Duration commandTimeout;
        public Duration dataTimeout;
        public Duration greetPause;

        SmtpEdit(PetrelConfig.Smtp s) {
            maxMessageSize = s.maxMessageSize();
            maxRecipients = s.maxRecipients();
            bareLineEndings = s.bareLineEndings();
            longLines = s.longLines();
            maxErrors = s.maxErrors();
            commandTimeout = s.commandTimeout();
            dataTimeout = s.dataTimeout();
            greetPause = s.greetPause();
        }

        PetrelConfig.Smtp build() {
            return new PetrelConfig.Smtp(maxMessageSize, maxRecipients, bareLineEndings, longLines, maxErrors,
                    commandTimeout, dataTimeout, greetPause);
        }
    }

    public static PetrelConfig smtp(PetrelConfig c, Consumer<SmtpEdit> edit) {
        SmtpEdit e = new SmtpEdit(c.smtp());
        edit.accept(e);
        return new PetrelConfig(c.source(), c.server(), e.build(), c.tls(), c.listeners(), c.relay(), c.auth(),
                c.queue(), c.delivery(), c.local(), c.admin(), PetrelConfig.Policy.DEFAULTS, c.mailAuth());
    }

    public static PetrelConfig connectionLimits(PetrelConfig c, int maxConnections, int maxPerIp) {
        PetrelConfig.Server s = c.server();
        return new PetrelConfig(c.source(), new PetrelConfig.Server(s.hostname(), s.dataDir(), maxConnections, maxPerIp),
                c.smtp(), c.tls(), c.listeners(), c.relay(), c.auth(),
                c.queue(), c.delivery(), c.local(), c.admin(), PetrelConfig.Policy.DEFAULTS, c.mailAuth());
    }

    public static PetrelConfig authLimits(PetrelConfig c, int maxFailuresPerIp, Duration failureDelay) {
        PetrelConfig.Auth a = c.auth();
        return new PetrelConfig(c.source(), c.server(), c.smtp(), c.tls(), c.listeners(), c.relay(),
                new PetrelConfig.Auth(a.usersFile(), maxFailuresPerIp, a.failureWindow(), failureDelay),
                c.queue(), c.delivery(), c.local(), c.admin(), PetrelConfig.Policy.DEFAULTS, c.mailAuth());
    }
}
