package io.streamingpipeline.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.testing.TradeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Contract-valid trades (UUIDv7 ids, as the ingestor assigns them) and a producer that writes them as the ingestor does. */
final class TestTrades {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();
    private static final List<List<String>> CONDITIONS =
            java.util.Arrays.asList(null, List.of(), List.of("1"), List.of("12", "37"), List.of("1", "1"));

    private TestTrades() {}

    /**
     * {@code count} trades of {@code symbols}, trade times from {@code firstMillis} spread over {@code spanMillis} in
     * random order, with repeated trade times (open/close ties), prices and volumes with many digits, some volume 0,
     * and every kind of conditions (null, empty, repeated codes).
     */
    static List<Trade> random(long seed, int count, List<String> symbols, long firstMillis, long spanMillis) {
        Random random = new Random(seed);
        List<Trade> trades = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String symbol = symbols.get(random.nextInt(symbols.size()));
            // every 10th trade shares its time with the previous one: ties for open/close
            long time = i % 10 == 9
                    ? trades.get(i - 1).timestampUnix()
                    : firstMillis + (long) (random.nextDouble() * spanMillis);
            double price = 100 + random.nextDouble() * 50_000;
            double volume = i % 50 == 7 ? 0.0 : random.nextDouble() * 3;
            trades.add(TradeBuilder.trade()
                    .id(UUID_V7.generate())
                    .symbol(symbol)
                    .price(price)
                    .volume(volume)
                    .timestampUnix(time)
                    .conditions(CONDITIONS.get(random.nextInt(CONDITIONS.size())))
                    .ingestedAt(time + 5 + random.nextInt(500))
                    .build());
        }
        return trades;
    }

    static String json(Trade trade) {
        try {
            return JSON.writeValueAsString(trade);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A producer with acks=all and idempotence, as the ingestor's; key = symbol. */
    static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Sends every trade (key = symbol) and waits for every acknowledgement. */
    static void produce(String bootstrapServers, String topic, List<Trade> trades) {
        try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (Trade t : trades) {
                acks.add(producer.send(new ProducerRecord<>(topic, t.symbol(), json(t))));
            }
            awaitAll(acks);
        }
    }

    /** Sends raw records (key, value; either may be null) and waits for the acknowledgements. */
    static void produceRaw(String bootstrapServers, String topic, List<String[]> keyValues) {
        try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String[] kv : keyValues) {
                acks.add(producer.send(new ProducerRecord<>(topic, kv[0], kv[1])));
            }
            awaitAll(acks);
        }
    }

    static void awaitAll(List<Future<RecordMetadata>> acks) {
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("A record was not acknowledged", e);
        }
    }
}
