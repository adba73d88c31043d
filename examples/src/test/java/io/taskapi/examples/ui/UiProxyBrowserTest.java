package io.taskapi.examples.ui;

import static io.taskapi.examples.cli.TaskapiProcesses.ROOT;
import static io.taskapi.examples.cli.TaskapiProcesses.awaitLine;
import static io.taskapi.examples.cli.TaskapiProcesses.bootstrap;
import static io.taskapi.examples.cli.TaskapiProcesses.command;
import static io.taskapi.examples.cli.TaskapiProcesses.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.taskapi.examples.agent.TestAgents;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI as a person uses it: an agent process with ACLs, the seed's job (which sets the node's metadata), the
 * UI proxy run as a task by its job file ({@code examples/jobs/ui-proxy.hcl}, only its port changed), and a headless
 * chromium driven by Selenium through the proxy's HTTPS: a token pasted, nodes filtered, a node's metadata, a job's
 * allocation, a variable edited into a check-and-set conflict, the token's page, logging out, logging in through a JWT
 * auth method; then requests from another origin, from curl and from a page of another site, refused. Screenshots of
 * the main pages go to {@code target/ui-screenshots/} (docs/images/ has copies).
 */
final class UiProxyBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path files;

    private static Process agent;
    private static final List<ProcessHandle> AGENT_DESCENDANTS = new ArrayList<>();
    private static final Map<String, String> ENV = new HashMap<>();
    private static String token;
    private static int uiPort;
    private static KeyPair loginKeys;
    private static String proxy;

    @BeforeAll
    static void startAgentAndJobs() throws Exception {
        // The job's exec task runs `taskapi` from the agent's PATH: here one that runs this build's classes (the jar
        // is packaged after the tests).
        Path bin = Files.createDirectories(files.resolve("bin"));
        Path taskapi = bin.resolve("taskapi");
        Files.writeString(taskapi, "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElse("java")
                + "' -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' io.taskapi.examples.cli.Main \"$@\"\n");
        assertThat(taskapi.toFile().setExecutable(true)).isTrue();
        int port = TestAgents.freePort();
        ENV.put("NOMAD_ADDR", "http://127.0.0.1:" + port);
        Path agentLog = files.resolve("agent.stderr");
        agent = command(Map.of("PATH", bin + ":" + System.getenv("PATH")), "agent", "-dev", "-acl-enabled", "-port",
                Integer.toString(port), "-data-dir", files.resolve("data").toString())
                .redirectError(agentLog.toFile()).start();
        try {
            awaitLine(agent, "==> taskapi agent started!");
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nits log:\n" + Files.readString(agentLog), e);
        }
        token = bootstrap(ENV);
        ENV.put("NOMAD_TOKEN", token);

        Path rules = Files.writeString(files.resolve("node-write.hcl"), "node {\n  policy = \"write\"\n}\n");
        ok(ENV, "acl", "policy", "apply", "-namespace", "default", "-job", "taskapi-example", "node-write",
                rules.toString());
        assertThat(ok(ENV, "job", "run", "examples/jobs/taskapi-example.hcl").out())
                .contains("Task \"taskapi\" is \"dead\" (exit code 0)");

        uiPort = TestAgents.freePort();
        String job = Files.readString(ROOT.resolve("examples/jobs/ui-proxy.hcl"));
        assertThat(job).contains("\"127.0.0.1:8443\"");
        Path jobFile = Files.writeString(files.resolve("ui-proxy.hcl"),
                job.replace("\"127.0.0.1:8443\"", "\"127.0.0.1:" + uiPort + "\""));
        ok(ENV, "job", "run", jobFile.toString());
        proxy = "https://127.0.0.1:" + uiPort;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(curl("-k", proxy + "/ui/health")).startsWith("200 ").contains("\"proxy\":\"ok\""));
        ok(ENV, "var", "put", "app/config", "greeting=hello");

        // JWT login, as docs/operators.md sets it up: engineers get the readers role.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        loginKeys = generator.generateKeyPair();
        Path readRules = Files.writeString(files.resolve("node-read.hcl"), "node {\n  policy = \"read\"\n}\n");
        ok(ENV, "acl", "policy", "apply", "node-read", readRules.toString());
        ok(ENV, "acl", "role", "create", "-name", "readers", "-policy", "node-read");
        String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(
                loginKeys.getPublic().getEncoded()) + "\\n-----END PUBLIC KEY-----";
        Path config = Files.writeString(files.resolve("corp.json"), "{\"JWTValidationPubKeys\":[\"" + pem
                + "\"],\"BoundAudiences\":[\"taskapi\"],\"ListClaimMappings\":{\"groups\":\"groups\"}}");
        ok(ENV, "acl", "auth-method", "create", "-name", "corp", "-type", "JWT", "-max-token-ttl", "30m",
                "-token-locality", "local", "-default", "-config", "@" + config);
        ok(ENV, "acl", "binding-rule", "create", "-auth-method", "corp", "-bind-type", "role", "-bind-name",
                "readers", "-selector", "\"engineering\" in list.groups");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (agent == null) {
            return;
        }
        try {
            if (agent.isAlive()) {
                command(ENV, "job", "stop", "ui-proxy").start().waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            // The tasks' supervisors survive an agent on purpose: the ones this agent started are ended here.
            agent.descendants().forEach(AGENT_DESCENDANTS::add);
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
            AGENT_DESCENDANTS.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(Files.readString(files.resolve("agent.stderr"))).as("the agent's log").doesNotContain(token);
    }

    @Test
    @Timeout(120)
    void aWriteFromAnotherOriginIsRefusedWithoutItsCookieBeingUsed() throws Exception {
        String cookie = "token=" + token;
        String body = "{\"Items\":{\"k\":\"v\"}}";
        assertThat(curl("-k", "-X", "PUT", "-b", cookie, "-H", "Origin: https://evil.example", "--data", body,
                proxy + "/v1/var/app/evil"))
                .startsWith("403 ").contains("{\"errors\":[\"Permission denied: a state-changing request must come"
                        + " from this UI's own origin");
        assertThat(curl("-k", "-X", "PUT", "-b", cookie, "-H", "Sec-Fetch-Site: cross-site", "-H",
                "Origin: " + proxy, "--data", body, proxy + "/v1/var/app/evil")).startsWith("403 ");
        assertThat(curl("-k", "-X", "PUT", "-b", cookie, "--data", body, proxy + "/v1/var/app/evil"))
                .as("no proof at all").startsWith("403 ");
        assertThat(curl("-k", "-X", "POST", "-H", "Origin: https://evil.example", proxy + "/ui/logout"))
                .startsWith("403 ");
        assertThat(curl("-k", "-b", cookie, proxy + "/v1/var/app/evil")).as("nothing was written")
                .startsWith("404 ");
        // The same write from the proxy's own origin goes through, with the cookie's token.
        assertThat(curl("-k", "-X", "PUT", "-b", cookie, "-H", "Origin: " + proxy, "-H", "Sec-Fetch-Site: same-origin",
                "--data", body, proxy + "/v1/var/app/evil")).startsWith("200 ");
        assertThat(curl("-k", "-X", "DELETE", "-b", cookie, "-H", "Origin: " + proxy, proxy + "/v1/var/app/evil"))
                .startsWith("204 ");
        // A browser's own X-Nomad-Token is not forwarded: the cookie is the proxy's one credential.
        assertThat(curl("-k", "-H", "X-Nomad-Token: " + token, proxy + "/v1/acl/token/self")).startsWith("401 ");
    }

    @Test
    @Timeout(300)
    void aPersonLogsInFiltersNodesReadsJobsEditsAVariableAndLogsOut() throws Exception {
        Optional<Path> chromium = onPath("chromium");
        Optional<Path> chromedriver = onPath("chromedriver");
        assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "chromium and chromedriver are not installed (.ci/install-test-deps installs them): no browser test");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--ignore-certificate-errors", "--window-size=1200,860",
                "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=" + files.resolve("chromium-profile"));
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox");  // chromium refuses to run as root with its sandbox
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort()
                .withLogFile(files.resolve("chromedriver.log").toFile()).build();
        WebDriver driver = new ChromeDriver(service, options);
        HttpServer otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try {
            walkThrough(driver);
            crossSiteForm(driver, otherSite);
        } catch (RuntimeException | AssertionError e) {
            screenshot(driver, "failure.png");
            throw new AssertionError(e.getMessage() + "\nthe page (" + driver.getCurrentUrl() + "):\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        } finally {
            otherSite.stop(0);
            driver.quit();
            service.close();
        }
    }

    private static void walkThrough(WebDriver driver) throws IOException {
        FluentWait<WebDriver> wait = waiting(driver);
        driver.get(proxy + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        assertThat(driver.findElement(By.id("page-title")).getText()).isEqualTo("Log in");
        screenshot(driver, "ui-login.png");

        // A token the API does not know: its own error message.
        type(driver, By.id("token-input"), "00000000-0000-0000-0000-000000000000");
        driver.findElement(By.id("token-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "ACL token not found"));

        type(driver, By.id("token-input"), token);
        driver.findElement(By.id("token-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Nodes"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main table tbody tr")));
        assertThat(driver.manage().getCookieNamed("token")).as("the session cookie").satisfies(cookie -> {
            assertThat(cookie.isHttpOnly()).isTrue();
            assertThat(cookie.isSecure()).isTrue();
            assertThat(cookie.getSameSite()).isEqualTo("Strict");
        });

        filter(driver, "Meta.example == \"nope\"");
        wait.until(ExpectedConditions.textToBe(By.id("no-nodes"), "No nodes match the filter."));
        filter(driver, "Meta.example ==");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"),
                "failed to read filter expression"));
        filter(driver, "Meta.example == \"Hello World!\"");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main table tbody tr")));
        assertThat(driver.findElement(By.id("filter")).getAttribute("value"))
                .isEqualTo("Meta.example == \"Hello World!\"");
        assertThat(driver.findElements(By.cssSelector("main table tbody tr"))).hasSize(1);
        screenshot(driver, "ui-nodes.png");

        driver.findElement(By.cssSelector("main table tbody tr a")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-title"), "Node "));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Hello World!"));
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("example Hello World! dynamic");
        screenshot(driver, "ui-node.png");

        driver.findElement(By.linkText("Jobs")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Jobs"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("ui-proxy")));
        driver.findElement(By.linkText("taskapi-example")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Job taskapi-example"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section.alloc table tbody tr")));
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("Task taskapi: dead")
                .contains("exit code 0").contains("Terminated");
        screenshot(driver, "ui-jobs.png");

        driver.findElement(By.linkText("Variables")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Variables"));
        driver.findElement(By.linkText("app/config")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("var-form")));
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector(".item-value"), "value", "hello"));
        type(driver, By.cssSelector(".item-value"), "from the browser");
        // Someone else changes the variable meanwhile.
        ok(ENV, "var", "put", "app/config", "greeting=changed elsewhere");
        driver.findElement(By.id("var-save")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("conflict-title")));
        String conflict = driver.findElement(By.id("conflict")).getText();
        assertThat(conflict).contains("cas conflict: expected ModifyIndex").contains("changed elsewhere");
        screenshot(driver, "ui-variable-conflict.png");
        driver.findElement(By.id("reload-var")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector(".item-value"), "value", "changed elsewhere"));
        type(driver, By.cssSelector(".item-value"), "from the browser");
        driver.findElement(By.id("var-save")).click();
        wait.until(ExpectedConditions.textToBe(By.id("var-status"), "Saved."));
        assertThat(ok(ENV, "var", "get", "-item", "greeting", "app/config").out().trim())
                .isEqualTo("from the browser");

        driver.findElement(By.linkText("Token")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Your token"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "management"));
        screenshot(driver, "ui-token.png");

        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        assertThat(driver.manage().getCookieNamed("token")).isNull();
        driver.get(proxy + "/#/nodes");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        assertThat(driver.findElement(By.id("login-notice")).getText()).isEqualTo("Please log in.");
        // Through the auth method: a JWT without a matching binding rule is refused with the API's reason, then an
        // engineer's JWT becomes a token of the readers role, set as the cookie by the API's own Set-Cookie.
        type(driver, By.id("method-input"), "corp");
        type(driver, By.id("jwt-input"), jwt(List.of("sales")));
        driver.findElement(By.id("method-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"),
                "no role or policy bindings matched"));
        type(driver, By.id("jwt-input"), jwt(List.of("engineering")));
        driver.findElement(By.id("method-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Nodes"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main table tbody tr")));
        driver.findElement(By.linkText("Token")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Your token"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "readers"));
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("JWT-corp").contains("client");
        driver.findElement(By.linkText("Variables")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Variables"));
        assertThat(driver.findElement(By.tagName("main")).getText()).as("a reader lists no variables")
                .contains("No variables.");
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    }

    @SuppressWarnings("JavaUtilDate") // nimbus' claim setters take Date
    private static String jwt(List<String> groups) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                    new JWTClaimsSet.Builder().audience("taskapi").subject("alice").claim("groups", groups)
                            .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
            jwt.sign(new RSASSASigner(loginKeys.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A page of another site that makes the browser post a form to the proxy, with the visitor logged in there. */
    private static void crossSiteForm(WebDriver driver, HttpServer otherSite) {
        FluentWait<WebDriver> wait = waiting(driver);
        driver.get(proxy + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        type(driver, By.id("token-input"), token);
        driver.findElement(By.id("token-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-title"), "Nodes"));
        byte[] page = ("<!DOCTYPE html><title>another site</title><form id=f method=post enctype=text/plain action='"
                + proxy + "/v1/var/app/config'><input name='{\"Items\":{\"greeting\":\"' value='forged\"}}'>"
                + "<button id=go>go</button></form>").getBytes(StandardCharsets.UTF_8);
        otherSite.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherSite.start();
        driver.get("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
        driver.findElement(By.id("go")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Permission denied"));
        assertThat(driver.findElement(By.tagName("body")).getText())
                .contains("{\"errors\":[\"Permission denied: a state-changing request must come from this UI's own"
                        + " origin");
        assertThat(ok(ENV, "var", "get", "-item", "greeting", "app/config").out().trim())
                .isEqualTo("from the browser");
    }

    private static void filter(WebDriver driver, String expression) {
        type(driver, By.id("filter"), expression);
        driver.findElement(By.cssSelector("#filter-form button[type=submit]")).click();
    }

    /** A page re-renders as its data arrives: an element found a moment before may be gone; look it up again. */
    private static FluentWait<WebDriver> waiting(WebDriver driver) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private static void type(WebDriver driver, By field, String text) {
        waiting(driver).until(d -> {
            WebElement element = d.findElement(field);
            element.clear();
            element.sendKeys(text);
            return true;
        });
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code curl -s ARGS…}: {@code "<status> <body>"}. */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "-", "-w", "\n%{http_code}",
                "--max-time", "30"));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int newline = out.lastIndexOf('\n');
        return out.substring(newline + 1) + " " + out.substring(0, Math.max(newline, 0));
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
