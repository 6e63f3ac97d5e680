#!/bin/bash
# Starts one KRaft node (broker + controller) of the kafka StatefulSet. node.id = the pod's ordinal, so kafka-0 is
# node 0 of controller-quorum-voters. Written to /tmp at every start: the image's own env-to-properties script needs a
# writable /opt/kafka/config, this one keeps the root filesystem read-only.
# Advertised names end in .svc, not .svc.<cluster domain>: every pod's resolv.conf searches the cluster's own domain
# (whatever it is), so the name resolves in any cluster and from any namespace.
set -euo pipefail
ordinal="${POD_NAME##*-}"
config=/tmp/kafka/server.properties
mkdir -p /tmp/kafka
cat > "${config}" <<PROPERTIES
process.roles=broker,controller
node.id=${ordinal}
controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://${POD_NAME}.kafka-headless.${POD_NAMESPACE}.svc:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
# A subdirectory: the volume's root may hold lost+found.
log.dirs=/var/lib/kafka/data/logs
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=${KAFKA_REPLICATION_FACTOR}
min.insync.replicas=${KAFKA_MIN_INSYNC_REPLICAS}
offsets.topic.replication.factor=${KAFKA_REPLICATION_FACTOR}
transaction.state.log.replication.factor=${KAFKA_REPLICATION_FACTOR}
transaction.state.log.min.isr=${KAFKA_MIN_INSYNC_REPLICAS}
# A partition keeps at most log.retention.bytes plus its active segment, so no backlog fills the volume (a full
# volume stops the broker, and with it the whole pipeline). Sized in kafka-config against the volume: deploy-checks'
# KubernetesKafkaTest. Time-based retention stays Kafka's 7 days.
log.retention.bytes=${KAFKA_LOG_RETENTION_BYTES}
log.segment.bytes=${KAFKA_LOG_SEGMENT_BYTES}
log.retention.check.interval.ms=60000
PROPERTIES
# Formats the volume on the first start only.
/opt/kafka/bin/kafka-storage.sh format --cluster-id "${KAFKA_CLUSTER_ID}" --config "${config}" --ignore-formatted
exec /opt/kafka/bin/kafka-server-start.sh "${config}"
