package dev.petrel.delivery.smtp;

import dev.petrel.config.PetrelConfig;

import java.time.Duration;

/**
 * The client-side knobs of one transport, taken from {@code [delivery]} and {@code [queue]}.
 *
 * @param heloName        the name sent in EHLO/LHLO/HELO
 * @param connectTimeout  TCP connect timeout per address
 * @param commandTimeout  the wait for the greeting and each command's reply, and the limit on any one write
 *                        (RFC 5321 4.5.3.2 allows 2 to 5 minutes; one knob is enough)
 * @param dataTimeout     the wait for the reply after the final dot (RFC 5321: 10 minutes)
 * @param connectionIdle  how long an idle connection is kept for reuse; zero disables reuse
 * @param maxMessagesPerConnection messages per connection before it is closed
 */
record ClientSettings(String heloName, Duration connectTimeout, Duration commandTimeout, Duration dataTimeout,
                      Duration connectionIdle, int maxMessagesPerConnection) {

    static ClientSettings of(PetrelConfig.Delivery delivery, PetrelConfig.Queue queue) {
        String helo = delivery.heloName() == null || delivery.heloName().isBlank() ? "localhost" : delivery.heloName();
        return new ClientSettings(helo, delivery.connectTimeout(), delivery.commandTimeout(), delivery.dataTimeout(),
                queue.connectionIdle(), Math.max(1, queue.maxMessagesPerConnection()));
    }
}
