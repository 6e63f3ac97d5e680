package io.streamingpipeline.ingestor.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.testing.TradeBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TradeSerializerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final TradeSerializer serializer = new TradeSerializer();

    @Test
    void writesTheContractsRecordEveryFieldInOrder() throws Exception {
        Trade trade = TradeBuilder.trade().conditions("1", "12").build();
        JsonNode written = JSON.readTree(serializer.serialize("crypto_trades", trade));
        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(TradeField.jsonNames());
        assertThat(written)
                .isEqualTo(
                        JSON.readTree(TradeBuilder.trade().conditions("1", "12").json()));
        assertThat(JSON.readValue(serializer.serialize("crypto_trades", trade), Trade.class))
                .isEqualTo(trade);
    }

    /** Symbols whose JSON string needs escapes, multi-byte UTF-8 or a surrogate pair. */
    private static final String[] SYMBOLS = {
        "BINANCE:BTCUSDT",
        "OANDA:EUR_USD \"quoted\" \u00e9",
        "A/B\\C\u0000\u001f\u007f",
        "\ud83d\ude00:\u4e2d",
        "</script>"
    };

    /** The record is the one Jackson's databind writes for the contract's annotated {@link Trade}, byte for byte. */
    @Test
    void theSameBytesAsDatabindOfTheContractsRecord() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            List<String> conditions = random.nextInt(4) == 0
                    ? null
                    : random.ints(random.nextInt(4), 0, 40)
                            .mapToObj(n -> n % 10 == 0 ? "\\ \t\u0001 \u20ac" : Integer.toString(n))
                            .toList();
            Trade trade = TradeBuilder.trade()
                    .id(i)
                    .symbol(SYMBOLS[i % SYMBOLS.length])
                    .price(1 + random.nextInt(1_000_000) / 100.0)
                    .volume(random.nextInt(1_000_000) / 1e6)
                    .timestampUnix(TradeBuilder.T0 + i)
                    .conditions(conditions)
                    .ingestedAt(TradeBuilder.T0 + i + 50)
                    .build();
            assertThat(new String(serializer.serialize("crypto_trades", trade), StandardCharsets.UTF_8))
                    .isEqualTo(JSON.writeValueAsString(trade));
        }
    }

    /**
     * A lone surrogate has no UTF-8 form (the contract's validation refuses one at the feed): a trade built with one
     * fails its record with Kafka's exception.
     */
    @Test
    void aLoneSurrogateIsASerializationError() {
        Trade trade = TradeBuilder.trade().conditions("ok", "\ud800").build();
        assertThatThrownBy(() -> serializer.serialize("crypto_trades", trade))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(trade.symbol());
    }

    @Test
    void noConditionsIsJsonNull() throws Exception {
        Trade trade = TradeBuilder.trade().conditions((List<String>) null).build();
        JsonNode written = JSON.readTree(serializer.serialize("crypto_trades", trade));
        assertThat(written.has(TradeField.CONDITIONS.jsonName())).isTrue();
        assertThat(written.get(TradeField.CONDITIONS.jsonName()).isNull()).isTrue();
    }

    /** The fast double writer prints the shortest decimal of a double: it must read back as the very same double. */
    @Test
    void everyPriceAndVolumeReadsBackAsTheSameDouble() throws Exception {
        SplittableRandom random = new SplittableRandom(20261204);
        List<Double> values = new ArrayList<>(List.of(0.1 + 0.2, 1e-8, 2.0e-5, 5e-324, 1e9, 1e15, 123456.789, 0.0));
        for (int i = 0; i < 20_000; i++) {
            values.add(Math.scalb(random.nextDouble(), random.nextInt(-40, 50)));
            values.add(Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE));
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                continue;
            }
            Trade trade = TradeBuilder.trade().price(v).volume(v).build();
            Trade read = JSON.readValue(serializer.serialize("crypto_trades", trade), Trade.class);
            assertThat(Double.doubleToLongBits(read.price())).as("%s", v).isEqualTo(Double.doubleToLongBits(v));
            assertThat(Double.doubleToLongBits(read.volume())).as("%s", v).isEqualTo(Double.doubleToLongBits(v));
        }
    }

    @Test
    void aNullValueIsANullRecord() {
        assertThat(serializer.serialize("crypto_trades", null)).isNull();
    }
}
