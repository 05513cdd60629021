package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.Map;
import java.util.Set;

/**
 * Reads the status of many remote jobs at once, in as few calls as the remote API allows (a list or filter call
 * where there is one), so that following N jobs costs O(1) calls per poll interval rather than N.
 *
 * @param <S> the backend's status type
 */
public interface StatusSource<S> {
    /**
     * Reads the current statuses of {@code ids}. An id missing from the answer is reported as not found: the job
     * may not be visible yet, or was deleted.
     *
     * @throws Exception when the remote end cannot be read; the watcher retries with backoff until the deadline
     */
    Map<String, S> read(Set<String> ids) throws Exception;

    /** Whether {@code status} is final: the watcher stops following a job once it is. */
    boolean isTerminal(S status);

    /** A short name for messages, e.g. {@code SageMaker training jobs in eu-west-1}. */
    String describe();
}
