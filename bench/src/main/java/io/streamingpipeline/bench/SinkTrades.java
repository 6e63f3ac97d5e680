package io.streamingpipeline.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** bench/sink's input: contract-valid trades, their {@code (symbol, day)} partitions, and their preload into Kafka. */
final class SinkTrades {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<List<String>> CONDITIONS =
            java.util.Arrays.asList(null, List.of(), List.of("1"), List.of("12", "37"));

    private SinkTrades() {}

    /**
     * {@code n} contract-valid trades over {@code symbols}, trade times in order over the last ten minutes (a feed's
     * order), UUIDv7 ids generated now (as the ingestor assigns them), every kind of conditions; a field of the contract
     * without a value of its own here gets its {@link TradeField#sampleValue}.
     */
    static List<Trade> trades(int n, long seed, List<String> symbols) {
        Random random = new Random(seed);
        TimeBasedEpochGenerator uuid = Generators.timeBasedEpochGenerator();
        long end = System.currentTimeMillis() - 60_000;
        long span = 600_000;
        List<Trade> trades = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long time = end - span + (long) ((double) i / n * span);
            trades.add(Trade.of(field -> switch (field) {
                case ID -> uuid.generate();
                case SYMBOL -> symbols.get(random.nextInt(symbols.size()));
                case PRICE -> 100 + random.nextDouble() * 50_000;
                case VOLUME -> random.nextDouble() * 3;
                case TIMESTAMP_UNIX -> time;
                case CONDITIONS -> CONDITIONS.get(random.nextInt(CONDITIONS.size()));
                case INGESTED_AT -> time + 5 + random.nextInt(200);
                default -> field.sampleValue(time);
            }));
        }
        return trades;
    }

    static String day(long timestampUnix) {
        return LocalDate.ofEpochDay(Math.floorDiv(timestampUnix, 86_400_000L)).toString();
    }

    static Set<List<String>> partitions(List<Trade> trades) {
        Set<List<String>> partitions = new LinkedHashSet<>();
        for (Trade t : trades) {
            partitions.add(List.of(t.symbol(), day(t.timestampUnix())));
        }
        return partitions;
    }

    /** Sends every trade as the ingestor does (contract JSON, key = symbol, acks=all, idempotence, lz4). */
    static void preload(KafkaBroker kafka, List<Trade> trades) throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "67108864");
        long t0 = System.nanoTime();
        AtomicReference<Exception> error = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long bytes = 0;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Trade t : trades) {
                String json = json(t);
                bytes += json.length();
                producer.send(new ProducerRecord<>(TradeContract.TRADES_TOPIC, t.symbol(), json), (md, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (error.get() != null || acked.get() != trades.size()) {
            throw new IllegalStateException(
                    "preload: " + acked.get() + " of " + trades.size() + " acknowledged", error.get());
        }
        long inTopic = kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        System.out.printf(
                Locale.ROOT,
                "preload: %,d trades (%d bytes of JSON on average) in %s in %.1f s; end offsets sum %,d%n",
                trades.size(),
                bytes / trades.size(),
                TradeContract.TRADES_TOPIC,
                (System.nanoTime() - t0) / 1e9,
                inTopic);
        if (inTopic != trades.size()) {
            throw new IllegalStateException("topic holds " + inTopic + " records, expected " + trades.size());
        }
    }

    static String json(Trade trade) {
        try {
            return JSON.writeValueAsString(trade);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
