package dev.petrel.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PROXY protocol header, versions 1 and 2, read to its last byte and not one further. */
class ProxyHeaderTest {
    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.5", 50000);
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static InetSocketAddress read(byte[] bytes) throws IOException {
        return ProxyHeader.read(new ByteArrayInputStream(bytes), BALANCER);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 header: PROXY command, TCP over IPv4, then the TLVs given. */
    static byte[] v2Tcp4(byte[] source, byte[] destination, int sourcePort, int destinationPort, int command, byte[] tlvs) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12 + tlvs.length);
        b.put(V2_SIGNATURE).put((byte) (0x20 | command)).put((byte) 0x11).putShort((short) (12 + tlvs.length));
        b.put(source).put(destination).putShort((short) sourcePort).putShort((short) destinationPort).put(tlvs);
        return b.array();
    }

    @Test
    void version1NamesTheClientAndLeavesWhatFollowsUnread() throws Exception {
        InputStream in = new ByteArrayInputStream(ascii("PROXY TCP4 198.51.100.7 203.0.113.1 40000 25\r\nEHLO x\r\n"));
        assertThat(ProxyHeader.read(in, BALANCER)).isEqualTo(new InetSocketAddress("198.51.100.7", 40000));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("EHLO x\r\n");
        assertThat(read(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 40000 25\r\n")))
                .isEqualTo(new InetSocketAddress("2001:db8::7", 40000));
        assertThat(read(ascii("PROXY UNKNOWN\r\n"))).as("the balancer's own check").isEqualTo(BALANCER);
    }

    @Test
    void version2NamesTheClientAndLocalMeansTheBalancerItself() throws Exception {
        byte[] header = v2Tcp4(new byte[] {(byte) 198, 51, 100, 7}, new byte[] {(byte) 203, 0, 113, 1}, 40000, 25, 1, new byte[] {4, 0, 1, 0});
        byte[] withSmtp = ByteBuffer.allocate(header.length + 3).put(header).put(ascii("EHL")).array();
        InputStream in = new ByteArrayInputStream(withSmtp);
        assertThat(ProxyHeader.read(in, BALANCER)).isEqualTo(new InetSocketAddress("198.51.100.7", 40000));
        assertThat(in.readAllBytes()).isEqualTo(ascii("EHL"));
        assertThat(read(v2Tcp4(new byte[4], new byte[4], 0, 0, 0, new byte[0]))).isEqualTo(BALANCER);
    }

    @Test
    void anythingElseIsRefusedNamingWhy() {
        assertThatThrownBy(() -> read(ascii("EHLO client.test\r\n"))).hasMessage("no PROXY header");
        assertThatThrownBy(() -> read(new byte[0])).hasMessage("the connection closed before a PROXY header");
        assertThatThrownBy(() -> read(ascii("PROXY TCP4 198.51.100.7 203.0.113.1 40000\r\n"))).hasMessageContaining("needs TCP4|TCP6");
        assertThatThrownBy(() -> read(ascii("PROXY TCP4 mail.example.com 203.0.113.1 40000 25\r\n")))
                .hasMessageContaining("is not an IPv4 address");
        assertThatThrownBy(() -> read(ascii("PROXY TCP4 198.51.100.7 203.0.113.1 99999 25\r\n"))).hasMessageContaining("is not a port");
        assertThatThrownBy(() -> read(ascii("PROXY TCP4 198.51.100.7 203.0.113.1 40000 25\n"))).hasMessageContaining("CRLF");
        assertThatThrownBy(() -> read(ascii("PROXY " + "x".repeat(200) + "\r\n"))).hasMessageContaining("longer than 107");
        assertThatThrownBy(() -> read(ascii("PROXY TCP4 198.51.100.7 203"))).hasMessageContaining("closed inside");
        byte[] v3 = v2Tcp4(new byte[4], new byte[4], 0, 0, 1, new byte[0]);
        v3[12] = 0x31;
        assertThatThrownBy(() -> read(v3)).hasMessageContaining("version 3");
    }
}
