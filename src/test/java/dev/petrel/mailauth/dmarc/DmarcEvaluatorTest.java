package dev.petrel.mailauth.dmarc;

import dev.petrel.dns.MemoryResolver;
import dev.petrel.mailauth.MailMessage;
import dev.petrel.mailauth.dkim.DkimResult;
import dev.petrel.mailauth.spf.SpfResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class DmarcEvaluatorTest {
    /** A sampler for tests where pct is 0 or 100: drawing at all would be a bug. */
    private static final IntSupplier NO_DRAW = () -> {
        throw new AssertionError("pct sampling should not draw here");
    };

    private final MemoryResolver dns = new MemoryResolver();

    private static MailMessage message(String fromDomain) {
        return MailMessage.parse(("From: Alice <alice@" + fromDomain + ">\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static SpfResult spf(SpfResult.Kind kind, String domain) {
        return new SpfResult(kind, "mailfrom", domain, null, null);
    }

    private static DkimResult dkim(DkimResult.Kind kind, String domain) {
        return new DkimResult(kind, domain, "sel", "@" + domain, "rsa-sha256", "abcdefgh",
                kind == DkimResult.Kind.PASS ? null : "body hash did not verify");
    }

    private DmarcResult evaluate(String from, SpfResult spf, List<DkimResult> dkim) {
        return evaluate(from, spf, dkim, NO_DRAW);
    }

    private DmarcResult evaluate(String from, SpfResult spf, List<DkimResult> dkim, IntSupplier sampler) {
        return new DmarcEvaluator(dns, sampler).evaluate(message(from), spf, spf == null ? null : spf.domain(), dkim);
    }

    private static DmarcResult.AppliedPolicy policy(DmarcResult result) {
        return switch (result) {
            case DmarcResult.Pass pass -> pass.policy();
            case DmarcResult.Fail fail -> fail.policy();
            default -> throw new AssertionError("no policy in " + result);
        };
    }

    private static Alignment alignment(DmarcResult result) {
        return switch (result) {
            case DmarcResult.Pass pass -> pass.alignment();
            case DmarcResult.Fail fail -> fail.alignment();
            default -> throw new AssertionError("no alignment in " + result);
        };
    }

    // --- alignment ---------------------------------------------------------------------------

    @Test
    void spfRelaxedAlignsAMailFromSubdomain() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcResult result = evaluate("example.com", spf(SpfResult.Kind.PASS, "Bounces.Example.com"), List.of());
        assertThat(result).isInstanceOf(DmarcResult.Pass.class);
        assertThat(alignment(result)).isEqualTo(new Alignment("bounces.example.com", List.of()));
        assertThat(policy(result).disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void identifiersAreComparedInOneSpelling() {
        dns.txt("_dmarc.xn--bcher-kva.example", "v=DMARC1; p=reject; adkim=s; aspf=s");
        DmarcResult result = new DmarcEvaluator(dns, NO_DRAW).evaluate(message("bücher.example"),
                spf(SpfResult.Kind.PASS, "BÜCHER.example."), "Bounce+x@BÜCHER.example.",
                List.of(dkim(DkimResult.Kind.PASS, "XN--BCHER-KVA.EXAMPLE.")));
        assertThat(alignment(result)).isEqualTo(new Alignment("xn--bcher-kva.example", List.of("xn--bcher-kva.example")));
    }

    @Test
    void spfStrictNeedsTheSameDomain() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s");
        assertThat(evaluate("example.com", spf(SpfResult.Kind.PASS, "bounces.example.com"), List.of()))
                .isInstanceOf(DmarcResult.Fail.class);
        assertThat(alignment(evaluate("example.com", spf(SpfResult.Kind.PASS, "example.com"), List.of())))
                .isEqualTo(new Alignment("example.com", List.of()));
    }

    @Test
    void spfMustPass() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        for (SpfResult.Kind kind : List.of(SpfResult.Kind.SOFTFAIL, SpfResult.Kind.NEUTRAL, SpfResult.Kind.FAIL, SpfResult.Kind.TEMPERROR)) {
            DmarcResult result = evaluate("example.com", spf(kind, "example.com"), List.of());
            assertThat(result).as(kind.keyword()).isInstanceOf(DmarcResult.Fail.class);
            assertThat(policy(result).disposition()).isEqualTo(DmarcPolicy.REJECT);
        }
    }

    @Test
    void spfPassForAnUnrelatedDomainDoesNotAlign() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        DmarcResult result = evaluate("example.com", spf(SpfResult.Kind.PASS, "example.net"), List.of());
        assertThat(result).isInstanceOf(DmarcResult.Fail.class);
        assertThat(alignment(result)).isEqualTo(new Alignment(null, List.of()));
        assertThat(policy(result).disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    }

    @Test
    void dkimRelaxedAlignsParentAndSubdomainBothWays() {
        dns.txt("_dmarc.news.example.com", "v=DMARC1; p=reject");
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        // d= is the parent of the From domain
        assertThat(alignment(evaluate("news.example.com", null, List.of(dkim(DkimResult.Kind.PASS, "example.com")))))
                .isEqualTo(new Alignment(null, List.of("example.com")));
        // d= is a subdomain of the From domain
        assertThat(alignment(evaluate("example.com", null, List.of(dkim(DkimResult.Kind.PASS, "mail.example.com")))))
                .isEqualTo(new Alignment(null, List.of("mail.example.com")));
    }

    @Test
    void dkimStrictNeedsTheSameDomain() {
        dns.txt("_dmarc.news.example.com", "v=DMARC1; p=reject; adkim=s");
        assertThat(evaluate("news.example.com", null, List.of(dkim(DkimResult.Kind.PASS, "example.com"))))
                .isInstanceOf(DmarcResult.Fail.class);
        assertThat(evaluate("news.example.com", null, List.of(dkim(DkimResult.Kind.PASS, "NEWS.example.com"))))
                .isInstanceOf(DmarcResult.Pass.class);
    }

    @Test
    void onlyPassingSignaturesCount() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcResult result = evaluate("example.com", null, List.of(
                dkim(DkimResult.Kind.FAIL, "example.com"), dkim(DkimResult.Kind.PASS, "esp.example")));
        assertThat(result).isInstanceOf(DmarcResult.Fail.class);

        DmarcResult two = evaluate("example.com", null, List.of(
                dkim(DkimResult.Kind.PASS, "esp.example"), dkim(DkimResult.Kind.PASS, "example.com"),
                dkim(DkimResult.Kind.PASS, "s.example.com")));
        assertThat(alignment(two)).isEqualTo(new Alignment(null, List.of("example.com", "s.example.com")));
    }

    @Test
    void spfAndDkimBothAligned() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcResult result = evaluate("example.com", spf(SpfResult.Kind.PASS, "example.com"),
                List.of(dkim(DkimResult.Kind.PASS, "example.com")));
        assertThat(alignment(result)).isEqualTo(new Alignment("example.com", List.of("example.com")));
    }

    @Test
    void relaxedAlignmentStopsAtPrivateSuffixes() {
        dns.txt("_dmarc.alice.github.io", "v=DMARC1; p=reject");
        assertThat(evaluate("alice.github.io", null, List.of(dkim(DkimResult.Kind.PASS, "mallory.github.io"))))
                .isInstanceOf(DmarcResult.Fail.class);
        assertThat(evaluate("alice.github.io", null, List.of(dkim(DkimResult.Kind.PASS, "github.io"))))
                .isInstanceOf(DmarcResult.Fail.class);
        assertThat(evaluate("alice.github.io", null, List.of(dkim(DkimResult.Kind.PASS, "www.alice.github.io"))))
                .isInstanceOf(DmarcResult.Pass.class);
    }

    @Test
    void relaxedAlignmentUnderATwoLabelSuffix() {
        dns.txt("_dmarc.example.co.uk", "v=DMARC1; p=reject");
        assertThat(evaluate("mail.example.co.uk", spf(SpfResult.Kind.PASS, "example.co.uk"), List.of()))
                .isInstanceOf(DmarcResult.Pass.class);
        assertThat(evaluate("mail.example.co.uk", spf(SpfResult.Kind.PASS, "other.co.uk"), List.of()))
                .isInstanceOf(DmarcResult.Fail.class);
        assertThat(evaluate("mail.example.co.uk", spf(SpfResult.Kind.PASS, "co.uk"), List.of()))
                .isInstanceOf(DmarcResult.Fail.class);
    }

    // --- policy discovery and choice ---------------------------------------------------------

    @Test
    void subdomainUsesSpOfTheOrganizationalDomain() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
        DmarcResult result = evaluate("mail.example.com", null, List.of());
        assertThat(result).isInstanceOf(DmarcResult.Fail.class);
        DmarcResult.AppliedPolicy policy = policy(result);
        assertThat(policy.policyDomain()).isEqualTo("example.com");
        assertThat(policy.subdomain()).isTrue();
        assertThat(policy.requested()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(policy.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(dns.queries()).containsExactly("TXT _dmarc.mail.example.com", "TXT _dmarc.example.com");
    }

    @Test
    void subdomainWithoutSpUsesP() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcResult.AppliedPolicy policy = policy(evaluate("a.b.example.com", null, List.of()));
        assertThat(policy.requested()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(policy.subdomain()).isTrue();
    }

    @Test
    void organizationalDomainItselfUsesP() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none");
        DmarcResult.AppliedPolicy policy = policy(evaluate("example.com", null, List.of()));
        assertThat(policy.requested()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(policy.subdomain()).isFalse();
        assertThat(dns.queries()).containsExactly("TXT _dmarc.example.com");
    }

    @Test
    void aRecordAtTheFromDomainWinsAndUsesItsP() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=reject");
        dns.txt("_dmarc.mail.example.com", "v=DMARC1; p=none; sp=quarantine");
        DmarcResult.AppliedPolicy policy = policy(evaluate("mail.example.com", null, List.of()));
        assertThat(policy.policyDomain()).isEqualTo("mail.example.com");
        assertThat(policy.requested()).isEqualTo(DmarcPolicy.NONE);
        assertThat(policy.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(dns.queries()).containsExactly("TXT _dmarc.mail.example.com");
    }

    @Test
    void otherTxtRecordsAreIgnored() {
        dns.txt("_dmarc.mail.example.com", "v=spf1 -all");
        dns.txt("_dmarc.example.com", "some-verification=123");
        dns.txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        assertThat(policy(evaluate("mail.example.com", null, List.of())).policyDomain()).isEqualTo("example.com");
    }

    @Test
    void severalRecordsAtOneNameMeanNoPolicy() {
        dns.txt("_dmarc.mail.example.com", "v=DMARC1; p=none");
        dns.txt("_dmarc.mail.example.com", "v=DMARC1; p=reject");
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        assertThat(evaluate("mail.example.com", null, List.of()))
                .isEqualTo(new DmarcResult.None("mail.example.com", "2 DMARC records at _dmarc.mail.example.com"));
        assertThat(dns.queries()).containsExactly("TXT _dmarc.mail.example.com");
    }

    @Test
    void noRecordAnywhere() {
        assertThat(evaluate("mail.example.com", null, List.of())).isEqualTo(new DmarcResult.None("mail.example.com",
                "no DMARC record at _dmarc.mail.example.com or _dmarc.example.com"));
    }

    @Test
    void unusableRecordStopsDiscovery() {
        dns.txt("_dmarc.mail.example.com", "v=DMARC1; p=bogus");
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        assertThat(evaluate("mail.example.com", null, List.of())).isEqualTo(new DmarcResult.None("mail.example.com",
                "DMARC record at _dmarc.mail.example.com: invalid p and no valid rua"));
    }

    @Test
    void invalidPolicyWithRuaIsMonitoringOnly() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=bogus; rua=mailto:dmarc@example.com");
        DmarcResult result = evaluate("example.com", null, List.of());
        assertThat(result).isInstanceOf(DmarcResult.Fail.class);
        assertThat(policy(result).disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void fromDomainThatIsAPublicSuffixIsAskedOnce() {
        dns.txt("_dmarc.co.uk", "v=DMARC1; p=reject");
        DmarcResult.AppliedPolicy policy = policy(evaluate("co.uk", null, List.of()));
        assertThat(policy.policyDomain()).isEqualTo("co.uk");
        assertThat(policy.subdomain()).isFalse();
        assertThat(dns.queries()).containsExactly("TXT _dmarc.co.uk");
    }

    @Test
    void privateSuffixTenantDoesNotInheritTheSuffixOwnersPolicy() {
        dns.txt("_dmarc.github.io", "v=DMARC1; p=reject");
        assertThat(evaluate("alice.github.io", null, List.of()))
                .isEqualTo(new DmarcResult.None("alice.github.io", "no DMARC record at _dmarc.alice.github.io"));
        assertThat(dns.queries()).containsExactly("TXT _dmarc.alice.github.io");
    }

    @Test
    void unknownTldFallsBackToTheLastTwoLabels() {
        dns.txt("_dmarc.example.unknowntld", "v=DMARC1; p=quarantine");
        assertThat(policy(evaluate("mail.example.unknowntld", null, List.of())).policyDomain()).isEqualTo("example.unknowntld");
    }

    // --- pct -----------------------------------------------------------------------------------

    @Test
    void pct100AlwaysAppliesWithoutDrawing() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=100");
        DmarcResult.AppliedPolicy policy = policy(evaluate("example.com", null, List.of(), NO_DRAW));
        assertThat(policy.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(policy.sampledOut()).isFalse();
    }

    @Test
    void pct0NeverAppliesTheRequestedPolicy() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=0");
        dns.txt("_dmarc.example.org", "v=DMARC1; p=quarantine; pct=0");
        DmarcResult.AppliedPolicy reject = policy(evaluate("example.com", null, List.of(), NO_DRAW));
        assertThat(reject.requested()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(reject.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(reject.sampledOut()).isTrue();
        assertThat(policy(evaluate("example.org", null, List.of(), NO_DRAW)).disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void pct50AppliesBelowTheDrawAndSoftensAbove() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=50");
        DmarcResult.AppliedPolicy in = policy(evaluate("example.com", null, List.of(), () -> 49));
        assertThat(in.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(in.sampledOut()).isFalse();
        DmarcResult.AppliedPolicy out = policy(evaluate("example.com", null, List.of(), () -> 50));
        assertThat(out.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(out.sampledOut()).isTrue();
    }

    @Test
    void passingMailIsNeverSampled() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=50");
        DmarcResult result = evaluate("example.com", spf(SpfResult.Kind.PASS, "example.com"), List.of(), NO_DRAW);
        assertThat(policy(result).disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(policy(result).requested()).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void policyNoneIsNotSampled() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=none; pct=10");
        DmarcResult.AppliedPolicy policy = policy(evaluate("example.com", null, List.of(), NO_DRAW));
        assertThat(policy.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(policy.sampledOut()).isFalse();
    }

    // --- errors --------------------------------------------------------------------------------

    @Test
    void temporaryDnsFailureAtTheFromDomain() {
        dns.tempfail("_dmarc.example.com", "SERVFAIL");
        assertThat(evaluate("example.com", null, List.of())).isEqualTo(new DmarcResult.TempError("example.com",
                "DNS lookup of _dmarc.example.com failed temporarily: SERVFAIL"));
    }

    @Test
    void temporaryDnsFailureAtTheOrganizationalDomain() {
        dns.tempfail("_dmarc.example.com", "timeout");
        assertThat(evaluate("mail.example.com", spf(SpfResult.Kind.PASS, "example.com"), List.of()))
                .isEqualTo(new DmarcResult.TempError("mail.example.com", "DNS lookup of _dmarc.example.com failed temporarily: timeout"));
    }

    @Test
    void severalFromFieldsArePermErrorWithoutDns() {
        MailMessage m = MailMessage.parse("From: a@example.com\r\nFrom: b@example.com\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        DmarcResult result = new DmarcEvaluator(dns, NO_DRAW).evaluate(m, null, null, List.of());
        assertThat(result).isEqualTo(new DmarcResult.PermError(null, "2 From fields"));
        assertThat(result.keyword()).isEqualTo("permerror");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void noFromFieldIsPermError() {
        MailMessage m = MailMessage.parse("Subject: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new DmarcEvaluator(dns, NO_DRAW).evaluate(m, null, null, List.of()))
                .isEqualTo(new DmarcResult.PermError(null, "no From field"));
    }
}
