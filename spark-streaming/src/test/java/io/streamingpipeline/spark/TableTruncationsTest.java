package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TableTruncationsTest {

    private static final UUID TRADES = UUID.fromString("5b6962dd-3f90-4c93-8f61-eabfa4a803e2");
    private static final UUID CANDLES = UUID.fromString("8c0f2a71-6d1e-4b8e-9a5c-0d3e7f1b2c4a");
    private static final UUID OTHER = UUID.fromString("0e9d3a52-7b4c-4f1a-8e2d-6c5b4a3f2e1d");

    /** A node's record of a truncation: the commit log segment and position, then the time. */
    private static ByteBuffer record(long segment, int position, long truncatedAt) {
        return ByteBuffer.allocate(Long.BYTES + Integer.BYTES + Long.BYTES)
                .putLong(segment)
                .putInt(position)
                .putLong(truncatedAt)
                .flip();
    }

    @Test
    void theTimeIsReadForTheJobsTablesOnly() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("crypto_trades", TRADES.toString());
        ids.put("crypto_candles_1m", CANDLES.toString());
        Map<UUID, ByteBuffer> recorded = Map.of(
                CANDLES, record(1_764_900_000_123L, 4_096, 1_796_504_400_000L),
                OTHER, record(1L, 2, 3L));

        assertThat(TableTruncations.latest(recorded, ids))
                .containsExactlyEntriesOf(Map.of("crypto_candles_1m", 1_796_504_400_000L));
        assertThat(TableTruncations.latest(Map.of(), ids)).isEmpty();
    }
}
