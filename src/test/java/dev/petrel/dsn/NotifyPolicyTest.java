package dev.petrel.dsn;

import dev.petrel.message.DeliveryStatus;
import dev.petrel.message.Envelope;
import dev.petrel.message.MailAddress;
import dev.petrel.message.Recipient;
import dev.petrel.message.Recipient.Notify;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.petrel.dsn.DsnFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;

class NotifyPolicyTest {
    private static final MailAddress SENDER = new MailAddress("alice", "example.org");

    private static DsnEntry entry(Recipient r, Action action) {
        return new DsnEntry(r, DeliveryStatus.permanent(r.address(), "5.1.1", "no such user", "none"), action);
    }

    private static Recipient rcpt(String local, Notify... notify) {
        return new Recipient(new MailAddress(local, "b.example"), Set.of(notify), null);
    }

    @Test
    void withoutNotifyFailuresAndDelaysAreReportedButNotSuccess() {
        Recipient r = rcpt("bob");
        assertThat(NotifyPolicy.wants(r, Action.FAILED)).isTrue();
        assertThat(NotifyPolicy.wants(r, Action.DELAYED)).isTrue();
        assertThat(NotifyPolicy.wants(r, Action.DELIVERED)).isFalse();
        assertThat(NotifyPolicy.wants(r, Action.RELAYED)).isFalse();
    }

    @Test
    void neverMeansNothing() {
        Recipient r = rcpt("bob", Notify.NEVER);
        for (Action a : Action.values()) assertThat(NotifyPolicy.wants(r, a)).as(a.name()).isFalse();
    }

    @Test
    void explicitSubsetsAreExact() {
        assertThat(NotifyPolicy.wants(rcpt("s", Notify.SUCCESS), Action.FAILED)).isFalse();
        assertThat(NotifyPolicy.wants(rcpt("s", Notify.SUCCESS), Action.DELIVERED)).isTrue();
        assertThat(NotifyPolicy.wants(rcpt("s", Notify.SUCCESS), Action.RELAYED)).isTrue();
        assertThat(NotifyPolicy.wants(rcpt("f", Notify.FAILURE), Action.DELAYED)).isFalse();
        assertThat(NotifyPolicy.wants(rcpt("f", Notify.FAILURE), Action.FAILED)).isTrue();
        assertThat(NotifyPolicy.wants(rcpt("d", Notify.DELAY), Action.DELAYED)).isTrue();
        assertThat(NotifyPolicy.wants(rcpt("d", Notify.DELAY), Action.FAILED)).isFalse();
    }

    @Test
    void selectKeepsOrderAndDropsUnwanted() {
        Recipient a = rcpt("a");
        Recipient never = rcpt("never", Notify.NEVER);
        Recipient c = rcpt("c", Notify.FAILURE, Notify.SUCCESS);
        Envelope env = envelope(SENDER, List.of(a, never, c), null, null);
        List<DsnEntry> all = List.of(entry(a, Action.FAILED), entry(never, Action.FAILED), entry(c, Action.FAILED));
        assertThat(NotifyPolicy.select(env, all)).extracting(e -> e.recipient().address().localPart())
                .containsExactly("a", "c");
    }

    @Test
    void nullSenderGetsNoNoticeWhateverWasAsked() {
        Recipient r = rcpt("bob", Notify.FAILURE, Notify.DELAY, Notify.SUCCESS);
        Envelope env = envelope(null, List.of(r), null, null);
        assertThat(NotifyPolicy.select(env, List.of(entry(r, Action.FAILED)))).isEmpty();
    }
}
