package dev.petrel.policy;

import dev.petrel.config.PetrelConfig;
import dev.petrel.config.PetrelConfig.ListenerMode;
import dev.petrel.message.MailAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SenderPolicyTest {
    private final SenderPolicy policy = new SenderPolicy(new PetrelConfig.Senders(Map.of(
            "bob", List.of("bob@example.com", "@sales.example.com"),
            "app", List.of("*")), true, true), List.of("Example.org", "mx.example.org"));

    private static MailAddress a(String s) {
        int at = s.lastIndexOf('@');
        return new MailAddress(s.substring(0, at), s.substring(at + 1));
    }

    private Verdict mail(String user, String sender) {
        return policy.checkEnvelopeSender(user, sender == null ? null : a(sender), ListenerMode.SUBMISSION, false);
    }

    @Test
    void userWithoutEntryOwnsItsNameInEachLocalDomain() {
        assertThat(mail("alice", "alice@example.org")).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("alice", "Alice@MX.example.org")).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("alice", "\"alice\"@example.org")).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("alice", null)).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("alice", "alice@example.com")).isEqualTo(new Verdict.Reject(553, "5.7.1",
                "<alice@example.com>: Sender address rejected: not owned by user alice", "sender_login"));
        assertThat(mail("alice", "alice.x@example.org")).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void userNamedByAddressOwnsExactlyThatAddress() {
        assertThat(mail("carol@elsewhere.test", "Carol@Elsewhere.test")).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("carol@elsewhere.test", "carol@example.org")).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void patterns() {
        assertThat(mail("bob", "BOB@example.com")).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("bob", "anyone@Sales.Example.com")).isEqualTo(Verdict.ACCEPT);
        assertThat(mail("bob", "bob@example.org")).isInstanceOf(Verdict.Reject.class);
        assertThat(mail("bob", "bob@sub.sales.example.com")).isInstanceOf(Verdict.Reject.class);
        assertThat(mail("bob", "bob@example.com.evil.test")).isInstanceOf(Verdict.Reject.class);
        assertThat(mail("app", "x@[192.0.2.1]")).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void refusalNamesOnlyTheGivenAddressAndTheUser() {
        Verdict.Reject r = (Verdict.Reject) mail("alice", "bob@example.com");
        assertThat(r.text()).isEqualTo("<bob@example.com>: Sender address rejected: not owned by user alice")
                .doesNotContain("sales");
    }

    @Test
    void localSenderFromOutside() {
        Verdict refused = new Verdict.Reject(553, "5.7.1",
                "<ceo@example.org>: Sender address rejected: use an authenticated submission port to send as this domain", "local_sender");
        assertThat(policy.checkEnvelopeSender(null, a("ceo@example.org"), ListenerMode.MX, false)).isEqualTo(refused);
        assertThat(policy.checkEnvelopeSender(null, a("ceo@example.org"), ListenerMode.MX, true)).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkEnvelopeSender(null, a("x@other.test"), ListenerMode.MX, false)).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkEnvelopeSender(null, a("x@sub.example.org"), ListenerMode.MX, false)).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkEnvelopeSender(null, null, ListenerMode.MX, false)).isEqualTo(Verdict.ACCEPT);
        SenderPolicy off = new SenderPolicy(new PetrelConfig.Senders(Map.of(), true, false), List.of("example.org"));
        assertThat(off.checkEnvelopeSender(null, a("ceo@example.org"), ListenerMode.MX, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void fromHeader() {
        assertThat(policy.checkFromHeader("bob", List.of(a("bob@example.com"), a("x@sales.example.com")))).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkFromHeader("bob", List.of())).isEqualTo(Verdict.ACCEPT);
        assertThat(policy.checkFromHeader("bob", List.of(a("bob@example.com"), a("ceo@example.org")))).isEqualTo(
                new Verdict.Reject(553, "5.7.1", "From: header <ceo@example.org> is not owned by user bob", "from_header"));
    }
}
