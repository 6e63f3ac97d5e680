package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.contract.RejectReason;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InjectionTest extends SimulatorTestBase {

    @ParameterizedTest
    @EnumSource(MalformedKind.class)
    void eachMalformedKindYieldsExactlyOneDeadLetterWithItsReason(MalformedKind kind) {
        PriceWalk walk = PriceWalk.create(BTC, 42, 0, 0);
        walk.appendNextTrade(new StringBuilder(), System.currentTimeMillis(), null);

        FrameClassifier.Classified frame = FrameClassifier.classify(kind.render(walk, System.currentTimeMillis()));

        assertThat(frame.kind()).isEqualTo(FrameClassifier.Kind.REJECTED);
        assertThat(frame.rejections()).containsExactly(kind.expectedReason());
        assertThat(frame.trades()).isEmpty();
    }

    @Test
    void malformedFramesCoverEveryReasonAndMatchTheGroundTruth() throws Exception {
        SimulatorConfig config =
                quietConfig().withTradesPerSecond(20_000).withTradesPerFrame(10).withMalformedEveryFrames(3);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH);
            await().atMost(PATIENCE)
                    .until(() -> client.count(FrameClassifier.Kind.REJECTED) >= 2L * MalformedKind.values().length);
            client.unsubscribe(BTC, ETH);

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(simulator.groundTruth().malformedByReason()).isEqualTo(rejectionsByReason(client));
                assertThat(simulator.groundTruth().tradesBySymbol()).isEqualTo(client.tradesBySymbol());
            });
            List<FrameClassifier.Classified> rejected = client.classifiedFrames().stream()
                    .filter(frame -> frame.kind() == FrameClassifier.Kind.REJECTED)
                    .toList();
            assertThat(rejected)
                    .allSatisfy(frame -> assertThat(frame.rejections()).hasSize(1));
            assertThat(rejectionsByReason(client).keySet())
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(RejectReason.values())
                            // ids are the ingestor's, and only its producer finds a trade too large: a feed sends
                            // neither
                            .filter(r -> r != RejectReason.INVALID_ID && r != RejectReason.TOO_LARGE)
                            .map(RejectReason::label)
                            .toList());
            GroundTruth truth = simulator.groundTruth();
            assertThat(truth.malformedFrames()).isEqualTo(rejected.size());
            assertThat(truth.malformed(RejectReason.INVALID_PRICE)).isPositive();
            assertThat(truth.tradeFrames()).isEqualTo(client.count(FrameClassifier.Kind.TRADE));
        }
    }

    @Test
    void unknownTypeAndErrorFramesAreCounted() throws Exception {
        SimulatorConfig config = quietConfig()
                .withTradesPerSecond(20_000)
                .withTradesPerFrame(10)
                .withUnknownTypeEveryFrames(5)
                .withErrorEveryFrames(7);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> client.count(FrameClassifier.Kind.ERROR) >= 5);
            client.unsubscribe(BTC);

            await().atMost(PATIENCE).untilAsserted(() -> {
                GroundTruth truth = simulator.groundTruth();
                assertThat(truth.unknownTypeFrames()).isEqualTo(client.count(FrameClassifier.Kind.UNKNOWN_TYPE));
                assertThat(truth.errorFrames()).isEqualTo(client.count(FrameClassifier.Kind.ERROR));
                assertThat(truth.tradeFrames()).isEqualTo(client.count(FrameClassifier.Kind.TRADE));
            });
            assertThat(client.classifiedFrames())
                    .filteredOn(frame -> frame.kind() == FrameClassifier.Kind.UNKNOWN_TYPE)
                    .allSatisfy(frame ->
                            assertThat(frame.json().path("type").asText()).isEqualTo("news"));
            assertThat(client.frames()).contains(FeedFrames.INJECTED_ERROR_FRAME);
        }
    }

    private static Map<String, Long> rejectionsByReason(FeedTestClient client) {
        Map<String, Long> byReason = new TreeMap<>();
        for (FrameClassifier.Classified frame : client.classifiedFrames()) {
            frame.rejections().forEach(reason -> byReason.merge(reason.label(), 1L, Long::sum));
        }
        return byReason;
    }
}
