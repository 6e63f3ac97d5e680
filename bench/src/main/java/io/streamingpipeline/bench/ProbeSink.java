package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.TradeContract.Fields;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;

/** Where the probe symbol's trades become readable at the end of the pipeline; {@link ProbeTracker} polls it. */
interface ProbeSink {

    /** Reports the ids readable now of the probe trades with a trade time at or after {@code fromMillis} (or more). */
    void poll(long fromMillis, long nowMillis, Consumer<UUID> readable);

    /**
     * The job's table: a prepared {@code SELECT id ... WHERE symbol = ? AND day = ? AND timestamp_unix >= ?} on the
     * probe's partition(s), so that each poll returns only the newest few rows.
     */
    static ProbeSink cassandra(CqlSession session, String symbol) {
        PreparedStatement select = session.prepare("SELECT " + TradeColumns.ID + ", " + TradeColumns.TIMESTAMP_UNIX
                + " FROM " + CassandraSchema.DEFAULT_KEYSPACE + "." + CassandraSchema.TRADES_TABLE + " WHERE "
                + TradeColumns.SYMBOL + " = ? AND " + TradeColumns.DAY + " = ? AND " + TradeColumns.TIMESTAMP_UNIX
                + " >= ?");
        return (fromMillis, nowMillis, readable) -> {
            for (LocalDate d = day(fromMillis); !d.isAfter(day(nowMillis)); d = d.plusDays(1)) {
                for (Row row : session.execute(select.bind(symbol, d.toString(), fromMillis))) {
                    readable.accept(row.getUuid(0));
                }
            }
        };
    }

    /**
     * The floor query's file ({@code SparkFloorQuery}): the JSON values of the probe records, one per line, appended
     * at the end of each micro-batch; each poll reads the complete lines added since the last one.
     */
    static ProbeSink appendedJsonLines(Path file) {
        ObjectMapper json = new ObjectMapper();
        long[] position = {0};
        return (fromMillis, nowMillis, readable) -> {
            if (!Files.exists(file)) {
                return;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length <= position[0]) {
                    return;
                }
                byte[] added = new byte[(int) (length - position[0])];
                in.seek(position[0]);
                in.readFully(added);
                int lastNewline = -1;
                for (int i = added.length - 1; i >= 0; i--) {
                    if (added[i] == '\n') {
                        lastNewline = i;
                        break;
                    }
                }
                if (lastNewline < 0) {
                    return;
                }
                position[0] += lastNewline + 1;
                for (String line : new String(added, 0, lastNewline, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        readable.accept(UUID.fromString(
                                json.readTree(line).path(Fields.ID).asText()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static LocalDate day(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
}
