package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** Body of an unfiltered {@code POST /flows/filter} or {@code POST /deployments/filter}: one page. */
public class PageRequest {
    @CheckForNull public Integer limit;
    @CheckForNull public Integer offset;

    public static PageRequest of(final int offset, final int limit) {
        PageRequest request = new PageRequest();
        request.offset = offset;
        request.limit = limit;
        return request;
    }
}
