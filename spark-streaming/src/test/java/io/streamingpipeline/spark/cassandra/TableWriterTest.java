package io.streamingpipeline.spark.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** What the writer takes from Spark rows and from the connector's settings; the writes themselves are in integration-tests. */
class TableWriterTest {

    private static Object value(String sparkType, DataType cql, Object sparkValue) {
        StructField field = new StructType().add("c", sparkType).fields()[0];
        Class<?> java = CodecRegistry.DEFAULT.codecFor(cql).getJavaType().getRawType();
        return TableWriter.converter(field, cql, java).value(RowFactory.create(sparkValue), 0);
    }

    @Test
    void eachSparkValueBecomesTheJavaTypeOfItsColumnsCodec() {
        UUID id = UUID.fromString("019ab2d4-5c1e-7a3b-8c4d-000000000001");
        assertThat(value("string", DataTypes.UUID, id.toString())).isEqualTo(id);
        assertThat(value("string", DataTypes.TEXT, "BINANCE:BTCUSDT")).isEqualTo("BINANCE:BTCUSDT");
        assertThat(value("bigint", DataTypes.BIGINT, 1_764_000_000_123L)).isEqualTo(1_764_000_000_123L);
        assertThat(value("double", DataTypes.DOUBLE, 97000.5)).isEqualTo(97000.5);
    }

    @Test
    void anArrayIsAListWhateverFormSparkHandsItOverIn() {
        DataType conditions = DataTypes.frozenListOf(DataTypes.TEXT);
        List<String> expected = List.of("1", "12");
        assertThat(value("array<string>", conditions, new String[] {"1", "12"})).isEqualTo(expected);
        assertThat(value("array<string>", conditions, JavaConverters.asScalaBuffer(expected)))
                .isEqualTo(expected);
        assertThat(value("array<string>", conditions, expected)).isEqualTo(expected);
    }

    @Test
    void aSparkTypeThatDoesNotFitTheColumnIsRefusedWithTheColumnsName() {
        StructField price = new StructType().add("price", "string").fields()[0];
        assertThatThrownBy(() -> TableWriter.converter(price, DataTypes.DOUBLE, Double.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("price")
                .hasMessageContaining("string")
                .hasMessageContaining("double");
    }

    @Test
    void theConnectorsWriteSettingsThatApplyAreAccepted() {
        SparkConf conf = new SparkConf(false)
                .set("spark.cassandra.output.batch.grouping.key", "partition")
                .set("spark.cassandra.output.batch.size.rows", "200")
                .set("spark.cassandra.output.concurrent.writes", "16")
                .set("spark.cassandra.output.consistency.level", "LOCAL_ONE")
                .set("spark.cassandra.output.ignoreNulls", "true");
        assertThat(TableWriter.unsupportedSettings(conf)).isEmpty();
        assertThat(TableWriter.unsupportedSettings(new SparkConf(false))).isEmpty();
    }

    @Test
    void settingsTheWriterDoesNotHonourAreRefusedByName() {
        SparkConf conf = new SparkConf(false)
                .set("spark.cassandra.output.ttl", "3600")
                .set("spark.cassandra.output.throughputMBPerSec", "5")
                .set("spark.cassandra.output.batch.grouping.key", "replica_set");
        assertThat(TableWriter.unsupportedSettings(conf))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("spark.cassandra.output.ttl:"))
                .anySatisfy(p -> assertThat(p).startsWith("spark.cassandra.output.throughputMBPerSec:"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("spark.cassandra.output.batch.grouping.key:")
                        .contains("partition"));
        assertThatThrownBy(() -> TableWriter.of(conf, "ks", "t", new StructType().add("c", "string")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spark.cassandra.output.ttl");
    }
}
