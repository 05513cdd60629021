package io.jenkins.plugins.gerritml.core.prefect.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.Collection;

/** Body of {@code POST /logs/filter}: logs of some flow runs at or after a timestamp, oldest first. */
public class LogFilterRequest {
    @CheckForNull public LogFilter logs;
    @CheckForNull public String sort;
    @CheckForNull public Integer limit;
    @CheckForNull public Integer offset;

    /** {@code logs.flow_run_id.any_} and {@code logs.timestamp.after_}. */
    public static class LogFilter {
        @CheckForNull public AnyFilter flowRunId;
        @CheckForNull public TimestampFilter timestamp;
    }

    /** {@code after_} is inclusive ({@code >=}) in Prefect. */
    public static class TimestampFilter {
        @JsonProperty("after_")
        @CheckForNull public String after;
    }

    public static LogFilterRequest of(final Collection<String> flowRunIds, @CheckForNull final String after,
            final int offset, final int limit) {
        LogFilterRequest request = new LogFilterRequest();
        request.logs = new LogFilter();
        request.logs.flowRunId = AnyFilter.of(flowRunIds);
        if (after != null) {
            request.logs.timestamp = new TimestampFilter();
            request.logs.timestamp.after = after;
        }
        request.sort = "TIMESTAMP_ASC";
        request.offset = offset;
        request.limit = limit;
        return request;
    }
}
