package io.streamingpipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.query.testing.FakePipelineResource;
import io.streamingpipeline.query.testing.TestTables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on the shared Cassandra node, its page in headless Chromium (src/test/js/live-page.mjs with
 * playwright-core): no console errors, the seeded candles on the chart, a candle written now appears live, the 7-day
 * range shows the hourly candles and the 1-year range the daily ones (without the live stream), and the pipeline panel
 * shows the ingestor's feed gaps (a stand-in ingestor, {@link FakePipelineResource}). Screenshots:
 * target/browser-test/live-page.png, live-page-7d.png. Without node or chromium the test is skipped, and fails under
 * CI=true.
 */
class LivePageIT {

    static final String SYMBOL = "TEST:LIVEPAGE";
    static final String KEYSPACE = "query_api_it";
    static final int SEEDED = 60;
    /** Hourly candles of the three days before today: the 7-day range shows them. */
    static final int SEEDED_HOURS = 72;
    /** Daily candles of the 20 days before today: the 1-year range shows them. */
    static final int SEEDED_DAYS = 20;

    static final Path ARTIFACTS = Path.of(System.getProperty("query.it.artifacts", "target/browser-test"));
    static final long HOUR = Duration.ofHours(1).toMillis();
    static final long DAY = Duration.ofDays(1).toMillis();
    static final Path SCRIPT = Path.of(System.getProperty("query.it.browser-script", "src/test/js/live-page.mjs"));

    @Test
    void liveChartShowsSeededCandlesThenANewOneWithoutReload() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        requireTool(Files.isExecutable(chromium), "chromium (" + chromium + "): apt-get install -y chromium");
        requireTool(commandWorks("node", "--version"), "node: apt-get install -y nodejs npm");
        requireTool(
                Files.isDirectory(Path.of("node_modules", "playwright-core")),
                "node_modules/playwright-core: npm ci in query-api");
        Files.createDirectories(ARTIFACTS);

