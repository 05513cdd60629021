package io.jenkins.plugins.gerritml.core.prefect.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Prefect's {@code {"any_": [...]}} filter on ids. */
public class AnyFilter {
    @JsonProperty("any_")
    @CheckForNull public List<String> any;

    public static AnyFilter of(final Collection<String> values) {
        AnyFilter filter = new AnyFilter();
        filter.any = new ArrayList<>(values);
        return filter;
    }
}
