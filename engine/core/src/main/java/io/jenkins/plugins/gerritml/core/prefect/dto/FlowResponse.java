package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/** {@code GET /flows/{id}}, {@code POST /flows/filter}. */
public class FlowResponse {
    @CheckForNull public String id;
    @CheckForNull public String name;
}
