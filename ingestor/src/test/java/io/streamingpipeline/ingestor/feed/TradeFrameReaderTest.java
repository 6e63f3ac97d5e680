package io.streamingpipeline.ingestor.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader without a tree must read a frame exactly as {@link FrameParser}'s tree does, or leave it to the tree.
 */
class TradeFrameReaderTest {

    private static final ObjectMapper TREE = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);
    private final TradeFrameReader reader = new TradeFrameReader(TREE.getFactory());

    @Test
    void readsTheFeedsFrameWhateverTheOrderOfItsKeys() {
        List<Object[]> read = reader.read("""
                {"data":[{"p":97123.45,"s":"BINANCE:BTCUSDT","t":1764000000123,"v":0.0123,"c":null},
                         {"s":"AAPL","p":231,"t":1764000000100,"v":0,"c":["1","12"],"x":{"y":[1,2]}},
                         {"s":"COINBASE:BTC-USD","p":1E-8,"t":1764000000001,"v":5}],
                 "type":"trade"}""");

        assertThat(read).hasSize(3);
        assertThat(read.get(0)).containsExactly(values("BINANCE:BTCUSDT", 97123.45, 0.0123, 1764000000123L, null));
        assertThat(read.get(1)).containsExactly(values("AAPL", 231L, 0L, 1764000000100L, List.of("1", "12")));
        assertThat(read.get(2))
                .containsExactly(values("COINBASE:BTC-USD", 1e-8, 5L, 1764000000001L, TradeValidation.ABSENT));
        assertThat(reader.read("{\"type\":\"trade\",\"data\":[]}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"ping\"}",
                "{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}",
                "{\"data\":[]}",
                "{\"type\":\"trade\",\"data\":{}}",
                "{\"type\":\"trade\",\"data\":null}",
                "{\"type\":\"trade\",\"data\":[1]}",
                "{\"type\":\"trade\",\"data\":[]} {}",
                "{\"type\":\"trade\",\"type\":\"trade\",\"data\":[]}",
                "{\"type\":\"trade\",\"data\":[],\"data\":[]}",
                "{\"type\":\"trade\",\"data\":[{\"s\":\"A\",\"s\":\"B\"}]}",
                "{\"type\":\"trade\",\"data\":[{\"s\":true}]}",
                "{\"type\":\"trade\",\"data\":[{\"t\":123456789012345678901234567890}]}",
                "{\"type\":\"trade\",\"data\":[{\"c\":[[\"1\"]]}]}",
                "{\"type\":\"trade\",\"data\":[{\"c\":[{}]}]}",
                "{\"type\":\"trade\",\"data\":[{\"s\":{}}]}",
                "{\"type\":\"trade\",\"data\":[{\"s\":\"A\"}",
                "[{\"type\":\"trade\",\"data\":[]}]",
                "not json",
                ""
            })
    void leavesEveryOtherMessageToTheTree(String text) {
        assertThat(reader.read(text)).isNull();
    }

    /**
     * Frames built from the feed's keys and hostile values, in any order, repeated, nested or cut short: whatever the
     * reader reads, the tree reads the same (each value of the same type and equal), and it reads most of the frames
     * whose values are all of the types it takes.
     */
    @Test
    void readsWhatTheTreeReadsOrNothing() {
        Random random = new Random(20261204);
        int read = 0;
        int treeReadable = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = frame(random);
            List<Object[]> fromTree = fromTree(text);
            List<Object[]> fromReader = reader.read(text);
            if (fromTree != null) {
                treeReadable++;
            }
            if (fromReader != null) {
                read++;
                assertThat(fromTree).as(text).isNotNull();
                assertThat(fromReader).as(text).hasSameSizeAs(fromTree);
                for (int e = 0; e < fromReader.size(); e++) {
                    assertThat(typed(fromReader.get(e))).as(text).isEqualTo(typed(fromTree.get(e)));
                }
            }
        }
        assertThat(read).as("frames read without the tree").isGreaterThan(2_000);
        assertThat(treeReadable).isGreaterThan(read);
    }

    /** What {@link FrameParser}'s tree takes from a trade frame of objects; null for any other message. */
    private static List<Object[]> fromTree(String text) {
        JsonNode root;
        try {
            root = TREE.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null
                || !root.isObject()
                || !"trade".equals(root.path("type").textValue())) {
            return null;
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            return null;
        }
        List<Object[]> elements = new ArrayList<>();
        for (JsonNode e : data) {
            if (!e.isObject()) {
                return null;
            }
            Object[] values = new Object[TradeField.values().length];
            for (TradeField field : TradeField.values()) {
                String key = FinnhubFields.key(field);
                values[field.ordinal()] = key == null ? TradeValidation.ABSENT : TradeValidation.valueOf(e.get(key));
            }
            elements.add(values);
        }
        return elements;
    }

    /** Each value with its class, so that 1 (Long) and 1.0 (Double) or -0.0 and 0.0 differ. */
    private static List<String> typed(Object[] values) {
        return Arrays.stream(values)
                .map(v -> v == null ? "null" : v.getClass().getSimpleName() + ":" + v)
                .toList();
    }

    private static Object[] values(String s, Object p, Object v, Object t, Object c) {
        Object[] values = new Object[TradeField.values().length];
        Arrays.fill(values, TradeValidation.ABSENT);
        values[TradeField.SYMBOL.ordinal()] = s;
        values[TradeField.PRICE.ordinal()] = p;
        values[TradeField.VOLUME.ordinal()] = v;
        values[TradeField.TIMESTAMP_UNIX.ordinal()] = t;
        values[TradeField.CONDITIONS.ordinal()] = c;
        return values;
    }

    private static final String[] KEYS = {"s", "p", "t", "v", "c", "x", "S", "type", "data"};
    private static final String[] VALUES = {
        "\"BINANCE:BTCUSDT\"",
        "\"\"",
        "\"a\\u0000\\\"b\"",
        "\"\\ud83d\\ude00\"",
        "97123.45",
        "-0.0",
        "0",
        "-0",
        "1e-8",
        "1E400",
        "-1e-400",
        "4.9e-324",
        "1764000000123",
        "-5",
        "9223372036854775807",
        "9223372036854775808",
        "123456789012345678901234567890",
        "0.30000000000000004",
        "1.0",
        "true",
        "false",
        "null",
        "[\"1\",\"12\"]",
        "[]",
        "[null]",
        "[1]",
        "[1.5,\"x\"]",
        "[[\"a\"]]",
        "[{}]",
        "{}",
        "{\"s\":\"X\",\"p\":[1]}"
    };

    private static String frame(Random random) {
        List<String> members = new ArrayList<>();
        members.add("\"type\":" + pick(random, "\"trade\"", "\"trade\"", "\"trade\"", "\"ping\"", "1", "null"));
        if (random.nextInt(20) > 0) {
            StringJoiner data = new StringJoiner(",", "[", "]");
            int n = random.nextInt(5);
            for (int e = 0; e < n; e++) {
                data.add(random.nextInt(30) == 0 ? pick(random, VALUES) : element(random));
            }
            members.add("\"data\":" + (random.nextInt(30) == 0 ? pick(random, VALUES) : data.toString()));
        }
        if (random.nextInt(5) == 0) {
            members.add("\"" + pick(random, KEYS) + "\":" + pick(random, VALUES));
        }
        Collections.shuffle(members, random);
        String text = " {" + String.join(random.nextBoolean() ? "," : " ,\n ", members) + "} ";
        return switch (random.nextInt(40)) {
            case 0 -> text.substring(0, random.nextInt(text.length()));
            case 1 -> text + pick(random, "{}", "x", "1", "[]");
            case 2 -> "[" + text + "]";
            default -> text;
        };
    }

    private static String element(Random random) {
        List<String> members = new ArrayList<>();
        if (random.nextInt(3) > 0) {
            // the usual element: every feed key once, values mostly plausible
            members.add("\"s\":" + pick(random, "\"BINANCE:BTCUSDT\"", "\"AAPL\"", pick(random, VALUES)));
            members.add("\"p\":" + pick(random, "97123.45", "231", "1e-8", pick(random, VALUES)));
            members.add("\"t\":" + pick(random, "1764000000123", pick(random, VALUES)));
            members.add("\"v\":" + pick(random, "0.0123", "0", "5", pick(random, VALUES)));
            if (random.nextBoolean()) {
                members.add("\"c\":" + pick(random, "null", "[\"1\",\"12\"]", pick(random, VALUES)));
            }
        }
        int extra = random.nextInt(3);
        for (int k = 0; k < extra; k++) {
            members.add("\"" + pick(random, KEYS) + "\":" + pick(random, VALUES));
        }
        Collections.shuffle(members, random);
        return "{" + String.join(",", members) + "}";
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
