package io.streamingpipeline.simulator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link SimulatorConfig}'s values as fields to change: what its {@code withX} methods copy, change and build again
 * (the record's constructor checks the result).
 */
final class SimulatorConfigDraft {

    String host;
    int port;
    String token;
    long seed;
    int tradesPerSecond;
    int tradesPerFrame;
    Duration pingInterval;
    int maxSymbolsPerConnection;
    long dropEveryTrades;
    Duration dropEvery;
    DropMode dropMode;
    int maxDrops;
    int malformedEveryFrames;
    int unknownTypeEveryFrames;
    int errorEveryFrames;
    double duplicateProbability;
    Path replayFile;
    double replayFramesPerSecond;
    boolean recordTrades;
    Duration stallResumeAfter;
    TlsKeyStore tls;

    SimulatorConfigDraft(SimulatorConfig c) {
        host = c.host();
        port = c.port();
        token = c.token();
        seed = c.seed();
        tradesPerSecond = c.tradesPerSecond();
        tradesPerFrame = c.tradesPerFrame();
        pingInterval = c.pingInterval();
        maxSymbolsPerConnection = c.maxSymbolsPerConnection();
        dropEveryTrades = c.dropEveryTrades();
        dropEvery = c.dropEvery();
        dropMode = c.dropMode();
        maxDrops = c.maxDrops();
        malformedEveryFrames = c.malformedEveryFrames();
        unknownTypeEveryFrames = c.unknownTypeEveryFrames();
        errorEveryFrames = c.errorEveryFrames();
        duplicateProbability = c.duplicateProbability();
        replayFile = c.replayFile();
        replayFramesPerSecond = c.replayFramesPerSecond();
        recordTrades = c.recordTrades();
        stallResumeAfter = c.stallResumeAfter();
        tls = c.tls();
    }

    SimulatorConfig build() {
        return new SimulatorConfig(
                host,
                port,
                token,
                seed,
                tradesPerSecond,
                tradesPerFrame,
                pingInterval,
                maxSymbolsPerConnection,
                dropEveryTrades,
                dropEvery,
                dropMode,
                maxDrops,
                malformedEveryFrames,
                unknownTypeEveryFrames,
                errorEveryFrames,
                duplicateProbability,
                replayFile,
                replayFramesPerSecond,
                recordTrades,
                stallResumeAfter,
                tls);
    }
}
