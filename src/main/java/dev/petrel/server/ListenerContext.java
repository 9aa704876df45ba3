package dev.petrel.server;

import javax.net.ssl.SSLContext;
import java.time.Duration;

/**
 * What a connection needs to know about the listener that accepted it.
 *
 * @param refuseEarlyTalkers refuse a client whose data arrived before the greeting was sent, even
 *                           with no greet pause (the connect checks, such as a DNSBL lookup, take time)
 */
record ListenerContext(
        String name,
        boolean implicitTls,
        SSLContext sslContext,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration greetPause,
        boolean refuseEarlyTalkers) {}
