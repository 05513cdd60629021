package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** One element of {@code POST /logs/filter}. */
public class LogResponse {
    @CheckForNull public String id;
    /** The Python logger's name, e.g. {@code prefect.flow_runs}. */
    @CheckForNull public String name;
    /** Python logging level: 10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR, 50 CRITICAL. */
    @CheckForNull public Integer level;
    @CheckForNull public String message;
    @CheckForNull public String timestamp;
    @CheckForNull public String flowRunId;
    @CheckForNull public String taskRunId;
}
