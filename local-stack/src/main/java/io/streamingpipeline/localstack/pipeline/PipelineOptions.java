package io.streamingpipeline.localstack.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Options of {@code ./pipeline run}; {@link #USAGE} documents them. */
record PipelineOptions(
        Path dataDir,
        boolean fresh,
        List<String> symbols,
        int simulatorRate,
        Duration duration,
        int kafkaPort,
        int cassandraPort,
        int sparkPort,
        int jobHealthPort,
        int ingestorPort,
        int simulatorPort,
        int queryPort,
        Duration progressEvery,
        Path repoRoot) {

    static final String USAGE = """
            usage: ./pipeline run [options]      the whole pipeline on the local stack (Ctrl-C stops it)
                   ./pipeline cql "<CQL>" [--data-dir <dir>]   a query against the running pipeline's Cassandra
                   ./pipeline daily-close|rollups|replay --day YYYY-MM-DD   day jobs on a stopped pipeline's data (--help)
              --symbols <a,b,...>     symbols to subscribe to (default BINANCE:BTCUSDT,BINANCE:ETHUSDT,BINANCE:SOLUSDT)
              --rate <n>              simulator trades/s when no FINNHUB_TOKEN is set (default 500)
              --duration <d>          stop after this long, e.g. 90s or 10m (default: until Ctrl-C)
              --data-dir <dir>        engines' data, checkpoints and logs; kept between runs (default ./data)
              --fresh                 delete the data dir first and start over
              --kafka-port <n>        Kafka on 127.0.0.1 (default 9092)
              --cassandra-port <n>    Cassandra CQL on 127.0.0.1 (default 9042)
              --spark-port <n>        Spark master on 127.0.0.1 (default 7077)
              --job-health-port <n>   the Spark job's /health and /metrics (default 8090)
              --ingestor-port <n>     ingestor HTTP port: /q/health, /q/metrics (default 8080)
              --simulator-port <n>    feed simulator port (default 8765)
              --query-port <n>        query service and live page, when built (default 8081)
              --progress-every <d>    progress line interval (default 5s)
            With FINNHUB_TOKEN (or FINNHUB_TOKEN_FILE) set, the ingestor reads the real Finnhub feed instead of the simulator.
            """;

    static PipelineOptions parse(List<String> args, Path repoRoot) {
        Path dataDir = Path.of("data");
        boolean fresh = false;
        List<String> symbols = List.of("BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT");
        int rate = 500;
        Duration duration = null;
        int kafkaPort = 9092;
        int cassandraPort = 9042;
        int sparkPort = 7077;
        int jobHealthPort = 8090;
        int ingestorPort = 8080;
        int simulatorPort = 8765;
        int queryPort = 8081;
        Duration progress = Duration.ofSeconds(5);
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.poll();
            String inline = null;
            if (flag.startsWith("--") && flag.contains("=")) {
                inline = flag.substring(flag.indexOf('=') + 1);
                flag = flag.substring(0, flag.indexOf('='));
            }
            switch (flag) {
                case "--fresh" -> fresh = true;
                case "--data-dir" -> dataDir = Path.of(value(flag, inline, rest));
                case "--symbols" -> symbols = List.of(value(flag, inline, rest).split(","));
                case "--rate" -> rate = positiveInt(flag, value(flag, inline, rest));
                case "--duration" -> duration = duration(flag, value(flag, inline, rest));
                case "--kafka-port" -> kafkaPort = port(flag, value(flag, inline, rest));
                case "--cassandra-port" -> cassandraPort = port(flag, value(flag, inline, rest));
                case "--spark-port" -> sparkPort = port(flag, value(flag, inline, rest));
                case "--job-health-port" -> jobHealthPort = port(flag, value(flag, inline, rest));
                case "--ingestor-port" -> ingestorPort = port(flag, value(flag, inline, rest));
                case "--simulator-port" -> simulatorPort = port(flag, value(flag, inline, rest));
                case "--query-port" -> queryPort = port(flag, value(flag, inline, rest));
                case "--progress-every" -> progress = duration(flag, value(flag, inline, rest));
                default -> throw new IllegalArgumentException("Unknown option " + flag + ".");
            }
        }
        return new PipelineOptions(
                dataDir.toAbsolutePath().normalize(),
                fresh,
                symbols,
                rate,
                duration,
                kafkaPort,
                cassandraPort,
                sparkPort,
                jobHealthPort,
                ingestorPort,
                simulatorPort,
                queryPort,
                progress,
                repoRoot.toAbsolutePath().normalize());
    }

    Path ingestorApp() {
        return repoRoot.resolve("ingestor/target/quarkus-app");
    }

    /** The query service is optional: its build needs npm. */
    Path queryApp() {
        return repoRoot.resolve("query-api/target/quarkus-app");
    }

    Path jobJar() {
        return repoRoot.resolve("spark-streaming/target/spark-streaming-job.jar");
    }

    static String value(String flag, String inline, Deque<String> rest) {
        String v = inline != null ? inline : rest.poll();
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(flag + " needs a value.");
        }
        return v.trim();
    }

    private static int positiveInt(String flag, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a positive whole number, was '" + v + "'.");
    }

    private static int port(String flag, String v) {
        int p = positiveInt(flag, v);
        if (p > 65_535) {
            throw new IllegalArgumentException(flag + " must be a port number (1-65535), was " + p + ".");
        }
        return p;
    }

    static Duration duration(String flag, String v) {
        try {
            String s = v.toLowerCase(java.util.Locale.ROOT);
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(s));
            }
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a duration such as 90s, 10m or 1h, was '" + v + "'.");
    }
}
