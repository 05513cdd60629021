package io.jenkins.plugins.gerritml.core.util;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff: starts small so short jobs finish fast, caps so long jobs cost few calls.
 * Immutable; {@link #delay(int)} is a pure function of the attempt number.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration cap;
    private final double factor;

    private Backoff(final Duration initial, final Duration cap, final double factor) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " is below the initial delay " + initial);
        }
        if (factor < 1.0) {
            throw new IllegalArgumentException("backoff factor must be >= 1, was " + factor);
        }
        this.initial = initial;
        this.cap = cap;
        this.factor = factor;
    }

    /** Doubling from {@code initial} up to {@code cap}. */
    public static Backoff of(final Duration initial, final Duration cap) {
        return new Backoff(initial, cap, 2.0);
    }

    public static Backoff of(final Duration initial, final Duration cap, final double factor) {
        return new Backoff(initial, cap, factor);
    }

    /** The delay before attempt {@code attempt} (0 = first retry). */
    public Duration delay(final int attempt) {
        double millis = initial.toMillis() * Math.pow(factor, Math.max(0, attempt));
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    public Duration initial() {
        return initial;
    }

    public Duration cap() {
        return cap;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Backoff)) {
            return false;
        }
        Backoff other = (Backoff) o;
        return Double.compare(factor, other.factor) == 0 && initial.equals(other.initial) && cap.equals(other.cap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initial, cap, factor);
    }

    @Override
    public String toString() {
        return "Backoff[" + initial + " x" + factor + " up to " + cap + "]";
    }
}
