package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.util.Formats;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Objects;

/**
 * What must hold on the live change before automation proceeds, e.g. "Code-Review+2 by an ML Approver, not the
 * owner, on the patch set being built, merged, on a release branch". Immutable; built with {@link #builder()}.
 */
public final class ApprovalPolicy implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    private final String label;
    private final int minimumValue;
    private final List<String> groups;
    private final boolean selfApprovalAllowed;
    private final boolean currentPatchSetRequired;
    private final boolean mergeRequired;
    private final String branchPattern;
    private final boolean vetoRespected;
    private final boolean allSubmitRequirements;
    private final List<String> submitRequirements;

    private ApprovalPolicy(final Builder builder) {
        this.label = builder.label;
        this.minimumValue = builder.minimumValue;
        this.groups = List.copyOf(builder.groups);
        this.selfApprovalAllowed = builder.selfApprovalAllowed;
        this.currentPatchSetRequired = builder.currentPatchSetRequired;
        this.mergeRequired = builder.mergeRequired;
        this.branchPattern = builder.branchPattern;
        this.vetoRespected = builder.vetoRespected;
        this.allSubmitRequirements = builder.allSubmitRequirements;
        this.submitRequirements = List.copyOf(builder.submitRequirements);
    }

    /** Code-Review+2, no self-approval, on the current patch set; everything else off. */
    public static Builder builder() {
        return new Builder();
    }

    public String getLabel() {
        return label;
    }

    public int getMinimumValue() {
        return minimumValue;
    }

    /** Groups an approver must belong to (any of them); empty means anyone allowed to vote. */
    public List<String> getGroups() {
        return groups;
    }

    public boolean isSelfApprovalAllowed() {
        return selfApprovalAllowed;
    }

    public boolean isCurrentPatchSetRequired() {
        return currentPatchSetRequired;
    }

    public boolean isMergeRequired() {
        return mergeRequired;
    }

    /** A glob over branch names ({@code main}, {@code release/*}), empty for any branch. */
    public String getBranchPattern() {
        return branchPattern;
    }

    /** Whether a vote at the label's minimum (e.g. Code-Review-2) blocks, whatever else is there. */
    public boolean isVetoRespected() {
        return vetoRespected;
    }

    /** Whether every submit requirement Gerrit evaluates on the change must permit submit. */
    public boolean isAllSubmitRequirements() {
        return allSubmitRequirements;
    }

    /** Names of Gerrit submit requirements that must permit submit; empty when none are named. */
    public List<String> getSubmitRequirements() {
        return submitRequirements;
    }

    /** Whether the gate must read Gerrit's submit requirements at all. */
    public boolean isSubmitRequirementsChecked() {
        return allSubmitRequirements || !submitRequirements.isEmpty();
    }

    /** Whether {@code branch} matches {@link #getBranchPattern()}. */
    public boolean matchesBranch(final String branch) {
        if (branchPattern.isEmpty()) {
            return true;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + branchPattern);
        return matcher.matches(Path.of(branch.replaceFirst("^refs/heads/", "")));
    }

    /** One line for logs and refusals, e.g. {@code Code-Review>=+2 by [ML Approvers], not self, merged}. */
    public String describe() {
        StringBuilder text = new StringBuilder(label).append(">=").append(minimumValue > 0 ? "+" : "")
                .append(minimumValue);
        if (!groups.isEmpty()) {
            text.append(" by a member of ").append(String.join(" or ", groups));
        }
        if (!selfApprovalAllowed) {
            text.append(", not self-approved");
        }
        if (currentPatchSetRequired) {
            text.append(", on the current patch set");
        }
        if (mergeRequired) {
            text.append(", merged");
        }
        if (!branchPattern.isEmpty()) {
            text.append(", branch ").append(branchPattern);
        }
        if (allSubmitRequirements) {
            text.append(", all submit requirements satisfied");
        } else if (!submitRequirements.isEmpty()) {
            text.append(", submit requirement").append(submitRequirements.size() > 1 ? "s " : " ")
                    .append(String.join(", ", submitRequirements)).append(" satisfied");
        }
        return text.toString();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ApprovalPolicy)) {
            return false;
        }
        ApprovalPolicy other = (ApprovalPolicy) o;
        return minimumValue == other.minimumValue && selfApprovalAllowed == other.selfApprovalAllowed
                && currentPatchSetRequired == other.currentPatchSetRequired && mergeRequired == other.mergeRequired
                && vetoRespected == other.vetoRespected && label.equals(other.label) && groups.equals(other.groups)
                && branchPattern.equals(other.branchPattern) && allSubmitRequirements == other.allSubmitRequirements
                && submitRequirements.equals(other.submitRequirements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, minimumValue, groups, selfApprovalAllowed, currentPatchSetRequired, mergeRequired,
                branchPattern, vetoRespected, allSubmitRequirements, submitRequirements);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Builds an {@link ApprovalPolicy}, validating each value as it is set. */
    public static final class Builder {
        private String label = "Code-Review";
        private int minimumValue = 2;
        private List<String> groups = List.of();
        private boolean selfApprovalAllowed;
        private boolean currentPatchSetRequired = true;
        private boolean mergeRequired;
        private String branchPattern = "";
        private boolean vetoRespected = true;
        private boolean allSubmitRequirements;
        private List<String> submitRequirements = List.of();

        private Builder() {
        }

        public Builder withLabel(final String name) {
            if (name == null || !Formats.isGerritLabel(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a Gerrit label name, e.g. Code-Review");
            }
            this.label = name;
            return this;
        }

        public Builder withMinimumValue(final int value) {
            if (value < 1 || value > 2) {
                throw new IllegalArgumentException("an approval needs a positive vote: minimum value must be +1 or +2,"
                        + " was " + value);
            }
            this.minimumValue = value;
            return this;
        }

        public Builder withGroups(final List<String> names) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("approver group names must not be blank");
                }
            }
            this.groups = List.copyOf(names);
            return this;
        }

        public Builder withSelfApprovalAllowed(final boolean allowed) {
            this.selfApprovalAllowed = allowed;
            return this;
        }

        public Builder withCurrentPatchSetRequired(final boolean required) {
            this.currentPatchSetRequired = required;
            return this;
        }

        public Builder withMergeRequired(final boolean required) {
            this.mergeRequired = required;
            return this;
        }

        public Builder withBranchPattern(final String glob) {
            String pattern = glob == null ? "" : glob.trim();
            if (!pattern.isEmpty()) {
                try {
                    FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("branch pattern '" + glob + "' is not a valid glob: "
                            + e.getMessage(), e);
                }
            }
            this.branchPattern = pattern;
            return this;
        }

        public Builder withVetoRespected(final boolean respected) {
            this.vetoRespected = respected;
            return this;
        }

        /**
         * Gerrit submit requirements that must permit submit ({@code SATISFIED}, {@code OVERRIDDEN} or
         * {@code NOT_APPLICABLE}) on the change: their names, or the single word {@code all} for every requirement
         * Gerrit evaluates; an empty list checks none.
         */
        public Builder withSubmitRequirements(final List<String> names) {
            List<String> cleaned = new java.util.ArrayList<>();
            boolean all = false;
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("submit requirement names must not be blank: name them as "
                            + "Gerrit shows them (e.g. Code-Review) or use 'all'");
                }
                if ("all".equalsIgnoreCase(name.trim())) {
                    all = true;
                } else if (!cleaned.contains(name.trim())) {
                    cleaned.add(name.trim());
                }
            }
            if (all && !cleaned.isEmpty()) {
                throw new IllegalArgumentException("submit requirements: either 'all' or names (" + String.join(", ",
                        cleaned) + "), not both");
            }
            this.allSubmitRequirements = all;
            this.submitRequirements = List.copyOf(cleaned);
            return this;
        }

        public ApprovalPolicy build() {
            return new ApprovalPolicy(this);
        }
    }
}
