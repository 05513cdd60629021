package io.jenkins.plugins.gerritml.core.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options of one subcommand: {@code --name value}, {@code --name=value} (repeatable), flags, and positional
 * arguments. Unknown options fail with the list of known ones, before anything else runs.
 */
final class CliArguments {
    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> flags = new TreeSet<>();
    private final List<String> positional = new ArrayList<>();

    private CliArguments(final String command) {
        this.command = command;
    }

    /**
     * @throws UsageException for an unknown option or a missing value
     */
    static CliArguments parse(final String command, final List<String> args, final Set<String> valueOptions,
            final Set<String> flagOptions) {
        CliArguments parsed = new CliArguments(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flagOptions.contains(name) && value == null) {
                parsed.flags.add(name);
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " of '" + command + "' needs a value");
                    }
                    value = args.get(++i);
                }
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                Set<String> known = new TreeSet<>(valueOptions);
                known.addAll(flagOptions);
                throw new UsageException("unknown option --" + name + " for '" + command + "'; known: "
                        + (known.isEmpty() ? "none" : "--" + String.join(", --", known)));
            }
        }
        return parsed;
    }

    String get(final String name, final String fallback) {
        List<String> list = values.get(name);
        return list == null ? fallback : list.get(list.size() - 1);
    }

    String require(final String name, final String what) {
        String value = get(name, "");
        if (value.isBlank()) {
            throw new UsageException("'" + command + "' needs --" + name + ": " + what);
        }
        return value;
    }

    int getInt(final String name, final int fallback) {
        String value = get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim().replace("+", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + value + "'");
        }
    }

    List<String> all(final String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean flag(final String name) {
        return flags.contains(name);
    }

    List<String> positional() {
        return positional;
    }

    /** {@code key=value} pairs of a repeatable option. */
    Map<String, String> pairs(final String name) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : all(name)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--" + name + " takes name=value, was '" + pair + "'");
            }
            result.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return result;
    }

    /** Bad command line or configuration: exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(final String message) {
            super(message);
        }
    }
}
