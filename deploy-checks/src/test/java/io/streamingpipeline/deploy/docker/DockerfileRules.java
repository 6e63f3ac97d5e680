package io.streamingpipeline.deploy.docker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every image of the project follows; each method returns the broken rules (empty = fine), so the
 * tests can show all problems at once and can prove on bad examples that a rule bites.
 */
public final class DockerfileRules {

    /** A name that holds a secret: such ENV / ARG must not be given a value in the image. */
    static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIAL).*");

    private DockerfileRules() {}

    /** Every FROM names an earlier stage, or an image with a tag other than latest (or a digest). */
    public static List<String> pinnedBaseImages(Dockerfile dockerfile) {
        List<String> problems = new ArrayList<>();
        Set<String> stages = new HashSet<>();
        for (Dockerfile.Instruction from : dockerfile.all("FROM")) {
            List<String> words = from.words();
            String image = words.get(0);
            if (stages.contains(image) || image.equals("scratch")) {
                // an earlier stage, or the empty image
            } else if (image.contains("@sha256:")) {
                // pinned by digest
            } else {
                int slash = image.lastIndexOf('/');
                int colon = image.indexOf(':', slash + 1);
                String tag = colon < 0 ? null : image.substring(colon + 1);
                if (tag == null || tag.isBlank()) {
                    problems.add("FROM " + image + ": no tag (pin one)");
                } else if (tag.equalsIgnoreCase("latest")) {
                    problems.add("FROM " + image + ": 'latest' is not a pin");
                } else if (tag.contains("$")) {
                    problems.add("FROM " + image + ": tag from a build argument; pin it in the file");
                }
            }
            if (from.stageName() != null) {
                stages.add(from.stageName());
            }
        }
        if (dockerfile.all("FROM").isEmpty()) {
            problems.add("no FROM");
        }
        return problems;
    }

    /** The final stage ends as a user other than root. */
    public static List<String> nonRootUser(Dockerfile dockerfile) {
        List<Dockerfile.Instruction> users = dockerfile.inFinalStage("USER");
        if (users.isEmpty()) {
            return List.of("the final stage sets no USER (it would run as the base image's user, often root)");
        }
        String user = users.get(users.size() - 1).arguments().split(":")[0].strip();
        if (user.equals("root") || user.equals("0")) {
            return List.of("the final stage runs as " + user);
        }
        return List.of();
    }

    /** The ports the final stage exposes. */
    public static Set<String> exposedPorts(Dockerfile dockerfile) {
        Set<String> ports = new HashSet<>();
        dockerfile.inFinalStage("EXPOSE").forEach(e -> ports.addAll(e.words()));
        return ports;
    }

    /** No ENV or ARG with a secret-looking name carries a value. */
    public static List<String> noSecretValues(Dockerfile dockerfile) {
        List<String> problems = new ArrayList<>();
        for (String keyword : List.of("ENV", "ARG")) {
            for (Dockerfile.Instruction instruction : dockerfile.all(keyword)) {
                String text = instruction.arguments();
                // ENV a=b c="d e" / ENV a b / ARG a=b / ARG a
                var assignments = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(=(\"[^\"]*\"|'[^']*'|\\S*))?")
                        .matcher(text);
                boolean legacyForm = keyword.equals("ENV") && !text.contains("=");
                if (legacyForm) {
                    String name = text.split("\\s+", 2)[0];
                    if (SECRET_NAME.matcher(name).matches()) {
                        problems.add(keyword + " " + name + " has a value in the image");
                    }
                    continue;
                }
                while (assignments.find()) {
                    String name = assignments.group(1);
                    String value = assignments.group(3);
                    if (SECRET_NAME.matcher(name).matches()
                            && value != null
                            && !value.isEmpty()
                            && !value.equals("\"\"")
                            && !value.equals("''")) {
                        problems.add(keyword + " " + name + " has a value in the image");
                    }
                }
            }
        }
        return problems;
    }

    /** The sources of COPY / ADD that come from the build context (not {@code --from} another stage). */
    public static List<String> contextSources(Dockerfile dockerfile) {
        List<String> sources = new ArrayList<>();
        for (String keyword : List.of("COPY", "ADD")) {
            for (Dockerfile.Instruction copy : dockerfile.all(keyword)) {
                if (copy.flags().stream().anyMatch(f -> f.startsWith("--from"))) {
                    continue;
                }
                List<String> words = copy.words();
                sources.addAll(words.subList(0, words.size() - 1));
            }
        }
        return sources;
    }
}
