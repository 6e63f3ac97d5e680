package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeSinkTest {

    @Test
    void readsEachCompleteLineOnceAndWaitsForTheRestOfAPartialOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("probes.jsonl");
        ProbeSink sink = ProbeSink.appendedJsonLines(file);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        List<UUID> seen = new ArrayList<>();

        sink.poll(0, 0, seen::add); // no file yet
        Files.writeString(file, line(a) + "\n" + line(b) + "\n" + line(c).substring(0, 10));
        sink.poll(0, 0, seen::add);
        assertThat(seen).containsExactly(a, b);

        Files.writeString(file, line(c).substring(10) + "\n", StandardOpenOption.APPEND);
        sink.poll(0, 0, seen::add);
        sink.poll(0, 0, seen::add);
        assertThat(seen).containsExactly(a, b, c);
    }

    private static String line(UUID id) {
        return "{\"id\":\"" + id + "\",\"symbol\":\"BENCH:PROBE\",\"timestamp_unix\":1}";
    }
}
