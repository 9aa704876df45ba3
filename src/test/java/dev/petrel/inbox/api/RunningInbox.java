package dev.petrel.inbox.api;

import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.Retention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A fresh store and its HTTP server on a free loopback port for each test, and a client for it. */
abstract class RunningInbox {
    @TempDir
    Path dir;
    InboxStore store;
    InboxServer server;
    ApiClient api;

    @BeforeEach
    void startInbox() throws Exception {
        store = InboxStore.open(dir, Retention.unlimited());
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0));
        api = new ApiClient(server.port());
    }

    @AfterEach
    void stopInbox() {
        server.close();
        store.close();
    }
}
