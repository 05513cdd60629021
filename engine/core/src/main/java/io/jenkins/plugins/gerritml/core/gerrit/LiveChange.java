package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.core.gerrit.dto.AccountInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ApprovalInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.ChangeInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.LabelInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.RevisionInfo;
import io.jenkins.plugins.gerritml.core.gerrit.dto.SubmitRequirementResultInfo;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A change as Gerrit holds it right now (or as of one revision, for {@link GerritRestClient#getReview}): status,
 * patch sets, owner and uploaders, and every vote with its account, value, date and patch set. What gates decide on.
 */
public final class LiveChange {
    /** Gerrit's change status. */
    public enum Status { NEW, MERGED, ABANDONED }

    private final String project;
    private final String branch;
    private final int number;
    private final String changeId;
    private final String subject;
    private final Status status;
    private final GerritAccount owner;
    private final int currentPatchSet;
    private final String currentRevision;
    private final Map<Integer, String> revisions;
    private final Map<Integer, GerritAccount> uploaders;
    private final Map<Integer, String> kinds;
    private final Map<String, List<Approval>> approvals;
    private final Map<String, int[]> labelRanges;
    private final boolean submittable;
    private final int labelsPatchSet;
    private final List<SubmitRequirement> submitRequirements;

    private LiveChange(final ChangeInfo info, final int labelsPatchSet) {
        this.project = text(info.project);
        this.branch = text(info.branch);
        this.number = info._number == null ? 0 : info._number;
        this.changeId = text(info.change_id);
        this.subject = text(info.subject);
        this.status = info.status == null ? Status.NEW : Status.valueOf(info.status);
        this.owner = account(info.owner);
        this.currentRevision = text(info.current_revision);
        Map<Integer, String> revs = new TreeMap<>();
        Map<Integer, GerritAccount> ups = new TreeMap<>();
        Map<Integer, String> kindsOf = new TreeMap<>();
        int current = 0;
        if (info.revisions != null) {
            for (Map.Entry<String, RevisionInfo> entry : info.revisions.entrySet()) {
                int ps = entry.getValue()._number == null ? 0 : entry.getValue()._number;
                revs.put(ps, entry.getKey());
                ups.put(ps, account(entry.getValue().uploader));
                kindsOf.put(ps, text(entry.getValue().kind));
                if (entry.getKey().equals(currentRevision)) {
                    current = ps;
                }
            }
        }
        this.currentPatchSet = current;
        this.revisions = Collections.unmodifiableMap(revs);
        this.uploaders = Collections.unmodifiableMap(ups);
        this.kinds = Collections.unmodifiableMap(kindsOf);
        this.labelsPatchSet = labelsPatchSet > 0 ? labelsPatchSet : current;
        Map<String, List<Approval>> votes = new LinkedHashMap<>();
        Map<String, int[]> ranges = new LinkedHashMap<>();
        if (info.labels != null) {
            for (Map.Entry<String, LabelInfo> label : info.labels.entrySet()) {
                List<Approval> list = new ArrayList<>();
                if (label.getValue().all != null) {
                    for (ApprovalInfo approval : label.getValue().all) {
                        if (approval.value != null && approval.value != 0) {
                            list.add(Approval.valueOf(account(approval), label.getKey(), approval.value,
                                    date(approval.date), this.labelsPatchSet));
                        }
                    }
                }
                votes.put(label.getKey(), List.copyOf(list));
                ranges.put(label.getKey(), range(label.getValue()));
            }
        }
        this.approvals = Collections.unmodifiableMap(votes);
        this.labelRanges = ranges;
        this.submittable = Boolean.TRUE.equals(info.submittable);
        List<SubmitRequirement> requirements = new ArrayList<>();
        if (info.submit_requirements != null) {
            for (SubmitRequirementResultInfo result : info.submit_requirements) {
                var expression = result.submittability_expression_result;
                requirements.add(SubmitRequirement.valueOf(text(result.name),
                        SubmitRequirement.Status.parse(result.status), Boolean.TRUE.equals(result.is_legacy),
                        expression == null ? "" : expression.expression,
                        expression == null ? List.of() : expression.failing_atoms));
            }
        }
        this.submitRequirements = List.copyOf(requirements);
    }

    /** The live change from Gerrit's ChangeInfo; labels are those of the current patch set. */
    public static LiveChange fromChangeInfo(final ChangeInfo info) {
        return new LiveChange(info, 0);
    }

    /** As Gerrit's revision review answers it: labels are those of {@code patchSet}. */
    public static LiveChange fromRevisionReview(final ChangeInfo info, final int patchSet) {
        return new LiveChange(info, patchSet);
    }

    public String getProject() {
        return project;
    }

    public String getBranch() {
        return branch;
    }

    public int getNumber() {
        return number;
    }

    public String getChangeId() {
        return changeId;
    }

    public String getSubject() {
        return subject;
    }

    public Status getStatus() {
        return status;
    }

    public GerritAccount getOwner() {
        return owner;
    }

    public int getCurrentPatchSet() {
        return currentPatchSet;
    }

    public String getCurrentRevision() {
        return currentRevision;
    }

    /** Patch set number → commit SHA-1, for every patch set Gerrit returned. */
    public Map<Integer, String> getRevisions() {
        return revisions;
    }

    /** The revision of a patch set, if Gerrit has it. */
    public Optional<String> getRevision(final int patchSet) {
        return Optional.ofNullable(revisions.get(patchSet));
    }

    /** Gerrit's change kind of {@code patchSet} ({@code REWORK}, {@code TRIVIAL_REBASE}, ...); empty if unknown. */
    public String getKind(final int patchSet) {
        return kinds.getOrDefault(patchSet, "");
    }

    public GerritAccount getUploader(final int patchSet) {
        return uploaders.getOrDefault(patchSet, GerritAccount.unknown());
    }

    /** The patch set whose votes {@link #getApprovals(String)} lists. */
    public int getLabelsPatchSet() {
        return labelsPatchSet;
    }

    /** Labels on the change, in Gerrit's order. */
    public List<String> getLabels() {
        return List.copyOf(approvals.keySet());
    }

    public boolean hasLabel(final String label) {
        return approvals.containsKey(label);
    }

    /** The non-zero votes on {@code label}, empty when none or no such label. */
    public List<Approval> getApprovals(final String label) {
        return approvals.getOrDefault(label, List.of());
    }

    /** Every non-zero vote on every label. */
    public List<Approval> getAllApprovals() {
        return approvals.values().stream().flatMap(List::stream).toList();
    }

    /** The lowest value the label allows (its veto), 0 when unknown. */
    public int getMinimum(final String label) {
        int[] range = labelRanges.get(label);
        return range == null ? 0 : range[0];
    }

    /** The highest value the label allows, 0 when unknown. */
    public int getMaximum(final String label) {
        int[] range = labelRanges.get(label);
        return range == null ? 0 : range[1];
    }

    public boolean isSubmittable() {
        return submittable;
    }

    /**
     * Gerrit's submit requirements as evaluated on the current patch set; empty unless read with
     * {@code o=SUBMIT_REQUIREMENTS} ({@link GerritRestClient#getChange(String, boolean)}).
     */
    public List<SubmitRequirement> getSubmitRequirements() {
        return submitRequirements;
    }

    private static int[] range(final LabelInfo label) {
        if (label.values == null || label.values.isEmpty()) {
            return new int[] {0, 0};
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (String key : label.values.keySet()) {
            int value = Integer.parseInt(key.trim().replace("+", ""));
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new int[] {min, max};
    }

    static GerritAccount account(final AccountInfo info) {
        return info == null ? GerritAccount.unknown()
                : GerritAccount.valueOf(info._account_id == null ? 0 : info._account_id, info.name, info.email,
                        info.username);
    }

    private static GerritAccount account(final ApprovalInfo info) {
        return GerritAccount.valueOf(info._account_id == null ? 0 : info._account_id, info.name, info.email,
                info.username);
    }

    /** Gerrit's timestamps: {@code 2026-11-21 11:50:00.000000000}, UTC. */
    static Instant date(final String text) {
        if (text == null || text.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String text(final String value) {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return project + "~" + number + " " + status + " at patch set " + currentPatchSet;
    }
}
