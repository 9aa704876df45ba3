package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;
import dev.petrel.message.IpNetwork;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * [rate_limits] for messages and recipients. A message is counted at MAIL FROM, a recipient at
 * each accepted RCPT: against the authenticated user when there is one, else against the client
 * IP. Per-IP limits do not apply to trusted networks (they are our own hosts, often a web app
 * relaying everything through one address); per-user limits always apply, since a stolen
 * password is exactly what they are there to contain. Over a limit: {@code 450 4.7.1} with the
 * number of seconds after which one more would be allowed. Thread-safe.
 */
public final class RatePolicy {
    private final RateLimiter<String> messagesPerUser;
    private final RateLimiter<String> recipientsPerUser;
    private final RateLimiter<InetAddress> messagesPerIp;
    private final RateLimiter<InetAddress> recipientsPerIp;
    private final List<IpNetwork> trustedNetworks;

    public RatePolicy(PetrelConfig.RateLimits limits, List<IpNetwork> trustedNetworks, Clock clock) {
        this.messagesPerUser = new RateLimiter<>(limits.messagesPerUser(), clock);
        this.recipientsPerUser = new RateLimiter<>(limits.recipientsPerUser(), clock);
        this.messagesPerIp = new RateLimiter<>(limits.messagesPerIp(), clock);
        this.recipientsPerIp = new RateLimiter<>(limits.recipientsPerIp(), clock);
        this.trustedNetworks = List.copyOf(trustedNetworks);
    }

    /** At MAIL FROM. */
    public Verdict checkMessage(InetAddress client, String authIdentity) {
        return check(client, authIdentity, messagesPerUser, messagesPerIp, "messages");
    }

    /** At each RCPT that every other check accepted. */
    public Verdict checkRecipient(InetAddress client, String authIdentity) {
        return check(client, authIdentity, recipientsPerUser, recipientsPerIp, "recipients");
    }

    private Verdict check(InetAddress client, String user, RateLimiter<String> perUser, RateLimiter<InetAddress> perIp,
                          String what) {
        if (user != null) {
            // User names ignore case here so that "Alice" and "alice" share one bucket.
            Duration wait = perUser.tryTake(user.toLowerCase(Locale.ROOT));
            return wait.isZero() ? Verdict.ACCEPT : reject(user, perUser.rate(), what, wait);
        }
        if (trustedNetworks.stream().anyMatch(n -> n.contains(client))) return Verdict.ACCEPT;
        Duration wait = perIp.tryTake(client);
        return wait.isZero() ? Verdict.ACCEPT : reject("your address", perIp.rate(), what, wait);
    }

    private static Verdict reject(String who, PetrelConfig.Rate rate, String what, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000); // round up: earlier would be refused again
        return new Verdict.Defer(450, "4.7.1", "Rate limit exceeded for " + who + ": " + rate.count() + " "
                + (rate.count() == 1 ? what.substring(0, what.length() - 1) : what) + " per " + describe(rate.window()) + "; try again in " + seconds + (seconds == 1 ? " second" : " seconds"),
                "rate_" + what);
    }

    /** "minute", "15 minutes", "90 seconds", "250 ms": the window in the reply text. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"day", "hour", "minute", "second"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                long n = ms / sizes[i];
                return n == 1 ? names[i] : n + " " + names[i] + "s";
            }
        }
        return ms + " ms";
    }
}
