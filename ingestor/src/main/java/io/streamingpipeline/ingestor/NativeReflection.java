package io.streamingpipeline.ingestor;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.Trade;

/** Jackson serialises these records by reflection; in a native image they live in another module, so list them. */
@RegisterForReflection(targets = {Trade.class, DeadLetter.class})
final class NativeReflection {

    private NativeReflection() {}
}
