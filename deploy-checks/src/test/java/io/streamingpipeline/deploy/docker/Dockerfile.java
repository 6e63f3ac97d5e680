package io.streamingpipeline.deploy.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile as a list of instructions: comments and blank lines dropped, continuation lines joined, each
 * instruction numbered by its build stage (every FROM starts one).
 */
public record Dockerfile(List<Instruction> instructions) {

    /** One instruction: keyword in upper case, the rest as written, its stage (0-based), and the stage's name. */
    public record Instruction(String keyword, String arguments, int stage, String stageName) {

        /** Flags such as {@code --from=build} or {@code --chown=185}, before the arguments proper. */
        public List<String> flags() {
            List<String> flags = new ArrayList<>();
            for (String word : arguments.split("\\s+")) {
                if (!word.startsWith("--")) {
                    break;
                }
                flags.add(word);
            }
            return flags;
        }

        /** The arguments without the leading flags, split on white space (exec form {@code [..]} unwrapped). */
        public List<String> words() {
            String rest = arguments.strip();
            for (String flag : flags()) {
                rest = rest.substring(flag.length()).strip();
            }
            if (rest.startsWith("[")) {
                List<String> items = new ArrayList<>();
                for (String item : rest.substring(1, rest.lastIndexOf(']')).split(",")) {
                    String trimmed = item.strip();
                    items.add(trimmed.length() >= 2 ? trimmed.substring(1, trimmed.length() - 1) : trimmed);
                }
                return items;
            }
            return List.of(rest.split("\\s+"));
        }
    }

    public static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int stage = -1;
        String stageName = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && line.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String joined = current.toString().strip();
            current.setLength(0);
            int space = joined.indexOf(' ');
            String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : joined.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                stage++;
                String[] words = arguments.split("\\s+");
                stageName = words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS")
                        ? words[words.length - 1]
                        : null;
            }
            instructions.add(new Instruction(keyword, arguments, stage, stageName));
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    public List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    public int lastStage() {
        return instructions.stream().mapToInt(Instruction::stage).max().orElse(-1);
    }

    public List<Instruction> inFinalStage(String keyword) {
        int last = lastStage();
        return all(keyword).stream().filter(i -> i.stage() == last).toList();
    }
}
