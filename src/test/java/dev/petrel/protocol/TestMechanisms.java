package dev.petrel.protocol;

import dev.petrel.protocol.sasl.SaslExchange;
import dev.petrel.protocol.sasl.SaslMechanism;
import dev.petrel.protocol.sasl.SaslStep;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A stand-in PLAIN for transcripts: user "alice", password "secret". */
final class TestMechanisms {
    private TestMechanisms() {}

    static List<SaslMechanism> all() {
        return List.of(new SaslMechanism() {
            @Override public String name() { return "PLAIN"; }
            @Override public SaslExchange start() {
                return data -> {
                    if (data == null) return new SaslStep.Challenge(new byte[0]);
                    String s = new String(data, StandardCharsets.UTF_8);
                    if (s.equals("\0alice\0secret")) return new SaslStep.Success("alice");
                    if (s.chars().filter(c -> c == 0).count() != 2) return new SaslStep.Failure(SaslStep.Reason.MALFORMED, null);
                    return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, s.split("\0", -1)[1]);
                };
            }
        });
    }
}
