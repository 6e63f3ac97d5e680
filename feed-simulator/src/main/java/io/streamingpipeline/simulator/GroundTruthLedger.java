package io.streamingpipeline.simulator;

import io.streamingpipeline.contract.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The running counts behind {@link GroundTruth}; safe to update from every event loop at once. */
final class GroundTruthLedger {

    private static final Function<String, LongAdder> NEW_ADDER = key -> new LongAdder();

    private final Map<String, LongAdder> tradesBySymbol = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> malformedByReason = new ConcurrentHashMap<>();
    private final LongAdder totalTrades = new LongAdder();
    private final LongAdder tradeFrames = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder handshakesRejected = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private final LongAdder subscribes = new LongAdder();
    private final LongAdder tooManySymbolsErrors = new LongAdder();
    private final LongAdder errorFrames = new LongAdder();
    private final LongAdder unknownTypeFrames = new LongAdder();
    private final LongAdder malformedFrames = new LongAdder();
    private final LongAdder replayFrames = new LongAdder();
    private final boolean recording;
    private final List<DeliveredTrade> deliveredTrades = new ArrayList<>();

    GroundTruthLedger(boolean recording) {
        this.recording = recording;
    }

    void tradeBatchDelivered(TradeBatch batch) {
        for (int i = 0; i < batch.walks.length; i++) {
            int count = batch.tradesByWalk[i];
            if (count > 0) {
                tradesBySymbol
                        .computeIfAbsent(batch.walks[i].symbol(), NEW_ADDER)
                        .add(count);
            }
        }
        totalTrades.add(batch.size);
        tradeFrames.increment();
        record(batch.recorded);
    }

    void replayFrameDelivered(ReplayScript.Frame frame) {
        replayFrames.increment();
        switch (frame.kind()) {
            case TRADE -> {
                frame.tradesBySymbol()
                        .forEach((symbol, count) -> tradesBySymbol
                                .computeIfAbsent(symbol, NEW_ADDER)
                                .add(count));
                totalTrades.add(frame.trades().size());
                tradeFrames.increment();
                record(frame.trades());
            }
            case PING -> pings.increment();
            case ERROR -> errorFrames.increment();
            case UNKNOWN_TYPE -> unknownTypeFrames.increment();
            case OTHER -> {}
            default -> throw new IllegalStateException(frame.kind().name());
        }
    }

    void malformedDelivered(RejectReason expectedReason) {
        malformedByReason.computeIfAbsent(expectedReason.label(), NEW_ADDER).increment();
        malformedFrames.increment();
    }

    void pingDelivered() {
        pings.increment();
    }

    void connectionAccepted() {
        connectionsAccepted.increment();
    }

    void handshakeRejected() {
        handshakesRejected.increment();
    }

    void dropPerformed() {
        drops.increment();
    }

    void subscribed() {
        subscribes.increment();
    }

    void tooManySymbolsErrorDelivered() {
        tooManySymbolsErrors.increment();
    }

    void errorFrameDelivered() {
        errorFrames.increment();
    }

    void unknownTypeFrameDelivered() {
        unknownTypeFrames.increment();
    }

    GroundTruth snapshot() {
        return new GroundTruth(
                totalTrades.sum(),
                tradeFrames.sum(),
                pings.sum(),
                connectionsAccepted.sum(),
                handshakesRejected.sum(),
                drops.sum(),
                subscribes.sum(),
                tooManySymbolsErrors.sum(),
                errorFrames.sum(),
                unknownTypeFrames.sum(),
                malformedFrames.sum(),
                replayFrames.sum(),
                sums(tradesBySymbol),
                sums(malformedByReason));
    }

    List<DeliveredTrade> deliveredTrades() {
        synchronized (deliveredTrades) {
            return List.copyOf(deliveredTrades);
        }
    }

    void reset() {
        tradesBySymbol.clear();
        malformedByReason.clear();
        for (LongAdder adder : List.of(
                totalTrades,
                tradeFrames,
                pings,
                connectionsAccepted,
                handshakesRejected,
                drops,
                subscribes,
                tooManySymbolsErrors,
                errorFrames,
                unknownTypeFrames,
                malformedFrames,
                replayFrames)) {
            adder.reset();
        }
        synchronized (deliveredTrades) {
            deliveredTrades.clear();
        }
    }

    private void record(List<DeliveredTrade> trades) {
        if (recording && trades != null) {
            synchronized (deliveredTrades) {
                deliveredTrades.addAll(trades);
            }
        }
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        return adders.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
    }
}
