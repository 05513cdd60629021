package io.jenkins.plugins.gerritml.core.tensorboard;

/**
 * Receives each scalar an event file holds, in file order. The {@code tag} instance is the same for every point of a
 * tag within one run, so listeners can key maps by it cheaply. Values stored as float32 arrive widened exactly.
 */
@FunctionalInterface
public interface ScalarListener {
    void onScalar(String tag, long step, double wallTime, double value);
}
