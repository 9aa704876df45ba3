package dev.petrel.inbox.ui;

import com.sun.net.httpserver.HttpServer;
import dev.petrel.inbox.InboxStore;
import dev.petrel.inbox.MessageSummary;
import dev.petrel.inbox.Retention;
import dev.petrel.inbox.TestMail;
import dev.petrel.inbox.api.InboxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in Debian's headless Chromium (through chromedriver): a message stored while the page
 * is open appears without a reload, opens, shows its HTML in the sandboxed frame with remote
 * content blocked, and offers its attachment for download; the test saves a screenshot.
 */
class InboxUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "inbox-ui.png");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A 1x1 GIF, as data: in the mail (must show) and as the remote "tracking pixel" (must never be fetched). */
    private static final String GIF_BASE64 = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

    /** One Chromium for the class (starting it is the slow part); each test has its own server, so its own origin. */
    static ChromeDriver browser;
    static WebDriverWait wait;
    @TempDir
    static Path profile;

    @TempDir
    Path dir;
    InboxStore store;
    InboxServer server;
    HttpServer tracker;
    final List<String> trackerRequests = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
                        + "install them with bin/install-test-deps.sh");
        browser = launch(profile);
        // The UI redraws the list on live events, so an element found a moment ago can be replaced: look again.
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) browser.quit();
    }

    @BeforeEach
    void start() throws Exception {
        store = InboxStore.open(dir.resolve("inbox"), Retention.unlimited());
        server = InboxServer.start(store, new InetSocketAddress("127.0.0.1", 0));
        tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        tracker.createContext("/", exchange -> {
            trackerRequests.add(exchange.getRequestURI().toString());
            byte[] gif = Base64.getDecoder().decode(GIF_BASE64);
            exchange.getResponseHeaders().set("Content-Type", "image/gif");
            exchange.sendResponseHeaders(200, gif.length);
            exchange.getResponseBody().write(gif);
            exchange.close();
        });
        tracker.start();
    }

    @AfterEach
    void stop() {
        if (tracker != null) tracker.stop(0);
        if (server != null) server.close();
        if (store != null) store.close();
    }

    private static ChromeDriver launch(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-default-browser-check",
                "--user-data-dir=" + profile, "--window-size=1280,900",
                // Every non-loopback request goes to a closed loopback port (Chromium never proxies loopback).
                "--proxy-server=http://127.0.0.1:9");
        options.setPageLoadStrategy(org.openqa.selenium.PageLoadStrategy.NORMAL);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        return driver;
    }

    @Test
    void aMessageAppearsLiveOpensWithBlockedRemoteContentAndOffersItsAttachment() throws Exception {
        String ui = "http://127.0.0.1:" + server.port() + "/";
        String remote = "http://127.0.0.1:" + tracker.getAddress().getPort();
        browser.get(ui);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("list-empty")));
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "true"));
        ((JavascriptExecutor) browser).executeScript("window.petrelTestNoReload = 'still the same page';");

        String html = "<html><head><style>h1.greet { color: rgb(0, 128, 0); }</style>"
                + "<link rel=\"stylesheet\" href=\"" + remote + "/remote.css\"></head><body>"
                + "<h1 class=\"greet\" id=\"greeting\">Welcome aboard</h1>"
                + "<p style=\"background: url(" + remote + "/background.png)\">Your code is <b>424242</b>.</p>"
                + "<img id=\"tracking-pixel\" src=\"" + remote + "/pixel.gif?user=bob\" alt=\"\" width=\"1\" height=\"1\">"
                + "<img id=\"embedded-dot\" src=\"data:image/gif;base64," + GIF_BASE64 + "\" alt=\"dot\">"
                + "</body></html>";
        MessageSummary stored = store.store(TestMail.mail().subject("Welcome to Example").html(html).attachment("invoice.pdf")
                .captured("signup", "bounce@example.com", "bob@example.org"));

        By row = By.cssSelector("#message-list li[data-id='" + stored.id() + "']");
        String rowText = wait.until(d -> d.findElement(row).isDisplayed() ? d.findElement(row).getText() : null);
        assertThat(rowText).contains("Welcome to Example").contains("Alice Example");
        String rowClass = wait.until(d -> d.findElement(row).getAttribute("class"));
        assertThat(rowClass).isEqualTo("unread");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.petrelTestNoReload;"))
                .as("the message arrived without a page reload").isEqualTo("still the same page");

        wait.until(d -> {
            d.findElement(row).findElement(By.tagName("button")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBe(By.id("message-subject"), "Welcome to Example"));
        wait.until(ExpectedConditions.attributeToBe(row, "class", "read"));
        wait.until(ExpectedConditions.attributeToBe(By.id("html-frame"), "data-state", "loaded"));
        assertThat(browser.findElement(By.id("remote-note")).getText())
                .startsWith("Remote content blocked: 3 references to other servers");

        WebElement frame = browser.findElement(By.id("html-frame"));
        assertThat(frame.getAttribute("sandbox")).doesNotContain("allow-scripts").doesNotContain("allow-same-origin");
        browser.switchTo().frame(frame);
        WebElement greeting = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));
        assertThat(greeting.getText()).isEqualTo("Welcome aboard");
        assertThat(greeting.getCssValue("color")).as("the mail's own style applies").isEqualTo("rgba(0, 128, 0, 1)");
        assertThat(browser.findElement(By.id("embedded-dot")).getDomProperty("naturalWidth")).as("a data: image shows").isEqualTo("1");
        assertThat(browser.findElement(By.id("tracking-pixel")).getDomProperty("naturalWidth")).isEqualTo("0");
        browser.switchTo().defaultContent();
        assertThat(trackerRequests).as("nothing was fetched from the remote server").isEmpty();

        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);

        browser.findElement(By.id("tab-attachments")).click();
        WebElement link = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#attachments-view a")));
        assertThat(link.getText()).isEqualTo("invoice.pdf");
        String href = link.getAttribute("href");
        assertThat(href).isEqualTo(ui + "api/v1/message/" + stored.id() + "/part/2");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(href)).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(TestMail.PDF_BYTES);
        }

        browser.findElement(By.id("tab-envelope")).click();
        WebElement envelope = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("envelope-view")));
        assertThat(envelope.getText()).contains("MAIL FROM\nbounce@example.com").contains("RCPT TO\nbob@example.org");

        assertThat(trackerRequests).isEmpty();
        byte[] saved = Files.readAllBytes(SCREENSHOT);
        assertThat(saved).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(saved.length).isGreaterThan(10_000);
    }

    /** The whole path a team uses: its app sends over SMTP to Petrel in capture mode, a person watches the UI. */
    @Test
    void mailSentOverSmtpToPetrelInCaptureModeAppearsLiveAndOpensWithItsEnvelope() throws Exception {
        try (dev.petrel.testkit.TestPetrel petrel = dev.petrel.testkit.TestPetrel.start(Files.createDirectories(dir.resolve("petrel")), """
                [server]
                hostname = "staging.example.com"
                data_dir = "data"

                [capture]
                enabled = true
                """, dev.petrel.testkit.TestPetrel.listener("mx", dev.petrel.config.PetrelConfig.ListenerMode.MX,
                dev.petrel.config.PetrelConfig.TlsMode.STARTTLS))) {
            browser.get(petrel.inboxUrl() + "/");
            wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "true"));
            ((JavascriptExecutor) browser).executeScript("window.petrelTestNoReload = 'still the same page';");
            byte[] mail = TestMail.mail().subject("Sent over SMTP").html("<p id=\"p\">Order <b>77</b> shipped</p>")
                    .attachment("invoice.pdf").bytes();
            try (dev.petrel.server.SmtpTestClient c = dev.petrel.server.SmtpTestClient.connect(petrel.port("mx"))) {
                c.startData("shop@example.com", "buyer@example.org");
                String text = new String(mail, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(c.command(text + (text.endsWith("\r\n") ? "" : "\r\n") + ".").code()).isEqualTo(250);
            }
            By row = By.cssSelector("#message-list li");
            String rowText = wait.until(d -> d.findElements(row).isEmpty() ? null : d.findElement(row).getText());
            assertThat(rowText).contains("Sent over SMTP");
            assertThat(((JavascriptExecutor) browser).executeScript("return window.petrelTestNoReload;")).isEqualTo("still the same page");
            wait.until(d -> {
                d.findElement(row).findElement(By.tagName("button")).click();
                return true;
            });
            wait.until(ExpectedConditions.textToBe(By.id("message-subject"), "Sent over SMTP"));
            wait.until(ExpectedConditions.attributeToBe(By.id("html-frame"), "data-state", "loaded"));
            browser.switchTo().frame(browser.findElement(By.id("html-frame")));
            assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("p"))).getText()).isEqualTo("Order 77 shipped");
            browser.switchTo().defaultContent();
            browser.findElement(By.id("tab-envelope")).click();
            WebElement envelope = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("envelope-view")));
            assertThat(envelope.getText()).contains("MAIL FROM\nshop@example.com").contains("RCPT TO\nbuyer@example.org");
            browser.findElement(By.id("tab-attachments")).click();
            assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#attachments-view a"))).getText())
                    .isEqualTo("invoice.pdf");
        }
    }

    @Test
    void deletingTheOpenMessageRemovesItFromTheListAndTheStore() throws Exception {
        MessageSummary stored = store.store(TestMail.mail().subject("Delete me").captured("x"));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        By row = By.cssSelector("#message-list li[data-id='" + stored.id() + "'] button");
        wait.until(ExpectedConditions.elementToBeClickable(row)).click();
        wait.until(ExpectedConditions.textToBe(By.id("message-subject"), "Delete me"));
        assertThat(browser.findElement(By.id("text-view")).getAttribute("textContent")).contains("your code is 123456.");

        browser.findElement(By.id("delete-message")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("list-empty")));
        assertThat(store.summary(stored.id())).isEmpty();
    }

    @Test
    void inlineImagesOfTheMessageShowInTheHtmlViewAsDataUris() throws Exception {
        MessageSummary stored = store.store(TestMail.mail().subject("With logo")
                .html("<p>Our logo: <img id=\"logo\" src=\"cid:logo@example.com\" alt=\"logo\"></p>").inlineImage().captured("x"));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#message-list li[data-id='" + stored.id() + "'] button"))).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("html-frame"), "data-state", "loaded"));

        browser.switchTo().frame(browser.findElement(By.id("html-frame")));
        WebElement logo = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("logo")));

        assertThat(logo.getAttribute("src")).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(TestMail.PNG_BYTES));
    }

    @Test
    void loadMoreSearchAndTheInboxMenuNarrowTheList() throws Exception {
        // The oldest message is in an inbox of its own, beyond the first page: the menu still offers it.
        store.store(TestMail.mail().subject("Gamma").captured("gamma"));
        for (int i = 0; i < 51; i++) store.store(TestMail.mail().subject("Alpha " + i).captured("alpha"));
        MessageSummary beta = store.store(TestMail.mail().subject("Beta report").captured("beta"));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        By rows = By.cssSelector("#message-list li");

        wait.until(ExpectedConditions.numberOfElementsToBe(rows, 50));
        assertThat(dataIds(rows).getFirst()).as("newest first").isEqualTo(beta.id());
        Select inboxes = new Select(browser.findElement(By.id("inbox-filter")));
        wait.until(d -> inboxes.getOptions().size() == 4);
        assertThat(inboxes.getOptions()).extracting(WebElement::getText).containsExactly("All inboxes", "alpha", "beta", "gamma");
        browser.findElement(By.id("load-more")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(rows, 53));
        assertThat(browser.findElement(By.id("load-more")).isDisplayed()).isFalse();

        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys("subject:\"beta report\"", Keys.ENTER);
        wait.until(ExpectedConditions.numberOfElementsToBe(rows, 1));
        assertThat(dataIds(rows)).containsExactly(beta.id());
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("1 matching, 53 messages, 53 unread");

        browser.findElement(By.id("clear-search")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(rows, 50));
        inboxes.selectByVisibleText("alpha");
        wait.until(ExpectedConditions.numberOfElementsToBe(rows, 50));
        assertThat(dataIds(rows)).doesNotContain(beta.id());
        List<String> rowTexts = wait.until(d -> d.findElements(rows).stream().map(WebElement::getText).toList());
        assertThat(rowTexts).allMatch(text -> text.contains("inbox alpha"));

        search.sendKeys("from:nobody@example.net", Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("list-empty")));
        search.clear();
        search.sendKeys("form:bob", Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("list-error")));
        assertThat(error.getText()).contains("400").contains("unknown search operator 'form:'");
    }

    /** The message IDs of the rows, read in one go (looked up again if the list was redrawn meanwhile). */
    private List<String> dataIds(By rows) {
        return wait.until(d -> d.findElements(rows).stream().map(row -> row.getAttribute("data-id")).toList());
    }
}
