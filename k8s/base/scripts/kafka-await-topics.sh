#!/bin/bash
# Waits until the pipeline's topics exist (the kafka-topics Job creates them; the broker never does by itself), so
# that the ingestor's first trades do not wait out the producer's metadata timeout and fail. Bounded: after
# AWAIT_TIMEOUT seconds (default 1800) it exits 1 and the pod starts it again.
set -euo pipefail
topics=(/opt/kafka/bin/kafka-topics.sh --bootstrap-server "${KAFKA_BOOTSTRAP_SERVERS}")
deadline=$((SECONDS + ${AWAIT_TIMEOUT:-1800}))
for topic in "${TRADES_TOPIC}" "${TRADES_DLQ_TOPIC}"; do
  until "${topics[@]}" --describe --topic "${topic}" 2>/dev/null | grep -q 'Partition: '; do
    if ((SECONDS >= deadline)); then
      echo "topic ${topic} does not exist at ${KAFKA_BOOTSTRAP_SERVERS}: see the logs of the Job kafka-topics" >&2
      exit 1
    fi
    echo "waiting for the topic ${topic} at ${KAFKA_BOOTSTRAP_SERVERS}"
    sleep 5
  done
done
echo "topics ${TRADES_TOPIC}, ${TRADES_DLQ_TOPIC} exist"
