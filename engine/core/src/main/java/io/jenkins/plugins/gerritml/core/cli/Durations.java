package io.jenkins.plugins.gerritml.core.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: {@code 90} (seconds), {@code 30s}, {@code 15m}, {@code 2h}, {@code 1h30m}, ISO. */
final class Durations {
    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {
    }

    static Duration parse(final String option, final String value) {
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (text.matches("\\d+")) {
                return positive(option, value, Duration.ofSeconds(Long.parseLong(text)));
            }
            Matcher units = UNITS.matcher(text);
            if (!text.isEmpty() && units.matches()) {
                Duration duration = Duration.ZERO;
                if (units.group(1) != null) {
                    duration = duration.plusHours(Long.parseLong(units.group(1)));
                }
                if (units.group(2) != null) {
                    duration = duration.plusMinutes(Long.parseLong(units.group(2)));
                }
                if (units.group(3) != null) {
                    duration = duration.plusSeconds(Long.parseLong(units.group(3)));
                }
                return positive(option, value, duration);
            }
            return positive(option, value, Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT)));
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new CliArguments.UsageException("--" + option + " " + value + ": expected a duration such as 90 "
                    + "(seconds), 30s, 15m, 2h, 1h30m or PT2H");
        }
    }

    private static Duration positive(final String option, final String value, final Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new CliArguments.UsageException("--" + option + " " + value + ": must be longer than zero");
        }
        return duration;
    }
}
