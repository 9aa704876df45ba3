package dev.petrel.delivery.mtasts;

import dev.petrel.delivery.mtasts.StsTxtRecord.Discovery;
import dev.petrel.dns.MemoryResolver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The _mta-sts TXT record (RFC 8461 section 3.1). */
class StsTxtRecordTest {
    @Test
    void findsTheIdAmongOtherRecords() throws Exception {
        assertThat(StsTxtRecord.idOf(List.of("v=spf1 -all", "v=STSv1; id=20160831085700Z;"))).isEqualTo("20160831085700Z");
        assertThat(StsTxtRecord.idOf(List.of("v=STSv1;id=abc"))).isEqualTo("abc");
        assertThat(StsTxtRecord.idOf(List.of("v=STSv1; ext=1; id=x1 ;"))).isEqualTo("x1");
    }

    @Test
    void refusesNoneSeveralAndBadIds() {
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=spf1 -all"))).hasMessageContaining("no TXT record");
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=STSv1; id=a", "v=STSv1; id=b"))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=STSv1;"))).hasMessageContaining("no id");
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=STSv1; id=" + "a".repeat(33)))).hasMessageContaining("1 to 32");
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=STSv1; id=a-b"))).hasMessageContaining("1 to 32");
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=STSv1; id=a; id=b"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> StsTxtRecord.idOf(List.of("v=STSv10; id=a"))).hasMessageContaining("no TXT record");
    }

    @Test
    void lookupAsksUnderscoreMtaStsAndSeparatesAbsenceFromFailure() {
        MemoryResolver dns = new MemoryResolver()
                .txt("_mta-sts.good.example", "v=STSv1; id=1")
                .txt("_mta-sts.two.example", "v=STSv1; id=1").txt("_mta-sts.two.example", "v=STSv1; id=2")
                .tempfail("_mta-sts.flaky.example", MemoryResolver.Type.TXT, "SERVFAIL");
        assertThat(StsTxtRecord.lookup(dns, "good.example")).isEqualTo(new Discovery.Found("1"));
        assertThat(StsTxtRecord.lookup(dns, "two.example")).isInstanceOf(Discovery.Absent.class);
        assertThat(StsTxtRecord.lookup(dns, "none.example")).isInstanceOf(Discovery.Absent.class);
        assertThat(StsTxtRecord.lookup(dns, "flaky.example")).isEqualTo(new Discovery.TempFail("SERVFAIL"));
    }
}
