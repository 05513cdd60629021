package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** Reply of {@code set_state}: ACCEPT, REJECT, ABORT or WAIT, with a reason for the last three. */
public class OrchestrationResult {
    @CheckForNull public StateDto state;
    @CheckForNull public String status;
    @CheckForNull public Details details;

    /** {@code StateAcceptDetails}, {@code StateRejectDetails}, {@code StateAbortDetails}, {@code StateWaitDetails}. */
    public static class Details {
        @CheckForNull public String type;
        @CheckForNull public String reason;
        @CheckForNull public Integer delaySeconds;
    }
}
