package io.streamingpipeline.spark.batch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operational record of the day jobs in Postgres (database {@code pipeline_ops}): the daily close's result per
 * day and symbol, and each replay run. The tables are created by the job when missing; a close run again for the
 * same day replaces that day's rows.
 */
public final class OpsDatabase {

    public static final String DAILY_CLOSE_TABLE = "daily_close";
    public static final String REPLAY_RUN_TABLE = "replay_run";

    static final List<String> SCHEMA = List.of("""
            CREATE TABLE IF NOT EXISTS daily_close (
                day              date        NOT NULL,
                symbol           text        NOT NULL,
                kafka_trades     bigint      NOT NULL,
                cassandra_trades bigint      NOT NULL,
                candle_trades    bigint      NOT NULL,
                kafka_complete   boolean     NOT NULL,
                dead_letters     jsonb       NOT NULL,
                status           text        NOT NULL,
                detail           text,
                checked_at       timestamptz NOT NULL,
                PRIMARY KEY (day, symbol))""", """
            CREATE TABLE IF NOT EXISTS replay_run (
                run_id          uuid        PRIMARY KEY,
                day             date        NOT NULL,
                started_at      timestamptz NOT NULL,
                finished_at     timestamptz,
                status          text        NOT NULL,
                kafka_trades    bigint,
                trades_upserted bigint,
                candles_written bigint,
                candles_deleted bigint,
                error           text)""");

    private final String jdbcUrl;
    private final String user;
    private final String password;

    public OpsDatabase(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** The URL and user; the password only as {@code ****}. */
    @Override
    public String toString() {
        return jdbcUrl + " as " + user + (password == null ? "" : " (password ****)");
    }

    /** Creates the tables if they are missing. */
    public void createTables() {
        run(c -> {
            try (Statement s = c.createStatement()) {
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            return null;
        });
    }

    /** Replaces the rows of {@code day} with {@code results}, in one transaction. */
    public void writeClose(LocalDate day, List<SymbolClose> results, Instant checkedAt) {
        run(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM daily_close WHERE day = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO daily_close (day, symbol, kafka_trades, "
                            + "cassandra_trades, candle_trades, kafka_complete, dead_letters, status, detail, checked_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
                delete.setObject(1, day);
                delete.executeUpdate();
                for (SymbolClose r : results) {
                    insert.setObject(1, day);
                    insert.setString(2, r.symbol());
                    insert.setLong(3, r.kafkaTrades());
                    insert.setLong(4, r.cassandraTrades());
                    insert.setLong(5, r.candleTrades());
                    insert.setBoolean(6, r.kafkaComplete());
                    insert.setString(7, json(r.deadLetters()));
                    insert.setString(8, r.status());
                    insert.setString(9, r.detail());
                    insert.setTimestamp(10, Timestamp.from(checkedAt));
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            return null;
        });
    }

    /** Records the start of a replay run. */
    public void replayStarted(UUID runId, LocalDate day, Instant startedAt) {
        run(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO replay_run (run_id, day, started_at, status) VALUES (?, ?, ?, 'running')")) {
                s.setObject(1, runId);
                s.setObject(2, day);
                s.setTimestamp(3, Timestamp.from(startedAt));
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Records the end of a replay run: {@code error} null = {@code ok}, else {@code failed} with the error. */
    public void replayFinished(UUID runId, DayReplay.Result result, String error, Instant finishedAt) {
        run(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE replay_run SET finished_at = ?, status = ?, "
                    + "kafka_trades = ?, trades_upserted = ?, candles_written = ?, candles_deleted = ?, error = ? "
                    + "WHERE run_id = ?")) {
                s.setTimestamp(1, Timestamp.from(finishedAt));
                s.setString(2, error == null ? "ok" : "failed");
                s.setObject(3, result == null ? null : result.kafkaTrades());
                s.setObject(4, result == null ? null : result.tradesUpserted());
                s.setObject(5, result == null ? null : result.candlesWritten());
                s.setObject(6, result == null ? null : result.candlesDeleted());
                s.setString(7, error);
                s.setObject(8, runId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** {@code {"reason": count, ...}}; reasons are the contract's labels, quoted defensively all the same. */
    static String json(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(e -> "\"" + e.getKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "30");
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return work.run(c);
        } catch (SQLException e) {
            // the driver's messages name the URL and user, never the password
            throw new IllegalStateException(
                    "Postgres at " + jdbcUrl + " as " + user + ": " + e.getMessage()
                            + " (check --ops-jdbc-url, --ops-user and --ops-password-file)",
                    e);
        }
    }
}
