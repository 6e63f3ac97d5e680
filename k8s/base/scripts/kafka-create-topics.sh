#!/bin/bash
# Creates the pipeline's topics (idempotent: --if-not-exists). The ingestor never creates topics.
set -euo pipefail
topics=(/opt/kafka/bin/kafka-topics.sh --bootstrap-server "${KAFKA_BOOTSTRAP_SERVERS}")
for attempt in $(seq 1 60); do
  if "${topics[@]}" --list >/dev/null 2>&1; then break; fi
  echo "waiting for Kafka at ${KAFKA_BOOTSTRAP_SERVERS} (attempt ${attempt})"
  sleep 5
done
create() {
  "${topics[@]}" --create --if-not-exists --topic "$1" --partitions "$2" \
    --replication-factor "${TOPIC_REPLICATION_FACTOR}" --config "min.insync.replicas=${TOPIC_MIN_INSYNC_REPLICAS}"
  # --if-not-exists leaves an existing topic as it is: say so when it has fewer partitions than asked for.
  actual="$("${topics[@]}" --describe --topic "$1" | grep -c 'Partition: ' || true)"
  if [ "${actual}" -lt "$2" ]; then
    echo "WARNING: topic $1 has ${actual} partitions, ${2} configured; grow it with kafka-topics.sh --alter --partitions ${2}"
  fi
}
# One line per topic of the contract (io.streamingpipeline.contract.Topic): its name in the variable the contract
# names (TRADES_TOPIC), its partitions in the same name + _PARTITIONS.
create "${TRADES_TOPIC}" "${TRADES_TOPIC_PARTITIONS}"
create "${TRADES_DLQ_TOPIC}" "${TRADES_DLQ_TOPIC_PARTITIONS}"
"${topics[@]}" --describe --topic "${TRADES_TOPIC}"
"${topics[@]}" --describe --topic "${TRADES_DLQ_TOPIC}"
