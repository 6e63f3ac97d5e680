package io.streamingpipeline.contract;

import java.util.List;

/**
 * Names that every stage of the pipeline shares: topics, the fields of a trade record, and the
 * environment variables that carry them into each deployable. Change a name here and every stage,
 * Compose and Kubernetes (checked by consistency tests) follow.
 */
public final class TradeContract {

    private TradeContract() {}

    /** Default Kafka topic of valid trades; one record per trade, key = symbol. */
    public static final String TRADES_TOPIC = "crypto_trades";
    /** Default Kafka topic of rejected frames and trades, see {@link DeadLetter}. */
    public static final String DEAD_LETTER_TOPIC = "crypto_trades_dlq";

    /** Classpath location of the JSON schema of a trade record's value. */
    public static final String TRADE_SCHEMA_RESOURCE = "/contract/trade.schema.json";
    /** Classpath location of the JSON schema of a dead-letter record's value. */
    public static final String DEAD_LETTER_SCHEMA_RESOURCE = "/contract/dead-letter.schema.json";

    /** Field names of a trade record's JSON value; their types are {@link TradeField}'s. */
    public static final class Fields {
        private Fields() {}

        public static final String ID = "id";
        public static final String SYMBOL = "symbol";
        public static final String PRICE = "price";
        public static final String VOLUME = "volume";
        public static final String TIMESTAMP_UNIX = "timestamp_unix";
        public static final String CONDITIONS = "conditions";
        public static final String INGESTED_AT = "ingested_at";

        /** In record order, as {@link TradeField} declares them. */
        public static final List<String> ALL = TradeField.jsonNames();
    }

    /** Field names of a dead-letter record's JSON value. */
    public static final class DeadLetterFields {
        private DeadLetterFields() {}

        public static final String REASON = "reason";
        public static final String DETAIL = "detail";
        public static final String RAW = "raw";
        public static final String SOURCE = "source";
        public static final String REJECTED_AT = "rejected_at";
    }

    /** Environment variables read by more than one deployable (ingestor, Spark job, Compose, Kubernetes). */
    public static final class Env {
        private Env() {}

        public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
        public static final String TRADES_TOPIC = "TRADES_TOPIC";
        public static final String DEAD_LETTER_TOPIC = "TRADES_DLQ_TOPIC";
        public static final String FINNHUB_TOKEN = "FINNHUB_TOKEN";
        public static final String FINNHUB_TOKEN_FILE = "FINNHUB_TOKEN_FILE";
    }
}
