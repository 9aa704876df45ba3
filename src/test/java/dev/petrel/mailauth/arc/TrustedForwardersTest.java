package dev.petrel.mailauth.arc;

import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.TrustedForwarders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8617 7.2 as local policy: when a trusted sealer's recorded dmarc=pass may override a DMARC failure. */
class TrustedForwardersTest {
    private static final TrustedForwarders TRUST_LIST = new TrustedForwarders(List.of("Lists.Example.org"));

    @BeforeAll
    static void keys() {
        ArcTest.keys();
    }

    private static MailMessage throughList(String listResults) {
        return ArcTest.hop(ArcTest.message(), ArcTest.listSealer(), listResults);
    }

    @Test
    void aValidChainFromATrustedSealerThatSawDmarcPassVouches() {
        MailMessage m = throughList("lists.example.org; dkim=pass header.d=example.com; dmarc=pass header.from=example.com");
        assertThat(TRUST_LIST.vouchFor(ArcTest.verify(m), m))
                .contains("trusted ARC sealer lists.example.org recorded dmarc=pass at i=1");
        assertThat(ArcHops.of(m)).containsExactly(new ArcHop(1, "lists.example.org", "pass"));
    }

    @Test
    void theTrustedHopMayBeEarlierInTheChain() {
        MailMessage once = throughList("lists.example.org; dmarc=pass header.from=example.com");
        MailMessage twice = ArcTest.hop(once, ArcTest.relaySealer(), "relay.example.net; arc=pass; dmarc=fail header.from=example.com");
        assertThat(TRUST_LIST.vouchFor(ArcTest.verify(twice), twice)).contains("trusted ARC sealer lists.example.org recorded dmarc=pass at i=1");
        assertThat(new TrustedForwarders(List.of("relay.example.net")).vouchFor(ArcTest.verify(twice), twice))
                .as("the relay recorded dmarc=fail").isEmpty();
    }

    @Test
    void anUntrustedSealerOrNoTrustListVouchesForNothing() {
        MailMessage m = throughList("lists.example.org; dmarc=pass header.from=example.com");
        assertThat(new TrustedForwarders(List.of("other.example.net")).vouchFor(ArcTest.verify(m), m)).isEmpty();
        assertThat(TrustedForwarders.NONE.vouchFor(ArcTest.verify(m), m)).isEmpty();
        assertThat(new TrustedForwarders(List.of("example.org")).vouchFor(ArcTest.verify(m), m))
                .as("only the sealer's exact domain, not its parent").isEmpty();
    }

    @Test
    void aTrustedSealerThatDidNotSeeDmarcPassVouchesForNothing() {
        MailMessage failed = throughList("lists.example.org; dmarc=fail header.from=example.com");
        assertThat(TRUST_LIST.vouchFor(ArcTest.verify(failed), failed)).isEmpty();
        MailMessage silent = throughList("lists.example.org; dkim=pass header.d=example.com");
        assertThat(TRUST_LIST.vouchFor(ArcTest.verify(silent), silent)).isEmpty();
    }

    @Test
    void aBrokenChainVouchesForNothingEvenFromATrustedSealer() {
        MailMessage m = throughList("lists.example.org; dmarc=pass header.from=example.com");
        MailMessage changed = ArcTest.edited(m, "noon", "one");
        assertThat(ArcTest.verify(changed).kind()).isEqualTo(ArcResult.Kind.FAIL);
        assertThat(TRUST_LIST.vouchFor(ArcTest.verify(changed), changed)).isEmpty();
    }
}
