package io.streamingpipeline.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small file of {@code key=value} lines in a query's checkpoint directory that says what the checkpoint belongs to
 * (the topic its offsets are positions in, the tables its batches were written to). Spark's checkpoint does not keep
 * these, so the job writes them beside it the first time it runs on the checkpoint and reads them at every start.
 */
final class CheckpointMarker {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointMarker.class);

    private CheckpointMarker() {}

    /**
     * What the marker {@code name} in {@code queryCheckpoint} records; when there is none yet (a new checkpoint, or one
     * of an earlier version), it is written first with {@code values}, in their order.
     */
    static Properties recordedOrNew(
            String queryCheckpoint, String name, Map<String, String> values, Configuration hadoop) throws IOException {
        Path marker = new Path(queryCheckpoint, name);
        FileSystem fs = marker.getFileSystem(hadoop);
        if (!fs.exists(marker)) {
            if (write(fs, marker, values)) {
                LOG.info("Checkpoint {}: {} {}", queryCheckpoint, name, values);
            } else {
                // another driver started on the same checkpoint at the same moment and wrote it first
                LOG.info("Checkpoint {}: {} written by another driver", queryCheckpoint, name);
            }
        }
        Properties recorded = new Properties();
        try (InputStream in = fs.open(marker)) {
            recorded.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        return recorded;
    }

    /** Writes the marker whole (a temporary file renamed); false if another driver wrote it first. */
    private static boolean write(FileSystem fs, Path marker, Map<String, String> values) throws IOException {
        Path written = new Path(marker.getParent(), marker.getName() + "." + UUID.randomUUID() + ".tmp");
        StringBuilder text = new StringBuilder();
        values.forEach(
                (key, value) -> text.append(key).append('=').append(value).append('\n'));
        try (OutputStream out = fs.create(written, false)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (fs.rename(written, marker)) {
            return true;
        }
        fs.delete(written, false);
        if (!fs.exists(marker)) {
            throw new IOException("cannot rename " + written + " to " + marker);
        }
        return false;
    }
}
