package io.streamingpipeline.ingestor;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.publish.TradeSerializer;

/**
 * Jackson serialises the records by reflection, and they live in another module; the Kafka client creates the value
 * serializer by reflection from its class name. A native image keeps only what is listed.
 */
@RegisterForReflection(targets = {Trade.class, DeadLetter.class, TradeSerializer.class})
final class NativeReflection {

    private NativeReflection() {}
}
