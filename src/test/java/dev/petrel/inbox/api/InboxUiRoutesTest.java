package dev.petrel.inbox.api;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The web UI's static files over HTTP: where they are, their types and security headers. */
class InboxUiRoutesTest extends RunningInbox {
    @Test
    void theUiIsServedAtTheRootWithItsSecurityHeaders() throws Exception {
        HttpResponse<String> page = api.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval").doesNotContain("script-src 'self' 'unsafe-inline'"));
        assertThat(page.body()).contains("<script src=\"/ui/app.js\" defer></script>", "<link rel=\"stylesheet\" href=\"/ui/style.css\">");
    }

    @Test
    void scriptAndStyleComeWithTheirTypesAndLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> script = api.get("/ui/app.js");
        HttpResponse<String> style = api.get("/ui/style.css");
        HttpResponse<String> page = api.get("/");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(contentType(script)).isEqualTo("text/javascript;charset=utf-8");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(contentType(style)).isEqualTo("text/css;charset=utf-8");
        for (HttpResponse<String> file : java.util.List.of(script, style, page)) {
            assertThat(file.body()).as(file.uri().getPath()).doesNotContain("http:").doesNotContain("https:");
        }
        assertThat(script.body()).as("message content never goes in as markup").doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML");
    }

    @Test
    void onlyTheUisOwnFilesAreServed() throws Exception {
        assertThat(api.get("/ui/openapi.yaml").statusCode()).isEqualTo(404);
        assertThat(api.get("/ui/..%2Fopenapi.yaml").statusCode()).isIn(400, 404);
        assertThat(api.get("/ui/logback.xml").body()).isEqualTo("no such file in the inbox UI: logback.xml");
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