        CassandraNode cassandra = SharedCassandra.get();
        long now = System.currentTimeMillis();
        long currentMinute = now / 60_000 * 60_000;
        long firstMinute = currentMinute - (SEEDED + 10) * 60_000L;
        try (CqlSession session = cassandra.session()) {
            TestTables tables = new TestTables(session, KEYSPACE).applySchema();
            double price = 100;
            for (int i = 0; i < SEEDED; i++) {
                double close = price + Math.sin(i / 5.0) * 2;
                tables.candle(
                        SYMBOL,
                        firstMinute + i * 60_000L,
                        price,
                        Math.max(price, close) + 1,
                        Math.min(price, close) - 1,
                        close,
                        10 + i,
                        20 + i,
                        (price + close) / 2);
                price = close;
            }
            for (int i = 0; i < 20; i++) {
                tables.trade(SYMBOL, now - i * 1000L, UUID.randomUUID(), price + i * 0.01, 0.1 * (i + 1));
            }
            long today = now / DAY * DAY;
            clearRollups(session, today);
            for (int i = 0; i < SEEDED_HOURS; i++) {
                double close = price + Math.cos(i / 6.0) * 3;
                tables.hourlyCandle(
                        SYMBOL,
                        today - (SEEDED_HOURS - i) * HOUR,
                        price,
                        Math.max(price, close) + 1,
                        Math.min(price, close) - 1,
                        close,
                        600,
                        close);
                price = close;
            }
            for (int i = 0; i < SEEDED_DAYS; i++) {
                tables.dailyCandle(
                        SYMBOL, today - (SEEDED_DAYS - i) * DAY, 100 + i, 104 + i, 98 + i, 101 + i, 9000, 100.5);
            }
        }
        Path secret = Files.writeString(ARTIFACTS.resolve("cassandra-password"), cassandra.password() + "\n");
        Map<String, String> env = Map.of(
                "QUARKUS_CASSANDRA_CONTACT_POINTS",
                cassandra.contactPoint(),
                "QUARKUS_CASSANDRA_AUTH_USERNAME",
                cassandra.username(),
                // the file wins over the variable: the service only connects if it does
                "QUARKUS_CASSANDRA_AUTH_PASSWORD",
                "not-the-password",
                "QUERY_CASSANDRA_PASSWORD_FILE",
                secret.toAbsolutePath().toString(),
                "QUERY_KEYSPACE",
                KEYSPACE,
                "QUERY_SYMBOLS",
                SYMBOL + ",BINANCE:BTCUSDT");
        FakePipelineResource ingestor = new FakePipelineResource();
        Map<String, String> withIngestor = new HashMap<>(env);
        ingestor.start()
                .forEach((key, value) ->
                        withIngestor.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        try (IngestorProcess app = IngestorProcess.builder(Path.of("target", "quarkus-app"))
                .log(ARTIFACTS.resolve("query-api.log"))
                .env(withIngestor)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.status("/q/health/ready") == 200);
            String url = "http://127.0.0.1:" + app.httpPort() + "/?symbol=" + SYMBOL + "&hours=2";
            runBrowser(url, chromium, () -> {
                try (CqlSession session = cassandra.session()) {
                    long minute = System.currentTimeMillis() / 60_000 * 60_000;
                    new TestTables(session, KEYSPACE).candle(SYMBOL, minute, 101, 104, 100, 103, 5, 9, 102.0);
                }
            });
            assertThat(ARTIFACTS.resolve("live-page.png")).isNotEmptyFile();
            assertThat(ARTIFACTS.resolve("live-page-7d.png")).isNotEmptyFile();
            assertThat(app.log()).doesNotContain("ERROR");
        } finally {
            ingestor.stop();
        }
    }

    /** Rollup rows of an earlier run on a kept data dir (-Dlocalstack.shared.cassandra.dir) would change the counts. */
    private static void clearRollups(CqlSession session, long today) {
        Set<String> months = new TreeSet<>();
        Set<String> years = new TreeSet<>();
        for (int back = 0; back <= SEEDED_DAYS + 1; back++) {
            ZonedDateTime day = Instant.ofEpochMilli(today - back * DAY).atZone(ZoneOffset.UTC);
            months.add(YearMonth.from(day).toString());
            years.add(Integer.toString(day.getYear()));
        }
        for (String month : months) {
            session.execute(
                    "DELETE FROM " + KEYSPACE + ".crypto_candles_1h WHERE symbol = ? AND month = ?", SYMBOL, month);
        }
        for (String year : years) {
            session.execute(
                    "DELETE FROM " + KEYSPACE + ".crypto_candles_1d WHERE symbol = ? AND year = ?", SYMBOL, year);
        }
    }

    private static void runBrowser(String url, Path chromium, Runnable writeNewCandle) throws Exception {
        Path screenshot = ARTIFACTS.resolve("live-page.png").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(
                        "node",
                        SCRIPT.toAbsolutePath().toString(),
                        url,
                        screenshot.toString(),
                        Integer.toString(SEEDED),
                        Integer.toString(SEEDED_HOURS),
                        Integer.toString(SEEDED_DAYS))
                .redirectErrorStream(true);
        pb.environment().put("CHROMIUM", chromium.toString());
        Process node = pb.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                System.out.println("[live-page.mjs] " + line);
                if (line.startsWith("WAITING_FOR_NEW_CANDLE")) {
                    writeNewCandle.run();
                }
            }
            if (!node.waitFor(90, TimeUnit.SECONDS)) {
                fail("the browser script did not finish:\n" + String.join("\n", output));
            }
            Files.write(ARTIFACTS.resolve("live-page.out"), output);
            assertThat(node.exitValue())
                    .as("browser script output:\n" + String.join("\n", output))
                    .isZero();
            assertThat(output).contains("PASSED");
        } finally {
            if (node.isAlive()) {
                node.destroyForcibly();
                node.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void requireTool(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and the browser test needs " + what);
        }
        Assumptions.abort("skipped: the browser test needs " + what);
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
