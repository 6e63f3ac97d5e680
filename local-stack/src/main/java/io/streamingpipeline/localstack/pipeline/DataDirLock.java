package io.streamingpipeline.localstack.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One command's claim on a data dir ({@code ./pipeline run}, or a day job): two would run two Kafka brokers and two
 * Cassandra nodes on the same files, and {@code --fresh} would delete a running pipeline's data. An operating-system
 * lock on {@value #FILE} in the data dir, which the JVM's exit releases, after a kill -9 too; the file names its
 * holder for the message the next command gets.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = "pipeline.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data dir for {@code command} (e.g. "./pipeline run"); throws {@link IllegalStateException} naming the
     * holder when another process has it.
     */
    static DataDirLock acquire(Path dataDir, String command) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                throw new IllegalStateException("The data dir " + dataDir + " is in use by "
                        + (holder.isEmpty() ? "another ./pipeline command" : holder)
                        + ": stop it first (Ctrl-C), or give this one another --data-dir.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(
                    (command + " (pid " + ProcessHandle.current().pid() + ")").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the data dir " + dataDir + " (" + file + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
