package io.streamingpipeline.spark;

import static io.streamingpipeline.spark.TestTrades.KAFKA_TIME;
import static io.streamingpipeline.spark.TestTrades.tradeWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.TradeContract.DeadLetterFields;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Row> deadLettersOf(String... values) {
        return DeadLetters.records(
                        TradeParsing.rejected(
                                TradeParsing.classify(LocalSpark.kafkaRows(KAFKA_TIME, values), Duration.ofHours(1))),
                        1_764_000_999_000L)
                .collectAsList();
    }

    @Test
    void aDeadLetterHasTheContractFieldsInOrderWithSourceSpark() throws Exception {
        String bad = tradeWith("price", "-3");
        List<Row> records = deadLettersOf(bad);
        assertThat(records).hasSize(1);
        Row record = records.get(0);
        assertThat(new String(record.<byte[]>getAs("key"), StandardCharsets.UTF_8))
                .isEqualTo("BINANCE:BTCUSDT");
        JsonNode value = JSON.readTree(new String(record.<byte[]>getAs("value"), StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        value.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        DeadLetterFields.REASON,
                        DeadLetterFields.DETAIL,
                        DeadLetterFields.RAW,
                        DeadLetterFields.SOURCE,
                        DeadLetterFields.REJECTED_AT);
        DeadLetter letter =
                JSON.readValue(new String(record.<byte[]>getAs("value"), StandardCharsets.UTF_8), DeadLetter.class);
        assertThat(letter)
                .isEqualTo(new DeadLetter(
                        "invalid_price",
                        "\"price\" must be a number > 0 and <= 1.0E9, was -3",
                        bad,
                        "spark",
                        1_764_000_999_000L));
    }

    @Test
    void aRecordWithoutValueStillHasEveryField() throws Exception {
        JsonNode value = JSON.readTree(
                new String(deadLettersOf((String) null).get(0).<byte[]>getAs("value"), StandardCharsets.UTF_8));
        assertThat(value.get(DeadLetterFields.RAW).asText()).isEmpty();
        assertThat(value.get(DeadLetterFields.REASON).asText()).isEqualTo("malformed_json");
    }

    @Test
    void threeHundredKilobytesOfControlBytesWithAHugeKeyMakeADeadLetterWithinTheBound() throws Exception {
        byte[] controls = new byte[300 * 1024];
        for (int i = 0; i < controls.length; i++) {
            controls[i] = (byte) (i % 32);
        }
        Row kafkaRow = RowFactory.create(new byte[200_000], controls, new java.sql.Timestamp(KAFKA_TIME), 0, 0L);
        Dataset<Row> kafkaRows = LocalSpark.session()
                .createDataFrame(
                        List.of(kafkaRow),
                        new StructType()
                                .add("key", DataTypes.BinaryType)
                                .add("value", DataTypes.BinaryType)
                                .add("timestamp", DataTypes.TimestampType)
                                .add("partition", DataTypes.IntegerType)
                                .add("offset", DataTypes.LongType));
        Row record = DeadLetters.records(
                        TradeParsing.rejected(TradeParsing.classify(kafkaRows, Duration.ofHours(1))), 1L)
                .collectAsList()
                .get(0);
        byte[] key = record.getAs("key");
        byte[] value = record.getAs("value");
        assertThat(key).hasSize(DeadLetter.MAX_KEY_BYTES);
        assertThat(key.length + value.length).isLessThanOrEqualTo(DeadLetter.MAX_RECORD_BYTES);
        assertThat(JSON.readValue(value, DeadLetter.class).raw()).endsWith(DeadLetter.TRUNCATED_MARK);
    }

    @Test
    void aHugeRawValueIsTruncated() throws Exception {
        String huge = "x".repeat(DeadLetter.MAX_RAW_CHARS + 10);
        JsonNode value =
                JSON.readTree(new String(deadLettersOf(huge).get(0).<byte[]>getAs("value"), StandardCharsets.UTF_8));
        assertThat(value.get(DeadLetterFields.RAW).asText())
                .hasSize(DeadLetter.MAX_RAW_CHARS + DeadLetter.TRUNCATED_MARK.length())
                .endsWith("…[truncated]");
    }
}
