package io.streamingpipeline.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar feed-simulator-all.jar [flags]}: runs a {@link FeedSimulator} until SIGTERM or Ctrl-C.
 * Prints {@code SIMULATOR LISTENING ws://127.0.0.1:<port>/} once ready, then a ground-truth summary every 5 s.
 * Bad flags: one line on stderr and exit code 2.
 */
public final class FeedSimulatorMain {

    static final String USAGE = """
            usage: feed-simulator [flags]
              --host H                    interface to bind (127.0.0.1)
              --port N                    0 = any free port (0)
              --token T                   the only token accepted (any non-empty token if unset)
              --rate N                    trades/s per connection, 0 = as fast as possible (1000)
              --trades-per-frame N        (100)
              --seed N                    (42)
              --ping-interval-s S         0 = no pings (60)
              --max-symbols N             symbols per connection (50)
              --drop-every-trades N       drop each connection after N trades (off)
              --drop-every-s S            drop each connection after S seconds (off)
              --drop-mode M               NORMAL | ABNORMAL | STALL (NORMAL)
              --max-drops N               then behave (unlimited)
              --malformed-every-frames N  one malformed frame after every N trade frames (off)
              --unknown-type-every-frames N  one {"type":"news"} frame after every N trade frames (off)
              --error-every-frames N      one {"type":"error"} frame after every N trade frames (off)
              --duplicate-probability P   (0.002)
              --replay FILE               send the lines of a JSON-lines file instead of generated trades
              --replay-frames-per-s N     0 = as fast as possible (0)
              --record                    keep every delivered trade in memory
              --help""";

    private static final long SUMMARY_PERIOD_S = 5;
    private static final Set<String> FLAGS_WITH_VALUE = Set.of(
            "--host",
            "--port",
            "--token",
            "--rate",
            "--trades-per-frame",
            "--seed",
            "--ping-interval-s",
            "--max-symbols",
            "--drop-every-trades",
            "--drop-every-s",
            "--drop-mode",
            "--max-drops",
            "--malformed-every-frames",
            "--unknown-type-every-frames",
            "--error-every-frames",
            "--duplicate-probability",
            "--replay",
            "--replay-frames-per-s");

    private FeedSimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config;
        try {
            config = parseArguments(args);
        } catch (IllegalArgumentException e) {
            System.err.println("feed-simulator: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.println(USAGE);
            return;
        }
        FeedSimulator simulator;
        try {
            simulator = FeedSimulator.start(config);
        } catch (RuntimeException e) {
            System.err.println("feed-simulator: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "simulator-summary");
            thread.setDaemon(true);
            return thread;
        });
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            summaries.shutdownNow();
                            simulator.close();
                            System.out.println("SIMULATOR STOPPED "
                                    + simulator.groundTruth().summaryLine());
                            System.out.flush();
                            stopped.countDown();
                        },
                        "simulator-shutdown"));
        System.out.println("SIMULATOR LISTENING " + simulator.uri());
        System.out.flush();
        summaries.scheduleAtFixedRate(
                () -> System.out.println("SIMULATOR " + simulator.groundTruth().summaryLine()),
                SUMMARY_PERIOD_S,
                SUMMARY_PERIOD_S,
                TimeUnit.SECONDS);
        stopped.await();
    }

    /** The config the flags describe, or null when {@code --help} was asked for. */
    static SimulatorConfig parseArguments(String... args) {
        SimulatorConfig config = SimulatorConfig.defaults();
        Duration dropEvery = Duration.ZERO;
        long dropEveryTrades = 0;
        DropMode dropMode = DropMode.NORMAL;
        Path replayFile = null;
        double replayFramesPerSecond = 0;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = null;
            int equals = flag.indexOf('=');
            if (flag.startsWith("--") && equals > 0) {
                value = flag.substring(equals + 1);
                flag = flag.substring(0, equals);
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (flag.equals("--record")) {
                config = config.withRecordTrades(true);
                continue;
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'");
            }
            if (!FLAGS_WITH_VALUE.contains(flag)) {
                throw new IllegalArgumentException("unknown flag " + flag);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--host" -> config = config.withHost(value);
                case "--port" -> config = config.withPort(integer(flag, value, 0, 65_535));
                case "--token" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("--token must not be empty");
                    }
                    config = config.withToken(value);
                }
                case "--rate" -> config = config.withTradesPerSecond(integer(flag, value, 0, Integer.MAX_VALUE));
                case "--trades-per-frame" -> config = config.withTradesPerFrame(integer(flag, value, 1, 100_000));
                case "--seed" -> config = config.withSeed(longInteger(flag, value, Long.MIN_VALUE));
                case "--ping-interval-s" -> config = config.withPingInterval(seconds(flag, value));
                case "--max-symbols" ->
                    config = config.withMaxSymbolsPerConnection(integer(flag, value, 1, Integer.MAX_VALUE));
                case "--drop-every-trades" -> dropEveryTrades = longInteger(flag, value, 0);
                case "--drop-every-s" -> dropEvery = seconds(flag, value);
                case "--drop-mode" -> dropMode = dropMode(value);
                case "--max-drops" -> config = config.withMaxDrops(integer(flag, value, 0, Integer.MAX_VALUE));
                case "--malformed-every-frames" ->
                    config = config.withMalformedEveryFrames(integer(flag, value, 0, Integer.MAX_VALUE));
                case "--unknown-type-every-frames" ->
                    config = config.withUnknownTypeEveryFrames(integer(flag, value, 0, Integer.MAX_VALUE));
                case "--error-every-frames" ->
                    config = config.withErrorEveryFrames(integer(flag, value, 0, Integer.MAX_VALUE));
                case "--duplicate-probability" -> config = config.withDuplicateProbability(probability(flag, value));
                case "--replay" -> {
                    replayFile = Path.of(value);
                    if (!Files.isReadable(replayFile)) {
                        throw new IllegalArgumentException("--replay: cannot read " + value);
                    }
                }
                case "--replay-frames-per-s" -> replayFramesPerSecond = decimal(flag, value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return config.withDropEveryTrades(dropEveryTrades, dropMode)
                .withDropEvery(dropEvery, dropMode)
                .withReplay(replayFile, replayFramesPerSecond);
    }

    private static int integer(String flag, String value, int min, int max) {
        long parsed = longInteger(flag, value, min);
        if (parsed > max) {
            throw new IllegalArgumentException(flag + " must be at most " + max + ", not " + value);
        }
        return (int) parsed;
    }

    private static long longInteger(String flag, String value, long min) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, not '" + value + "'");
        }
        if (parsed < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", not " + value);
        }
        return parsed;
    }

    private static double decimal(String flag, String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, not '" + value + "'");
        }
        if (!(parsed >= 0) || Double.isInfinite(parsed)) {
            throw new IllegalArgumentException(flag + " must be a finite number >= 0, not " + value);
        }
        return parsed;
    }

    private static double probability(String flag, String value) {
        double parsed = decimal(flag, value);
        if (parsed > 1) {
            throw new IllegalArgumentException(flag + " must be between 0 and 1, not " + value);
        }
        return parsed;
    }

    private static Duration seconds(String flag, String value) {
        return Duration.ofMillis(Math.round(decimal(flag, value) * 1000));
    }

    private static DropMode dropMode(String value) {
        try {
            return DropMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--drop-mode must be NORMAL, ABNORMAL or STALL, not '" + value + "'");
        }
    }
}
