package dev.petrel.server;

import javax.net.ssl.SSLContext;
import java.time.Duration;

/** What a connection needs to know about the listener that accepted it. */
record ListenerContext(
        String name,
        boolean implicitTls,
        SSLContext sslContext,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration greetPause) {}
