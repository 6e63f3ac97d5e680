package io.streamingpipeline.spark;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How the query writes its checkpoint files (an offset file when a micro-batch starts, a commit file when it ends)
 * when the checkpoint is on a local file system: a directory of the machine, or a mounted volume as in Compose and
 * Kubernetes.
 *
 * <p>Spark's default writes them through Hadoop's {@code FileContext}, whose local implementation, without Hadoop's
 * native library (stock Spark images have none), forks {@code chmod} for each new file and {@code readlink} for each
 * rename: 20–40 ms per file, 50–60 ms per micro-batch on the benchmark machine (bench/latency, JFR
 * {@code jdk.ProcessStart}). Spark's {@code FileSystem}-based manager creates and renames with plain Java I/O, and a
 * rename within a local file system is atomic, which is all it needs there: 0–2 ms per file.
 */
final class LocalCheckpoints {

    /** Spark SQL's (internal) setting that names the checkpoint file manager class. */
    static final String FILE_MANAGER_CLASS = "spark.sql.streaming.checkpointFileManagerClass";

    static final String FILE_SYSTEM_BASED =
            "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager";

    private LocalCheckpoints() {}

    /** Whether {@code location} (with or without a scheme; without, Hadoop's default file system) is local. */
    static boolean isLocal(String location, Configuration hadoopConf) {
        URI uri = new Path(location).toUri();
        String scheme = uri.getScheme() != null
                ? uri.getScheme()
                : FileSystem.getDefaultUri(hadoopConf).getScheme();
        return "file".equalsIgnoreCase(scheme);
    }
}
