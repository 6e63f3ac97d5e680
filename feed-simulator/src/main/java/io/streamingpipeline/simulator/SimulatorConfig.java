package io.streamingpipeline.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Everything a {@link FeedSimulator} can be told. Start from {@link #defaults()} and change fields with the
 * {@code withX} methods. Zero means "off" for every "every N" field.
 *
 * @param host                    interface to bind, {@code 127.0.0.1} by default
 * @param port                    0 picks a free port, see {@link FeedSimulator#port()}
 * @param token                   the only token accepted; null accepts any non-empty token. A secret: never printed
 * @param seed                    makes prices, volumes, conditions, duplicates and frame layout reproducible
 * @param tradesPerSecond         per connection; 0 sends as fast as the client reads
 * @param tradesPerFrame          most trades in one {@code "trade"} frame
 * @param pingInterval            between {@code {"type":"ping"}} frames; zero for none
 * @param maxSymbolsPerConnection past this a subscribe is answered with the too-many-symbols error
 * @param dropEveryTrades         drop a connection once it has been sent this many trades
 * @param dropEvery               drop a connection once it has been open this long; zero for never
 * @param dropMode                how a connection is dropped
 * @param maxDrops                drops over the simulator's life, then it behaves; {@link #UNLIMITED} by default
 * @param malformedEveryFrames    after every N-th trade frame, one malformed frame, cycling through {@link MalformedKind}
 * @param unknownTypeEveryFrames  after every N-th trade frame, one {@code {"type":"news",...}} frame
 * @param errorEveryFrames        after every N-th trade frame, one {@code {"type":"error",...}} frame
 * @param duplicateProbability    chance that a trade repeats the previous trade of its symbol exactly
 * @param replayFile              JSON-lines file of frames sent instead of generated trades; null to generate
 * @param replayFramesPerSecond   pace of the replay; 0 as fast as the client reads
 * @param recordTrades            keep every delivered trade in memory, see {@link FeedSimulator#deliveredTrades()}
 * @param stallResumeAfter        with {@link DropMode#STALL}: the stall is a slow path, not a dead one. The connection
 *                                reads nothing from the client (not even a close) and sends nothing for this long,
 *                                then sends {@link #STALL_BURST_FRAMES} trade frames it held back, reads again, and
 *                                streams on, or closes if a newer connection replaced it meanwhile; zero: the stall lasts
 * @param tls                     serve {@code wss://} with this key store; null for plain {@code ws://}
 */
public record SimulatorConfig(
        String host,
        int port,
        String token,
        long seed,
        int tradesPerSecond,
        int tradesPerFrame,
        Duration pingInterval,
        int maxSymbolsPerConnection,
        long dropEveryTrades,
        Duration dropEvery,
        DropMode dropMode,
        int maxDrops,
        int malformedEveryFrames,
        int unknownTypeEveryFrames,
        int errorEveryFrames,
        double duplicateProbability,
        Path replayFile,
        double replayFramesPerSecond,
        boolean recordTrades,
        Duration stallResumeAfter,
        TlsKeyStore tls) {

    public static final int UNLIMITED = Integer.MAX_VALUE;
    /** Trade frames a stalled connection sends when it resumes, see {@code stallResumeAfter}. */
    public static final int STALL_BURST_FRAMES = 10;

    public SimulatorConfig {
        require(host != null && !host.isBlank(), "host must not be blank");
        require(port >= 0 && port <= 65_535, "port must be 0..65535");
        require(token == null || !token.isEmpty(), "token must be null or non-empty");
        require(tradesPerSecond >= 0, "tradesPerSecond must be >= 0");
        require(tradesPerFrame >= 1, "tradesPerFrame must be >= 1");
        pingInterval = pingInterval == null ? Duration.ZERO : pingInterval;
        require(!pingInterval.isNegative(), "pingInterval must not be negative");
        require(maxSymbolsPerConnection >= 1, "maxSymbolsPerConnection must be >= 1");
        require(dropEveryTrades >= 0, "dropEveryTrades must be >= 0");
        dropEvery = dropEvery == null ? Duration.ZERO : dropEvery;
        require(!dropEvery.isNegative(), "dropEvery must not be negative");
        require(dropMode != null, "dropMode must be set");
        require(maxDrops >= 0, "maxDrops must be >= 0");
        require(malformedEveryFrames >= 0, "malformedEveryFrames must be >= 0");
        require(unknownTypeEveryFrames >= 0, "unknownTypeEveryFrames must be >= 0");
        require(errorEveryFrames >= 0, "errorEveryFrames must be >= 0");
        require(duplicateProbability >= 0 && duplicateProbability <= 1, "duplicateProbability must be 0..1");
        require(replayFramesPerSecond >= 0, "replayFramesPerSecond must be >= 0");
        stallResumeAfter = stallResumeAfter == null ? Duration.ZERO : stallResumeAfter;
        require(!stallResumeAfter.isNegative(), "stallResumeAfter must not be negative");
    }

    /**
     * Plain ws on 127.0.0.1, a free port, any token, seed 42, 1,000 trades/s in frames of up to 100, a ping a minute,
     * no faults.
     */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(
                "127.0.0.1",
                0,
                null,
                42L,
                1_000,
                100,
                Duration.ofSeconds(60),
                50,
                0,
                Duration.ZERO,
                DropMode.NORMAL,
                UNLIMITED,
                0,
                0,
                0,
                0.002,
                null,
                0,
                false,
                Duration.ZERO,
                null);
    }

    public SimulatorConfig withHost(String host) {
        return changed(d -> d.host = host);
    }

    public SimulatorConfig withPort(int port) {
        return changed(d -> d.port = port);
    }

    public SimulatorConfig withToken(String token) {
        return changed(d -> d.token = token);
    }

    public SimulatorConfig withSeed(long seed) {
        return changed(d -> d.seed = seed);
    }

    /** 0 = as fast as the client reads. */
    public SimulatorConfig withTradesPerSecond(int tradesPerSecond) {
        return changed(d -> d.tradesPerSecond = tradesPerSecond);
    }

    public SimulatorConfig withTradesPerFrame(int tradesPerFrame) {
        return changed(d -> d.tradesPerFrame = tradesPerFrame);
    }

    public SimulatorConfig withPingInterval(Duration pingInterval) {
        return changed(d -> d.pingInterval = pingInterval);
    }

    public SimulatorConfig withMaxSymbolsPerConnection(int maxSymbolsPerConnection) {
        return changed(d -> d.maxSymbolsPerConnection = maxSymbolsPerConnection);
    }

    /** Drop each connection after it has been sent {@code trades} trades, in the given mode. */
    public SimulatorConfig withDropEveryTrades(long trades, DropMode mode) {
        return changed(d -> {
            d.dropEveryTrades = trades;
            d.dropMode = mode;
        });
    }

    /** Drop each connection once it has been open for {@code every}, in the given mode. */
    public SimulatorConfig withDropEvery(Duration every, DropMode mode) {
        return changed(d -> {
            d.dropEvery = every;
            d.dropMode = mode;
        });
    }

    public SimulatorConfig withDropMode(DropMode dropMode) {
        return changed(d -> d.dropMode = dropMode);
    }

    public SimulatorConfig withMaxDrops(int maxDrops) {
        return changed(d -> d.maxDrops = maxDrops);
    }

    public SimulatorConfig withMalformedEveryFrames(int malformedEveryFrames) {
        return changed(d -> d.malformedEveryFrames = malformedEveryFrames);
    }

    public SimulatorConfig withUnknownTypeEveryFrames(int unknownTypeEveryFrames) {
        return changed(d -> d.unknownTypeEveryFrames = unknownTypeEveryFrames);
    }

    public SimulatorConfig withErrorEveryFrames(int errorEveryFrames) {
        return changed(d -> d.errorEveryFrames = errorEveryFrames);
    }

    public SimulatorConfig withDuplicateProbability(double duplicateProbability) {
        return changed(d -> d.duplicateProbability = duplicateProbability);
    }

    /** Replay the frames of a JSON-lines file (one frame a line) instead of generating trades. */
    public SimulatorConfig withReplay(Path replayFile, double framesPerSecond) {
        return changed(d -> {
            d.replayFile = replayFile;
            d.replayFramesPerSecond = framesPerSecond;
        });
    }

    public SimulatorConfig withRecordTrades(boolean recordTrades) {
        return changed(d -> d.recordTrades = recordTrades);
    }

    /** A {@link DropMode#STALL} that ends after {@code after}, see {@code stallResumeAfter}. */
    public SimulatorConfig withStallResumeAfter(Duration after) {
        return changed(d -> d.stallResumeAfter = after);
    }

    /** Serve {@code wss://} with this key store (see {@link TlsKeyStore#selfSigned}); null for {@code ws://}. */
    public SimulatorConfig withTls(TlsKeyStore tls) {
        return changed(d -> d.tls = tls);
    }

    /** Whether connections are ever dropped. */
    public boolean dropsConfigured() {
        return maxDrops > 0 && (dropEveryTrades > 0 || !dropEvery.isZero());
    }

    /** Like the record's, but the token is redacted: it is a secret. */
    @Override
    public String toString() {
        return "SimulatorConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "<any>" : "<redacted>")
                + ", seed=" + seed + ", tradesPerSecond=" + tradesPerSecond + ", tradesPerFrame=" + tradesPerFrame
                + ", pingInterval=" + pingInterval + ", maxSymbolsPerConnection=" + maxSymbolsPerConnection
                + ", dropEveryTrades=" + dropEveryTrades + ", dropEvery=" + dropEvery + ", dropMode=" + dropMode
                + ", maxDrops=" + (maxDrops == UNLIMITED ? "unlimited" : maxDrops)
                + ", malformedEveryFrames=" + malformedEveryFrames + ", unknownTypeEveryFrames="
                + unknownTypeEveryFrames
                + ", errorEveryFrames=" + errorEveryFrames + ", duplicateProbability=" + duplicateProbability
                + ", replayFile=" + replayFile + ", replayFramesPerSecond=" + replayFramesPerSecond
                + ", recordTrades=" + recordTrades + ", stallResumeAfter=" + stallResumeAfter + ", tls=" + tls + ']';
    }

    /** This config with what {@code change} sets on a draft of it. */
    private SimulatorConfig changed(Consumer<SimulatorConfigDraft> change) {
        SimulatorConfigDraft draft = new SimulatorConfigDraft(this);
        change.accept(draft);
        return draft.build();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
