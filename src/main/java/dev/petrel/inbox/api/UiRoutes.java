package dev.petrel.inbox.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the web UI: a fixed set of static files from {@code /inbox/ui/} on the class path, at
 * {@code /} and {@code /ui/...}, with security headers. Nothing else is served from there, so no
 * path can reach other resources.
 *
 * <p>The UI's Content-Security-Policy lets it load only its own script and style and talk only to
 * its own origin. Two allowances are for the message preview, a sandboxed {@code srcdoc} frame that
 * inherits this policy: inline styles (mail is styled inline) and {@code data:} images and fonts.
 * The frame adds its own stricter policy (no remote loads at all) and runs no script.
 */
final class UiRoutes {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    void register(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, "index.html"));
        routes.get("/ui/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private static void serve(Context ctx, String file) {
        String type = FILES.get(file);
        if (type == null) throw new NotFound("no such file in the inbox UI: " + file);
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type).result(read(file));
    }

    private static byte[] read(String file) {
        try (InputStream in = UiRoutes.class.getResourceAsStream("/inbox/ui/" + file)) {
            if (in == null) throw new NotFound("the inbox UI file " + file + " is missing from this build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
