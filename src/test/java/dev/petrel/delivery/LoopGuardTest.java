package dev.petrel.delivery;

import dev.petrel.message.IpLiteral;
import dev.petrel.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail must never be handed to our own listeners as if they were the next hop. */
class LoopGuardTest {
    @TempDir
    Path dir;

    @Test
    void targetsThatAreOurOwnListenersAreDroppedAndNoneLeftMeans546() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            int port = server.mxPort();
            Target self = new Target("mx.loop.test", IpLiteral.parse("127.0.0.1"), port);
            Target other = new Target("mx2.loop.test", IpLiteral.parse("127.0.0.2"), port);
            TargetResolver both = (h, p, mx) -> new Resolution.Targets(List.of(self, other));
            TargetResolver onlySelf = (h, p, mx) -> new Resolution.Targets(List.of(self));
            LoopGuard guard = new LoopGuard(both, server.server()::isOwnAddress);

            assertThat(guard.resolve("loop.test", 25, true)).isEqualTo(new Resolution.Targets(List.of(other)));
            assertThat(new LoopGuard(onlySelf, server.server()::isOwnAddress).resolve("loop.test", 25, true))
                    .isEqualTo(new Resolution.Permanent("5.4.6", "mail for loop.test loops back to myself"));
            assertThat(server.server().isOwnAddress(new InetSocketAddress(IpLiteral.parse("127.0.0.1"), port + 1))).isFalse();
        }
    }
}
