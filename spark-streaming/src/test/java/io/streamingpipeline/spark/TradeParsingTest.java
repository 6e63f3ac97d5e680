package io.streamingpipeline.spark;

import static io.streamingpipeline.spark.TestTrades.KAFKA_TIME;
import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static io.streamingpipeline.spark.TestTrades.tradeWith;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract.Fields;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.testing.TradeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TradeParsingTest {

    private static final Duration SKEW = Duration.ofHours(1);

    private static Row classifyOne(String value) {
        List<Row> rows = TradeParsing.classify(LocalSpark.kafkaRows(KAFKA_TIME, value), SKEW)
                .collectAsList();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static String reasonOf(String value) {
        return classifyOne(value).getAs(TradeParsing.REJECT_REASON);
    }

    @Test
    void eachRecordIsParsedOnceWhateverFiltersFollow() {
        // rows the optimizer cannot fold into constants, as from the Kafka source
        Dataset<Row> kafka = LocalSpark.session()
                .range(10)
                .select(
                        col("id")
                                .cast(DataTypes.StringType)
                                .cast(DataTypes.BinaryType)
                                .as("key"),
                        functions
                                .concat(lit("{\"symbol\":\""), col("id").cast(DataTypes.StringType), lit("\"}"))
                                .cast(DataTypes.BinaryType)
                                .as("value"),
                        col("id").cast(DataTypes.TimestampType).as("timestamp"),
                        lit(0).as("partition"),
                        col("id").as("offset"));
        Dataset<Row> classified = TradeParsing.classify(kafka, SKEW);

        for (Dataset<Row> filtered : List.of(TradeParsing.rejected(classified), valid(kafka))) {
            String plan = filtered.queryExecution().optimizedPlan().toString();
            assertThat(plan.split("MapPartitions", -1).length - 1).as(plan).isEqualTo(1);
        }
    }

    @Test
    void theTradesOfABatchAreItsValidRecordsAndEveryRecordIsTallied() {
        Dataset<Row> input = LocalSpark.kafkaRows(
                        KAFKA_TIME,
                        trade(id(1), "A", 100, 1, T0),
                        "garbage",
                        tradeWith("price", "0"),
                        trade(id(2), "B", 2, 3, T0 + 61_000),
                        tradeWith("price", "-1"),
                        trade(id(3), "A", 101, 2, T0 + 1_000))
                .repartition(3);
        BatchTally.Accumulator tally = BatchTally.register(LocalSpark.session().sparkContext());

        List<Row> trades = TradeParsing.trades(input, SKEW, tally).collectAsList();

        Dataset<Row> classifiedValid = TradeParsing.classify(input, SKEW)
                .filter(col(TradeParsing.REJECT_REASON).isNull())
                .select(TradeColumns.ALL.stream().map(c -> col(c)).toArray(Column[]::new));
        assertThat(trades).containsExactlyInAnyOrderElementsOf(classifiedValid.collectAsList());
        assertThat(trades)
                .extracting(r -> r.<String>getAs(TradeColumns.ID))
                .containsExactlyInAnyOrder(id(1), id(2), id(3));
        assertThat(List.of(TradeParsing.trades(input, SKEW, tally).schema().fieldNames()))
                .containsExactlyElementsOf(TradeColumns.ALL);
        assertThat(tally.value().validCount()).isEqualTo(3);
        assertThat(tally.value().rejectedByReason())
                .containsExactly(Map.entry("invalid_price", 2L), Map.entry("malformed_json", 1L));
        assertThat(tally.value().candles())
                .extracting(s -> s.candle())
                .extracting(c -> c.symbol() + " " + c.tradeCount() + " " + c.volume())
                .containsExactlyInAnyOrder("A 2 3.0", "B 1 3.0");
    }

    @Test
    void classifiedRowsHaveTheTradeTableColumnsThenTheRecordAndItsRejection() {
        List<String> columns = List.of(TradeParsing.CLASSIFIED_SCHEMA.fieldNames());
        assertThat(columns.subList(0, TradeColumns.ALL.size())).containsExactlyElementsOf(TradeColumns.ALL);
        assertThat(columns.subList(TradeColumns.ALL.size(), columns.size()))
                .containsExactly(
                        TradeParsing.KAFKA_KEY,
                        TradeParsing.RAW,
                        TradeParsing.REJECT_REASON,
                        TradeParsing.REJECT_DETAIL);
        assertThat(TradeParsing.CLASSIFIED_SCHEMA.apply(Fields.PRICE).dataType())
                .isEqualTo(DataTypes.DoubleType);
        assertThat(TradeParsing.CLASSIFIED_SCHEMA.apply(Fields.TIMESTAMP_UNIX).dataType())
                .isEqualTo(DataTypes.LongType);
        assertThat(TradeParsing.CLASSIFIED_SCHEMA.apply(Fields.CONDITIONS).dataType())
                .isEqualTo(DataTypes.createArrayType(DataTypes.StringType, true));
        assertThat(TradeParsing.CLASSIFIED_SCHEMA.apply(TradeColumns.DAY).dataType())
                .isEqualTo(DataTypes.StringType);
    }

    @Test
    void aValidTradeKeepsEveryFieldAndGetsItsUtcDay() {
        String json = trade(id(7), "BINANCE:BTCUSDT", 97123.45, 0.0123, T0 + 123, List.of("1", "12", "1"));
        Dataset<Row> valid = valid(LocalSpark.kafkaRows(KAFKA_TIME, json));
        assertThat(valid.columns()).containsExactlyElementsOf(TradeColumns.ALL);
        Row row = valid.collectAsList().get(0);
        assertThat(row.<String>getAs(Fields.ID)).isEqualTo(id(7));
        assertThat(row.<String>getAs(Fields.SYMBOL)).isEqualTo("BINANCE:BTCUSDT");
        assertThat(row.<Double>getAs(Fields.PRICE)).isEqualTo(97123.45);
        assertThat(row.<Double>getAs(Fields.VOLUME)).isEqualTo(0.0123);
        assertThat(row.<Long>getAs(Fields.TIMESTAMP_UNIX)).isEqualTo(T0 + 123);
        assertThat(row.getList(row.fieldIndex(Fields.CONDITIONS))).containsExactly("1", "12", "1");
        assertThat(row.<Long>getAs(Fields.INGESTED_AT)).isEqualTo(T0 + 173);
        assertThat(row.<String>getAs(TradeColumns.DAY)).isEqualTo("2025-11-24");
    }

    /** A field the job does not read, or reads and does not write, fails here: every column the table gets. */
    @ParameterizedTest
    @EnumSource(TradeField.class)
    void everyFieldOfTheContractIsReadIntoItsColumn(TradeField field) {
        Trade trade = TradeBuilder.trade().build();
        Dataset<Row> valid =
                valid(LocalSpark.kafkaRows(KAFKA_TIME, TradeBuilder.trade().json()));
        Row row = valid.collectAsList().get(0);
        int column = row.fieldIndex(field.cqlName());
        Object written = switch (field.type()) {
            case UUID -> UUID.fromString(row.getString(column));
            case TEXT_LIST -> row.getList(column);
            default -> row.get(column);
        };
        assertThat(written).as(field.cqlName()).isNotNull().isEqualTo(trade.value(field));
        assertThat(valid.schema().apply(field.cqlName()).dataType())
                .isEqualTo(DataType.fromDDL(field.type().sparkSql()));
    }

    @Test
    void noConditionsIsNullWhetherTheArrayIsEmptyNullOrAbsent() {
        List<String> json = List.of(
                tradeWith(Fields.CONDITIONS, null),
                trade(id(2), "X", 1, 1, T0, null),
                trade(id(3), "X", 1, 1, T0, List.of()),
                trade(id(4), "X", 1, 1, T0, List.of("7")));
        List<Row> rows = valid(LocalSpark.kafkaRows(KAFKA_TIME, json.toArray(String[]::new)))
                .orderBy(Fields.ID)
                .collectAsList();
        assertThat(rows).hasSize(4);
        assertThat(rows.stream().map(r -> r.isNullAt(r.fieldIndex(Fields.CONDITIONS))))
                .containsExactly(true, true, true, false);
    }

    @Test
    void theDayIsTheUtcDateWhateverTheSessionTimeZone() {
        long justBeforeMidnightUtc = 1_764_028_799_999L; // 2025-11-24T23:59:59.999Z
        var spark = LocalSpark.session();
        String before = spark.conf().get("spark.sql.session.timeZone");
        spark.conf().set("spark.sql.session.timeZone", "Pacific/Kiritimati"); // UTC+14
        try {
            Row row = valid(LocalSpark.kafkaRows(justBeforeMidnightUtc, trade(id(1), "X", 1, 1, justBeforeMidnightUtc)))
                    .collectAsList()
                    .get(0);
            assertThat(row.<String>getAs(TradeColumns.DAY)).isEqualTo("2025-11-24");
        } finally {
            spark.conf().set("spark.sql.session.timeZone", before);
        }
    }

    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "VALID",
            value = {
                // conditions: array of strings, empty, null or absent are all fine
                "conditions      | null                    | VALID",
                "conditions      | []                      | VALID",
                "conditions      | ABSENT                  | VALID",
                "conditions      | \"1\"                   | invalid_conditions",
                "conditions      | 5                       | invalid_conditions",
                "conditions      | {\"a\":1}               | invalid_conditions",
                // symbol
                "symbol          | \"\"                    | missing_symbol",
                "symbol          | \"   \"                 | missing_symbol",
                "symbol          | null                    | missing_symbol",
                "symbol          | ABSENT                  | missing_symbol",
                "symbol          | \"" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                        + "\" | missing_symbol",
                "symbol          | \"" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                        + "\" | VALID",
                // price: finite and > 0
                "price           | 0                       | invalid_price",
                "price           | -1.5                    | invalid_price",
                "price           | 1e-8                    | VALID",
                "price           | NaN                     | invalid_price",
                "price           | \"NaN\"                 | invalid_price",
                "price           | \"Infinity\"            | invalid_price",
                "price           | 1e400                   | invalid_price",
                "price           | \"abc\"                 | invalid_price",
                "price           | null                    | invalid_price",
                "price           | ABSENT                  | invalid_price",
                "price           | 42                      | VALID",
                // volume: finite and >= 0
                "volume          | 0                       | VALID",
                "volume          | -0.01                   | invalid_volume",
                "volume          | NaN                     | invalid_volume",
                "volume          | -Infinity               | invalid_volume",
                "volume          | ABSENT                  | invalid_volume",
                // timestamp: integer UNIX milliseconds, 2000-01-01 .. Kafka time + skew
                "timestamp_unix  | 1764000000              | invalid_timestamp",
                "timestamp_unix  | 946684800000            | VALID",
                "timestamp_unix  | 946684799999            | invalid_timestamp",
                "timestamp_unix  | 1764003605000           | VALID",
                "timestamp_unix  | 1764003605001           | invalid_timestamp",
                "timestamp_unix  | 1.764e12                | invalid_timestamp",
                "timestamp_unix  | \"1764000000000\"       | invalid_timestamp",
                "timestamp_unix  | -1                      | invalid_timestamp",
                "timestamp_unix  | ABSENT                  | invalid_timestamp",
                // id: a lower-case UUIDv7
                "id              | \"not-a-uuid\"          | invalid_id",
                "id              | \"019AB2D4-5C1E-7A3B-8C4D-0123456789AB\" | invalid_id",
                "id              | \"550e8400-e29b-41d4-a716-446655440000\" | invalid_id",
                "id              | 12                      | invalid_id",
                "id              | ABSENT                  | invalid_id",
                // ingested_at: an integer >= 0, as the schema says
                "ingested_at     | ABSENT                  | malformed_json",
                "ingested_at     | \"yesterday\"           | malformed_json",
            })
    void eachFieldVariantGetsTheContractsReason(String field, String json, String expectedReason) {
        String value = tradeWith(field, "ABSENT".equals(json) ? null : json);
        Row row = classifyOne(value);
        assertThat(row.<String>getAs(TradeParsing.REJECT_REASON)).as(value).isEqualTo(expectedReason);
        if (expectedReason != null) {
            assertThat(row.<String>getAs(TradeParsing.REJECT_DETAIL)).as(value).isNotBlank();
        }
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all",
                "[1,2,3]",
                "\"a string\"",
                "{\"id\": ",
                "''",
            })
    void recordsThatAreNotJsonObjectsAreMalformed(String value) {
        assertThat(reasonOf(value)).isEqualTo("malformed_json");
    }

    @Test
    void aRecordWithoutValueIsMalformed() {
        assertThat(reasonOf(null)).isEqualTo("malformed_json");
    }

    @Test
    void anEmptyObjectLacksTheSymbolFirst() {
        assertThat(reasonOf("{}")).isEqualTo("missing_symbol");
    }

    @Test
    void theFirstBrokenRuleInTheIngestorsOrderGivesTheReason() {
        String value = tradeWith("price", "-1").replace("\"volume\":0.25", "\"volume\":-1");
        assertThat(reasonOf(value)).isEqualTo("invalid_price");
        Row row = classifyOne(value);
        assertThat(row.<String>getAs(TradeParsing.REJECT_DETAIL))
                .isEqualTo("\"price\" must be a number > 0 and <= 1.0E9, was -1");
    }

    @Test
    void detailsSayWhatIsWrong() {
        assertThat(classifyOne(tradeWith("timestamp_unix", "1764000000")).<String>getAs(TradeParsing.REJECT_DETAIL))
                .contains("\"timestamp_unix\" = 1764000000 is not a plausible time in UNIX milliseconds");
        assertThat(classifyOne(tradeWith("id", "\"nope\"")).<String>getAs(TradeParsing.REJECT_DETAIL))
                .isEqualTo("\"id\" must be a lower-case UUIDv7 string, was \"nope\"");
        assertThat(classifyOne(tradeWith("price", null)).<String>getAs(TradeParsing.REJECT_DETAIL))
                .isEqualTo("\"price\" must be a number > 0 and <= 1.0E9, was absent");
    }

    @Test
    void validAndRejectedSplitOneInputWithoutLosingARecord() {
        Dataset<Row> input = LocalSpark.kafkaRows(
                KAFKA_TIME,
                trade(id(1), "A", 1, 1, T0),
                "garbage",
                tradeWith("price", "0"),
                trade(id(2), "B", 2, 2, T0));
        Dataset<Row> classified = TradeParsing.classify(input, SKEW);
        assertThat(classified.filter(col(TradeParsing.REJECT_REASON).isNull()).count())
                .isEqualTo(2);
        List<Row> rejected = TradeParsing.rejected(classified).collectAsList();
        assertThat(rejected)
                .extracting(r -> r.<String>getAs(TradeParsing.REJECT_REASON))
                .containsExactlyInAnyOrder("malformed_json", "invalid_price");
        assertThat(rejected).extracting(r -> r.<String>getAs(TradeParsing.RAW)).contains("garbage");
    }

    private static Dataset<Row> valid(Dataset<Row> kafkaRows) {
        return TradeParsing.trades(
                kafkaRows, SKEW, BatchTally.register(LocalSpark.session().sparkContext()));
    }
}
