package io.jenkins.plugins.gerritml.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backend command did, for {@code --json FILE}: the command, exit code and the sections it filled (gate, job
 * or flow run, vote, lineage, metrics). Written once, when the command ends; it holds no secret by construction (only
 * results that were also printed).
 */
final class CliResult {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> fields = new LinkedHashMap<>();

    CliResult(final String command) {
        fields.put("command", command);
    }

    void put(final String name, final Object value) {
        fields.put(name, value);
    }

    /** Writes the file when {@code --json} was given, and returns {@code exit}. */
    int finish(final GerritMl cli, final CliArguments args, final int exit) {
        fields.put("exit", exit);
        String file = args.get("json", "");
        if (!file.isEmpty()) {
            try {
                GerritMl.write(Path.of(file), cli.mask(JSON.writeValueAsString(fields)) + "\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the result as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return exit;
    }
}
