package io.streamingpipeline.localstack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of an engine's log file, to put into error messages. */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    /** The last {@code lines} lines of {@code file} (at most the last 64 KiB), or "" if it does not exist. */
    public static String of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    /** A block for an exception message: a header naming the file and its last lines; "" if there is nothing. */
    public static String section(Path file, int lines) {
        String tail = of(file, lines);
        if (tail.isBlank()) {
            return "";
        }
        String nl = System.lineSeparator();
        return nl + "--- last lines of " + file + " ---" + nl + tail + nl + "--- end of " + file.getFileName() + " ---";
    }

    /** Whether the last 64 KiB of {@code file} contain {@code text}. */
    public static boolean contains(Path file, String text) {
        return of(file, Integer.MAX_VALUE).contains(text);
    }
}
