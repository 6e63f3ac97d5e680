package io.streamingpipeline.ingestor.publish;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Makes the Kafka producer's lz4 codec compress with lz4-java's JNI library. Kafka asks for
 * {@link LZ4Factory#fastestInstance()} on every batch, and lz4-java only tries its JNI library there when its classes
 * were loaded by the system class loader — never in a Quarkus application — or when the library is already loaded.
 * Its Java fallback is the safe compressor (since lz4-java 1.10 the "unsafe" one is the same code), which took 12 % of
 * the ingestor's CPU at full speed (bench/ingest, docs/benchmarks.md). Loading the library once at start makes every
 * later batch use it; where it cannot be loaded (another platform, a {@code java.io.tmpdir} it cannot write to, a
 * native image) the codec keeps the Java compressor, which writes the same lz4 frames.
 */
@ApplicationScoped
public class Lz4Library {

    public static final String JNI = "lz4 compression of Kafka batches: lz4-java's JNI library";
    public static final String JAVA = "lz4 compression of Kafka batches: lz4-java's Java compressor";

    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start) {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            Log.info(JAVA + " (native image)");
            return;
        }
        try {
            LZ4Factory.nativeInstance();
            XXHashFactory.nativeInstance();
            Log.info(JNI);
        } catch (Throwable notLoadable) { // UnsatisfiedLinkError, or an exception while extracting the library
            Log.infof("%s (the JNI library did not load: %s)", JAVA, notLoadable);
        }
    }
}
