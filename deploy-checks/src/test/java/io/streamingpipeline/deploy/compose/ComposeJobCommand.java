package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The spark-submit command of a Compose service: the job jar, and the job's own options after it. */
final class ComposeJobCommand {

    private ComposeJobCommand() {}

    /** The arguments after the job jar (the job's own options). */
    static List<String> jobArguments(ComposeFile compose, String service) {
        List<String> command = compose.command(service);
        int jar = indexOfJar(command);
        return command.subList(jar + 1, command.size());
    }

    /** The job's {@code --name value} options of the service (flags without a value map to "true"). */
    static Map<String, String> jobOptions(ComposeFile compose, String service) {
        return options(jobArguments(compose, service));
    }

    static int indexOfJar(List<String> command) {
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).endsWith(".jar")) {
                return i;
            }
        }
        throw new AssertionError("no job jar in " + command);
    }

    /** {@code --name value} pairs (flags without a value map to "true"). */
    static Map<String, String> options(List<String> arguments) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            assertThat(arg).as("job argument").startsWith("--");
            boolean hasValue = i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--");
            options.put(arg.substring(2), hasValue ? arguments.get(++i) : "true");
        }
        return options;
    }
}
