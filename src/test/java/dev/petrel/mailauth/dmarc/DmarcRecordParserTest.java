package dev.petrel.mailauth.dmarc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DmarcRecordParserTest {
    private static DmarcRecord valid(String text) {
        DmarcRecordParser.Parsed parsed = DmarcRecordParser.parse(text);
        assertThat(parsed).isInstanceOf(DmarcRecordParser.Valid.class);
        return ((DmarcRecordParser.Valid) parsed).record();
    }

    @Test
    void minimalRecordGetsTheDefaults() {
        assertThat(valid("v=DMARC1; p=reject")).isEqualTo(new DmarcRecord(DmarcPolicy.REJECT, null, 100,
                AlignmentMode.RELAXED, AlignmentMode.RELAXED, List.of(), List.of(), List.of("0"), List.of("afrf"),
                86400, List.of()));
    }

    @Test
    void everyTag() {
        DmarcRecord record = valid(" v = DMARC1 ;p=Quarantine; SP=reject;pct=25;adkim=s;aspf=S;"
                + "rua=mailto:agg@example.com!10m, https://reports.example.com/dmarc;"
                + "ruf=mailto:forensic@example.com;fo=1:d:S;rf=afrf:iodef;ri=3600;future=tag;");
        assertThat(record).isEqualTo(new DmarcRecord(DmarcPolicy.QUARANTINE, DmarcPolicy.REJECT, 25,
                AlignmentMode.STRICT, AlignmentMode.STRICT,
                List.of("mailto:agg@example.com!10m", "https://reports.example.com/dmarc"),
                List.of("mailto:forensic@example.com"), List.of("1", "d", "s"), List.of("afrf", "iodef"), 3600, List.of()));
    }

    @Test
    void malformedOptionalValuesFallBackToDefaults() {
        DmarcRecord record = valid("v=DMARC1; p=none; pct=150; adkim=x; aspf=; ri=soon; fo=2:1; rua=not a uri, mailto:a@example.com");
        assertThat(record.percent()).isEqualTo(100);
        assertThat(record.dkimAlignment()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(record.spfAlignment()).isEqualTo(AlignmentMode.RELAXED);
        assertThat(record.reportInterval()).isEqualTo(86400);
        assertThat(record.failureOptions()).containsExactly("1");
        assertThat(record.aggregateReportUris()).containsExactly("mailto:a@example.com");
        assertThat(record.problems()).containsExactly(
                "rua URI \"not a uri\" is not valid: ignored",
                "pct=150 is not 0 to 100: using 100",
                "adkim=x is not r or s: using r",
                "aspf= is not r or s: using r",
                "fo option \"2\" is not 0, 1, d or s: ignored",
                "ri=soon is not a number of seconds: using 86400");
    }

    @Test
    void pctBounds() {
        assertThat(valid("v=DMARC1; p=reject; pct=0").percent()).isZero();
        assertThat(valid("v=DMARC1; p=reject; pct=100").percent()).isEqualTo(100);
        assertThat(valid("v=DMARC1; p=reject; pct=-1").percent()).isEqualTo(100);
    }

    @Test
    void missingPolicyWithValidRuaActsAsNone() {
        DmarcRecord record = valid("v=DMARC1; sp=reject; rua=mailto:dmarc@example.com");
        assertThat(record.policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(record.subdomainPolicy()).isNull();
        assertThat(record.problems()).containsExactly("no p: acting as p=none because rua is valid (RFC 7489 section 6.6.3)");
    }

    @Test
    void invalidPolicyWithValidRuaActsAsNone() {
        assertThat(valid("v=DMARC1; p=block; rua=mailto:dmarc@example.com").policy()).isEqualTo(DmarcPolicy.NONE);
        assertThat(valid("v=DMARC1; p=reject; sp=block; rua=mailto:dmarc@example.com").requestedPolicy(true)).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void invalidPolicyWithoutRuaIsUnusable() {
        assertThat(DmarcRecordParser.parse("v=DMARC1; p=block")).isEqualTo(new DmarcRecordParser.Unusable("invalid p and no valid rua"));
        assertThat(DmarcRecordParser.parse("v=DMARC1")).isEqualTo(new DmarcRecordParser.Unusable("no p and no valid rua"));
        assertThat(DmarcRecordParser.parse("v=DMARC1; p=reject; sp=bogus")).isEqualTo(new DmarcRecordParser.Unusable("invalid sp and no valid rua"));
        assertThat(DmarcRecordParser.parse("v=DMARC1; p=block; rua=example.com")).isEqualTo(new DmarcRecordParser.Unusable("invalid p and no valid rua"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=spf1 -all", "p=reject; v=DMARC1", "v=dmarc1; p=reject", "v=DMARC2; p=reject", "v=DMARC1p=reject",
            "", "google-site-verification=abc"})
    void versionMustComeFirstAndMatchExactly(String text) {
        assertThat(DmarcRecordParser.parse(text)).isEqualTo(new DmarcRecordParser.NotDmarc());
    }

    @Test
    void policyMayFollowOtherTags() {
        DmarcRecord record = valid("v=DMARC1; rua=mailto:dmarc@example.com; p=reject");
        assertThat(record.policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(record.problems()).isEmpty();
    }

    @Test
    void repeatedTagKeepsTheFirstValue() {
        DmarcRecord record = valid("v=DMARC1; p=reject; p=none");
        assertThat(record.policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(record.problems()).containsExactly("repeated tag p ignored");
    }

    @Test
    void subdomainPolicyDefaultsToPolicy() {
        DmarcRecord record = valid("v=DMARC1; p=quarantine");
        assertThat(record.requestedPolicy(true)).isEqualTo(DmarcPolicy.QUARANTINE);
        DmarcRecord withSp = valid("v=DMARC1; p=quarantine; sp=none");
        assertThat(withSp.requestedPolicy(true)).isEqualTo(DmarcPolicy.NONE);
        assertThat(withSp.requestedPolicy(false)).isEqualTo(DmarcPolicy.QUARANTINE);
    }
}
