package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.ingestor.publish.Lz4Library;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.simulator.DeliveredTrade;
import io.streamingpipeline.simulator.DropMode;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The packaged ingestor against the simulator and a real Kafka broker of the local stack. */
class IngestToKafkaIT {

    static final String TOKEN = "it-token-0a1b2c3d4e5f6789";
    static final String SYMBOLS = "BINANCE:BTCUSDT,BINANCE:ETHUSDT,COINBASE:BTC-USD";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tradesArriveExactlyAsSentThroughFiveDropsAndBadFramesReachTheDeadLetterTopic() throws Exception {
        Topics topics = Topics.create("drops");
        SimulatorConfig config = SimulatorConfig.defaults()
                .withToken(TOKEN)
                .withTradesPerSecond(4000)
                .withTradesPerFrame(40)
                .withDropEveryTrades(3000, DropMode.ABNORMAL)
                .withMaxDrops(5)
                .withMalformedEveryFrames(25)
                .withUnknownTypeEveryFrames(40)
                .withPingInterval(Duration.ofSeconds(1))
                .withRecordTrades(true);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor = PackagedIngestor.start("drops", env(simulator, topics, TOKEN))) {
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> simulator.groundTruth().drops() >= 5
                            && simulator.groundTruth().totalTrades() >= 20_000);
            simulator.close();
            GroundTruth truth = simulator.groundTruth();

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> SharedKafka.recordCount(topics.trades) >= truth.totalTrades());
            List<TopicRecord> records = SharedKafka.readAll(topics.trades, Duration.ofSeconds(30));
            assertThat(records).hasSize((int) truth.totalTrades());
            assertSameTradesPerSymbol(simulator.deliveredTrades(), records);

            List<TopicRecord> letters =
                    SharedKafka.readAtLeast(topics.deadLetters, (int) truth.malformedFrames(), Duration.ofSeconds(30));
            Map<String, Long> byReason = new TreeMap<>();
            for (TopicRecord r : letters) {
                DeadLetter letter = JSON.readValue(r.value(), DeadLetter.class);
                assertThat(r.key()).isEqualTo(letter.reason());
                assertThat(letter.source()).isEqualTo("ingestor");
                assertThat(letter.raw()).isNotEmpty();
                byReason.merge(letter.reason(), 1L, Long::sum);
            }
            assertThat(byReason).isEqualTo(new TreeMap<>(truth.malformedByReason()));

            PrometheusText metrics = ingestor.metrics();
            assertThat(metrics.value("ingestor_feed_reconnects_total")).isGreaterThanOrEqualTo(5);
            assertThat(metrics.value("ingestor_trades_published_total")).isEqualTo(truth.totalTrades());
            assertThat(metrics.value("ingestor_publish_latency_seconds_count"))
                    .as("one publish latency per trade frame, once Kafka has answered for each of its trades")
                    .isEqualTo(truth.tradeFrames());
            assertThat(metrics.value("ingestor_trades_lost_total")).isZero();
            assertThat(truth.subscribes())
                    .as("subscribed again after every reconnect")
                    .isGreaterThanOrEqualTo(6L * 3);

            assertThat(ingestor.terminate(Duration.ofSeconds(60)))
                    .as("exit code after SIGTERM")
                    .isIn(0, 143);
            assertThat(ingestor.log())
                    .contains("every trade read was acknowledged by Kafka")
                    .as("Kafka's lz4 codec compresses with the JNI library, and the records above decode")
                    .contains(Lz4Library.JNI)
                    .doesNotContain(TOKEN);
        }
    }

    /** Kafka keeps order per partition, hence per symbol (the key): the sequence of each symbol must be the one sent. */
    static void assertSameTradesPerSymbol(List<DeliveredTrade> delivered, List<TopicRecord> records) throws Exception {
        Map<String, List<DeliveredTrade>> sent = delivered.stream()
                .collect(Collectors.groupingBy(DeliveredTrade::symbol, LinkedHashMap::new, Collectors.toList()));
        Map<String, List<Trade>> got = new LinkedHashMap<>();
        List<TopicRecord> ordered = new ArrayList<>(records);
        ordered.sort((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        HashSet<Object> ids = new HashSet<>();
        for (TopicRecord r : ordered) {
            JsonNode node = JSON.readTree(r.value());
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyElementsOf(TradeContract.Fields.ALL);
            Trade t = JSON.treeToValue(node, Trade.class);
            assertThat(r.key()).isEqualTo(t.symbol());
            assertThat(t.id().version()).isEqualTo(7);
            assertThat(ids.add(t.id())).as("unique id").isTrue();
            got.computeIfAbsent(t.symbol(), s -> new ArrayList<>()).add(t);
        }
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (var e : sent.entrySet()) {
            List<Trade> mine = got.get(e.getKey());
            assertThat(mine).as(e.getKey()).hasSize(e.getValue().size());
            for (int i = 0; i < mine.size(); i++) {
                DeliveredTrade d = e.getValue().get(i);
                Trade t = mine.get(i);
                assertThat(List.of(t.price(), t.volume(), t.timestampUnix()))
                        .as(e.getKey() + " #" + i)
                        .isEqualTo(List.of(d.price(), d.volume(), d.timestamp()));
                assertThat(t.conditions()).isEqualTo(d.conditions());
            }
        }
    }

    static Map<String, String> env(FeedSimulator simulator, Topics topics, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FINNHUB_URL", simulator.uri().toString());
        env.put(TradeContract.Env.FINNHUB_TOKEN, token);
        env.put("FINNHUB_SYMBOLS", SYMBOLS);
        env.put("FINNHUB_RECONNECT_INITIAL_BACKOFF", "100ms");
        env.put("FINNHUB_RECONNECT_MAX_BACKOFF", "2s");
        env.put(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, topics.bootstrap);
        env.put(TradeContract.Env.TRADES_TOPIC, topics.trades);
        env.put(TradeContract.Env.DEAD_LETTER_TOPIC, topics.deadLetters);
        return env;
    }

    /** Topics of one test on the shared broker, so that tests do not see each other's records. */
    record Topics(String bootstrap, String trades, String deadLetters) {
        /** The contract's topics on a test's own broker (which the test stops, stalls or restarts). */
        static Topics on(KafkaBroker broker) {
            broker.createTopics(Topic.defaultPartitionsByName());
            return new Topics(broker.bootstrapServers(), TradeContract.TRADES_TOPIC, TradeContract.DEAD_LETTER_TOPIC);
        }

        static Topics create(String name) {
            Topics t = new Topics(
                    SharedKafka.bootstrapServers(),
                    TradeContract.TRADES_TOPIC + "_" + name,
                    TradeContract.DEAD_LETTER_TOPIC + "_" + name);
            SharedKafka.createTopics(
                    Map.of(t.trades, Topic.TRADES.partitions(), t.deadLetters, Topic.DEAD_LETTERS.partitions()));
            return t;
        }
    }
}
