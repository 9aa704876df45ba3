package dev.petrel.dns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryResolverTest {
    @Test
    void distinguishesFoundNxdomainNodataAndTempfail() {
        MemoryResolver dns = new MemoryResolver()
                .mx("Example.com.", 10, "MX.example.com").a("mx.example.com", "192.0.2.1")
                .txt("example.com", "v=spf1 -all")
                .tempfail("example.com", MemoryResolver.Type.A, "SERVFAIL");

        assertThat(dns.mx("example.com").recordsOrEmpty()).containsExactly(new MxRecord(10, "mx.example.com"));
        assertThat(dns.a("MX.example.com.").recordsOrEmpty()).containsExactly(DnsjavaResolverTest.ip("192.0.2.1"));
        assertThat(dns.txt("example.com").recordsOrEmpty()).containsExactly("v=spf1 -all");
        assertThat(dns.aaaa("mx.example.com")).isInstanceOf(DnsResult.NoData.class);
        assertThat(dns.a("other.example.com")).isInstanceOf(DnsResult.NxDomain.class);
        assertThat(dns.a("example.com")).isEqualTo(new DnsResult.TempFail<>("SERVFAIL"));
        assertThat(dns.queries()).containsExactly("MX example.com", "A mx.example.com", "TXT example.com",
                "AAAA mx.example.com", "A other.example.com", "A example.com");
    }
}
