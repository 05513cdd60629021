package io.jenkins.plugins.gerritml.core.tensorboard;

import java.util.Objects;

/** One scalar as written: step, wall time (seconds since the epoch) and value. */
public final class ScalarPoint {
    private final long step;
    private final double wallTime;
    private final double value;

    private ScalarPoint(final long step, final double wallTime, final double value) {
        this.step = step;
        this.wallTime = wallTime;
        this.value = value;
    }

    public static ScalarPoint valueOf(final long step, final double wallTime, final double value) {
        return new ScalarPoint(step, wallTime, value);
    }

    public long getStep() {
        return step;
    }

    public double getWallTime() {
        return wallTime;
    }

    public double getValue() {
        return value;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ScalarPoint)) {
            return false;
        }
        ScalarPoint other = (ScalarPoint) o;
        return step == other.step && Double.compare(wallTime, other.wallTime) == 0
                && Double.compare(value, other.value) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, wallTime, value);
    }

    @Override
    public String toString() {
        return "step " + step + ": " + value;
    }
}
