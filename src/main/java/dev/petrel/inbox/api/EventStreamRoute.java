package dev.petrel.inbox.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /api/v1/events}: the store's changes as server-sent events ({@code text/event-stream}),
 * for the web UI's live list. Each request thread (a virtual thread) writes its client's queued
 * frames, and a heartbeat comment when nothing happened for a while; it ends when the client goes
 * away, falls too far behind, or the server closes. There is no replay: a client that reconnects
 * reloads what it shows.
 */
final class EventStreamRoute {
    private final LiveEvents events;

    EventStreamRoute(LiveEvents events) {
        this.events = events;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/events", this::stream);
    }

    private void stream(Context ctx) throws IOException {
        Optional<ClientQueue> joined = events.join(connectionCloser(ctx));
        if (joined.isEmpty()) {
            ctx.status(503).contentType("text/plain; charset=utf-8").result("too many live event clients (at most "
                    + events.maxClients() + "); close another inbox tab, or use GET /api/v1/wait to wait for a message");
            return;
        }
        ClientQueue queue = joined.get();
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream; charset=utf-8");
            res.setHeader("Cache-Control", "no-store");
            res.setHeader("X-Content-Type-Options", "nosniff");
            res.setHeader("X-Accel-Buffering", "no"); // tells a reverse proxy in front not to buffer the stream
            ServletOutputStream out = res.getOutputStream();
            write(out, SseFrames.OPENING);
            for (;;) {
                ClientQueue.Next next = queue.next(events.heartbeat());
                switch (next) {
                    case ClientQueue.Next.Frame frame -> write(out, frame.text());
                    case ClientQueue.Next.Idle idle -> write(out, SseFrames.HEARTBEAT);
                    case ClientQueue.Next.End end -> {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away (or was cut off after falling behind): nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            events.leave(queue);
        }
    }

    private static void write(ServletOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Closes the client's TCP connection, so a thread blocked writing to a client that stopped reading is released. */
    private static Runnable connectionCloser(Context ctx) {
        try {
            EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData().getConnection().getEndPoint();
            return endPoint::close;
        } catch (RuntimeException e) {
            return () -> { }; // not on Jetty: the idle timeout releases the thread instead
        }
    }
}
