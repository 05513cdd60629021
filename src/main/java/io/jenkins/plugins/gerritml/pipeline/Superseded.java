package io.jenkins.plugins.gerritml.pipeline;

import jenkins.model.CauseOfInterruption;

/**
 * Why a step ended when the review moved past its patch set: "Superseded by patch set 3 of ml-demo~42: flow run
 * calm-fox stopped". The build ends {@code NOT_BUILT}: the code was not found wanting, it was replaced, so neither
 * this plugin nor Gerrit Trigger's own reporting should read it as a failure.
 */
public final class Superseded extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;

    private final String description;

    public Superseded(final String description) {
        this.description = description;
    }

    @Override
    public String getShortDescription() {
        return description;
    }
}
