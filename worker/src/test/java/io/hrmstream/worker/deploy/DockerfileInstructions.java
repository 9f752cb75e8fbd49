package io.hrmstream.worker.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as its instructions: comments and parser directives dropped, continuation lines joined, each
 * instruction with the stage it belongs to. Enough of the Dockerfile syntax for the deploy tests to check what an
 * image does (base image, user, environment, entry point) rather than how a line is spelled. Test code; written by
 * hand because no Dockerfile parser on Maven Central is small and kept.
 */
record DockerfileInstructions(List<Instruction> instructions) {

    /** @param stage index of the FROM this instruction follows (0 = the first stage) */
    record Instruction(String keyword, String arguments, int stage) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    static DockerfileInstructions read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int stage = -1;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) continue;
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(trimmed).toString().strip();
            pending.setLength(0);
            if (whole.isEmpty()) continue;
            String[] parts = whole.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            if (keyword.equals("FROM")) stage++;
            instructions.add(new Instruction(keyword, parts.length > 1 ? parts[1] : "", stage));
        }
        return new DockerfileInstructions(instructions);
    }

    /** The arguments of every {@code keyword} instruction, in order. */
    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The arguments of {@code keyword} instructions in the final stage (the image that runs). */
    List<String> inFinalStage(String keyword) {
        int last = instructions.stream().mapToInt(Instruction::stage).max().orElse(0);
        return instructions.stream().filter(i -> i.stage() == last && i.keyword().equals(keyword))
                .map(Instruction::arguments).toList();
    }

    /** The final stage's environment: every {@code ENV key=value} pair, quotes removed. */
    Map<String, String> finalEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String args : inFinalStage("ENV")) {
            Matcher m = ENV_PAIR.matcher(args);
            while (m.find()) {
                String value = m.group(2);
                if (value.startsWith("\"")) value = value.substring(1, value.length() - 1);
                env.put(m.group(1), value);
            }
        }
        return env;
    }
}
