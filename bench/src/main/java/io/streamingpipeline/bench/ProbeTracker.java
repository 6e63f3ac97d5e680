package io.streamingpipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Follows the probe symbol's trades through the pipeline, without reading the load:
 * <ul>
 *   <li>Kafka: a consumer on the one partition the probe symbol's key hashes to (the producer's murmur2 partitioner),
 *   from its end at start; for each probe record: the wall-clock time it was first read, its CreateTime (set by the
 *   ingestor's producer at {@code send}), and the id, trade time and ingestion time of its value (a {@link Trade});</li>
 *   <li>the sink ({@link ProbeSink}: the job's Cassandra table, or the floor query's file): polled every
 *   {@code pollMillis} from the oldest probe trade read from Kafka and not yet seen there (rows of one micro-batch land
 *   in any order); the first time a trade's id shows up is its "readable in the sink" time.</li>
 * </ul>
 * All times are {@link System#currentTimeMillis()} of this machine, the clock the simulator stamps {@code t} with.
 */
final class ProbeTracker implements AutoCloseable {

    /** One probe trade as read from Kafka. */
    record KafkaProbe(UUID id, long tradeMillis, long ingestedAt, long createTime, long kafkaReadMillis) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Probe trades unseen for longer than this no longer hold back the poll's lower bound (counted as lagging). */
    private static final long GIVE_UP_MILLIS = Duration.ofMinutes(5).toMillis();

    private final String symbol;
    private final long pollMillis;
    private final Map<UUID, KafkaProbe> fromKafka = new ConcurrentHashMap<>();
    private final Map<UUID, Long> seenInSink = new ConcurrentHashMap<>();
    /**
     * Probe trades read from Kafka that may not be in the sink yet, oldest first: the poll's lower bound is the first
     * one still unseen, found without walking every probe of the run (an hour holds 72,000 at 20/s).
     */
    private final NavigableSet<KafkaProbe> unseen = new ConcurrentSkipListSet<>(
            Comparator.comparingLong(KafkaProbe::tradeMillis).thenComparing(KafkaProbe::id));

    private final AtomicLong newestTradeMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pollNanos = new AtomicLong();
    private final AtomicLong rowsRead = new AtomicLong();
    private final KafkaConsumer<String, byte[]> consumer;
    private final ProbeSink sink;
    private final Thread kafkaThread;
    private final Thread sinkThread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** Follows {@code symbol} on the contract's trades topic (its default name and partitions) into {@code sink}. */
    ProbeTracker(String bootstrapServers, ProbeSink sink, String symbol, long pollMillis) {
        this.symbol = symbol;
        this.pollMillis = pollMillis;
        this.sink = sink;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "latency-probe");
        consumer = new KafkaConsumer<>(props);
        TopicPartition partition =
                new TopicPartition(TradeContract.TRADES_TOPIC, partitionOf(symbol, Topic.TRADES.partitions()));
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        kafkaThread = new Thread(this::readKafka, "probe-kafka");
        sinkThread = new Thread(this::pollSink, "probe-sink");
        kafkaThread.setDaemon(true);
        sinkThread.setDaemon(true);
        kafkaThread.start();
        sinkThread.start();
    }

    /** The partition the producer's default partitioner gives a record keyed {@code key}. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void readKafka() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (!symbol.equals(r.key())) {
                        continue;
                    }
                    Trade trade = JSON.readValue(r.value(), Trade.class);
                    KafkaProbe probe =
                            new KafkaProbe(trade.id(), trade.timestampUnix(), trade.ingestedAt(), r.timestamp(), now);
                    if (fromKafka.putIfAbsent(trade.id(), probe) == null) {
                        unseen.add(probe);
                        newestTradeMillis.accumulateAndGet(probe.tradeMillis(), Math::max);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close()
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollSink() {
        long next = System.nanoTime();
        while (running) {
            try {
                long now = System.currentTimeMillis();
                long from = lowerBound(unseen, seenInSink, newestTradeMillis.get(), now);
                long t0 = System.nanoTime();
                sink.poll(from, now, id -> {
                    rowsRead.incrementAndGet();
                    seenInSink.putIfAbsent(id, now);
                });
                pollNanos.addAndGet(System.nanoTime() - t0);
                polls.incrementAndGet();
            } catch (RuntimeException e) {
                if (running) {
                    failure = e;
                }
            }
            next += pollMillis * 1_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    /**
     * The trade time of the oldest probe in {@code unseen} not yet in the sink; without one, a little before the
     * newest. Drops from the head of {@code unseen} the probes seen since, and those given up on.
     */
    static long lowerBound(
            NavigableSet<KafkaProbe> unseen, Map<UUID, Long> seenInSink, long newestTradeMillis, long now) {
        long oldestUnseen = Long.MAX_VALUE;
        for (Iterator<KafkaProbe> head = unseen.iterator(); head.hasNext(); ) {
            KafkaProbe p = head.next();
            if (p.tradeMillis() > now - GIVE_UP_MILLIS && !seenInSink.containsKey(p.id())) {
                oldestUnseen = p.tradeMillis();
                break;
            }
            head.remove();
        }
        long newest = Math.max(now - 10_000, newestTradeMillis);
        // a margin for trades not read from Kafka yet whose time lies a little before the newest (timestamp jitter)
        return Math.min(oldestUnseen, newest - 500);
    }

    /** Probe trades read from Kafka whose trade time is in {@code [fromMillis, toMillis)}. */
    List<KafkaProbe> probesBetween(long fromMillis, long toMillis) {
        List<KafkaProbe> list = new ArrayList<>();
        for (KafkaProbe p : fromKafka.values()) {
            if (p.tradeMillis() >= fromMillis && p.tradeMillis() < toMillis) {
                list.add(p);
            }
        }
        return list;
    }

    /** When {@code id} was first read from the sink (Cassandra for the job), or null. */
    Long seenInSink(UUID id) {
        return seenInSink.get(id);
    }

    /** The newest probe trade seen in the sink: its end-to-end latency (ms), or -1. */
    long latestEndToEndMillis() {
        long latestTrade = -1;
        long latency = -1;
        for (KafkaProbe p : fromKafka.values()) {
            Long seen = seenInSink.get(p.id());
            if (seen != null && p.tradeMillis() > latestTrade) {
                latestTrade = p.tradeMillis();
                latency = seen - p.tradeMillis();
            }
        }
        return latency;
    }

    /** Mean duration of one poll of the sink, ms. */
    double meanPollMillis() {
        long n = polls.get();
        return n == 0 ? 0 : pollNanos.get() / 1e6 / n;
    }

    long polls() {
        return polls.get();
    }

    long rowsRead() {
        return rowsRead.get();
    }

    /** Throws if the Kafka reader or the sink's poller failed. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("probe tracking failed: " + failure, failure);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        sinkThread.interrupt();
        try {
            kafkaThread.join(10_000);
            sinkThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
