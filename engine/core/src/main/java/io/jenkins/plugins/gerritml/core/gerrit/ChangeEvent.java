package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sonymobile.tools.gerrit.gerritevents.dto.GerritEvent;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Change;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.PatchSet;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Account;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.ChangeAbandoned;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.CommentAdded;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.PatchsetCreated;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a Gerrit event says about a change's patch sets, as far as running jobs care: a new patch set (and of which
 * kind), an abandoned change, or a comment that asks to stop one job ({@code gerrit-ml stop <id>}, with who asked and
 * who owns the change, as Gerrit's event says). Read from a {@code stream-events} line, or built by the Jenkins layer from Gerrit
 * Trigger's event. Immutable.
 */
public final class ChangeEvent {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Gerrit's change kinds that leave the patch set's own diff as it was. */
    private static final Set<String> TRIVIAL_KINDS = Set.of("TRIVIAL_REBASE", "TRIVIAL_REBASE_WITH_MESSAGE_UPDATE",
            "NO_CODE_CHANGE", "NO_CHANGE");

    /** The events that end running work: for older patch sets, for the change, or for one job. */
    public enum Type { PATCHSET_CREATED, CHANGE_ABANDONED, STOP_REQUESTED }

    private final Type type;
    private final String project;
    private final int changeNumber;
    private final int patchSet;
    private final String kind;
    private final String jobId;
    private final GerritAccount requester;
    private final GerritAccount owner;

    private ChangeEvent(final Type type, final String project, final int changeNumber, final int patchSet,
            final String kind) {
        this(type, project, changeNumber, patchSet, kind, "", GerritAccount.unknown(), GerritAccount.unknown());
    }

    private ChangeEvent(final Type type, final String project, final int changeNumber, final int patchSet,
            final String kind, final String jobId, final GerritAccount requester, final GerritAccount owner) {
        this.type = type;
        this.project = project;
        this.changeNumber = changeNumber;
        this.patchSet = patchSet;
        this.kind = kind;
        this.jobId = jobId;
        this.requester = requester;
        this.owner = owner;
    }

    /**
     * {@code requester} commented {@code gerrit-ml stop <jobId>} on patch set {@code patchSet} of a change
     * {@code owner} owns. Whether that stops anything is the {@link SupersedeListener}'s call.
     */
    public static ChangeEvent stopRequested(final String project, final int changeNumber, final int patchSet,
            final String jobId, final GerritAccount requester, final GerritAccount owner) {
        return new ChangeEvent(Type.STOP_REQUESTED, Objects.requireNonNull(project, "project"), changeNumber,
                patchSet, "", Objects.requireNonNull(jobId, "jobId"), Objects.requireNonNull(requester, "requester"),
                Objects.requireNonNull(owner, "owner"));
    }

    /** A new patch set {@code patchSet} of Gerrit's change kind {@code kind} ({@code REWORK}, {@code TRIVIAL_REBASE}). */
    public static ChangeEvent patchSetCreated(final String project, final int changeNumber, final int patchSet,
            final String kind) {
        return new ChangeEvent(Type.PATCHSET_CREATED, Objects.requireNonNull(project, "project"), changeNumber,
                patchSet, kind == null || kind.isBlank() ? "REWORK" : kind.trim());
    }

    /** The change was abandoned (at patch set {@code patchSet}, its current one). */
    public static ChangeEvent changeAbandoned(final String project, final int changeNumber, final int patchSet) {
        return new ChangeEvent(Type.CHANGE_ABANDONED, Objects.requireNonNull(project, "project"), changeNumber,
                patchSet, "");
    }

    /** The event in a {@code stream-events} line, if it is one that concerns running jobs. */
    public static Optional<ChangeEvent> fromStreamEvent(final String line) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        String type = event.path("type").asText("");
        JsonNode change = event.path("change");
        String project = change.path("project").asText("");
        int number = change.path("number").asInt(0);
        int patchSet = event.path("patchSet").path("number").asInt(0);
        if (project.isEmpty() || number <= 0) {
            return Optional.empty();
        }
        switch (type) {
            case "patchset-created":
                return patchSet > 0 ? Optional.of(patchSetCreated(project, number, patchSet,
                        event.path("patchSet").path("kind").asText(""))) : Optional.empty();
            case "change-abandoned":
                return Optional.of(changeAbandoned(project, number, patchSet));
            case "comment-added":
                return CheckBlock.stopRequested(event.path("comment").asText("")).map(id -> stopRequested(project,
                        number, patchSet, id, streamAccount(event.path("author")),
                        streamAccount(change.path("owner"))));
            default:
                return Optional.empty();
        }
    }

    private static GerritAccount streamAccount(final JsonNode account) {
        return account.isObject() ? GerritAccount.valueOf(account.path("name").asText(""),
                account.path("email").asText(""), account.path("username").asText("")) : GerritAccount.unknown();
    }

    private static GerritAccount triggerAccount(final Account account) {
        return account == null ? GerritAccount.unknown() : GerritAccount.valueOf(nullToEmpty(account.getName()),
                nullToEmpty(account.getEmail()), nullToEmpty(account.getUsername()));
    }

    private static String nullToEmpty(final String text) {
        return text == null ? "" : text;
    }

    /**
     * The event in a Gerrit Trigger (gerrit-events) event, if it is one that concerns running jobs. Only Gerrit's own
     * {@code patchset-created}: subclasses (Gerrit Trigger's manual and retrigger events) replay an existing patch
     * set, they do not create one, so they supersede nothing.
     */
    public static Optional<ChangeEvent> fromGerritEvent(final GerritEvent event) {
        if (event == null) {
            return Optional.empty();
        }
        Change change;
        PatchSet patchSet;
        boolean created = event.getClass() == PatchsetCreated.class;
        if (created) {
            change = ((PatchsetCreated) event).getChange();
            patchSet = ((PatchsetCreated) event).getPatchSet();
        } else if (event instanceof ChangeAbandoned) {
            change = ((ChangeAbandoned) event).getChange();
            patchSet = ((ChangeAbandoned) event).getPatchSet();
        } else if (event instanceof CommentAdded) {
            CommentAdded comment = (CommentAdded) event;
            Change commented = comment.getChange();
            Optional<String> id = CheckBlock.stopRequested(comment.getComment());
            if (id.isEmpty() || commented == null || commented.getProject() == null
                    || parsePositive(commented.getNumber()) <= 0) {
                return Optional.empty();
            }
            return Optional.of(stopRequested(commented.getProject(), parsePositive(commented.getNumber()),
                    comment.getPatchSet() == null ? 0 : parsePositive(comment.getPatchSet().getNumber()), id.get(),
                    triggerAccount(comment.getAccount()), triggerAccount(commented.getOwner())));
        } else {
            return Optional.empty();
        }
        if (change == null || change.getProject() == null) {
            return Optional.empty();
        }
        int number = parsePositive(change.getNumber());
        int patchSetNumber = patchSet == null ? 0 : parsePositive(patchSet.getNumber());
        if (number <= 0) {
            return Optional.empty();
        }
        if (created) {
            return patchSetNumber > 0 ? Optional.of(patchSetCreated(change.getProject(), number, patchSetNumber,
                    patchSet.getKind() == null ? "" : patchSet.getKind().name())) : Optional.empty();
        }
        return Optional.of(changeAbandoned(change.getProject(), number, patchSetNumber));
    }

    private static int parsePositive(final String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public Type getType() {
        return type;
    }

    public String getProject() {
        return project;
    }

    public int getChangeNumber() {
        return changeNumber;
    }

    public int getPatchSet() {
        return patchSet;
    }

    /** Gerrit's change kind of a new patch set; empty for an abandon. */
    public String getKind() {
        return kind;
    }

    /** The job a stop request names; empty for other events. */
    public String getJobId() {
        return jobId;
    }

    /** Who asked for the stop, as Gerrit's event says; unknown for other events. */
    public GerritAccount getRequester() {
        return requester;
    }

    /** Who owns the change, as Gerrit's event says; unknown when the event did not say. */
    public GerritAccount getOwner() {
        return owner;
    }

    /** A new patch set whose diff is the old one's: a trivial rebase, or only the commit message changed. */
    public boolean isTrivial() {
        return type == Type.PATCHSET_CREATED && TRIVIAL_KINDS.contains(kind);
    }

    /** Whether {@code change} (a job's context) is this event's change. */
    public boolean concerns(final GerritChange change) {
        return project.equals(change.getProject()) && changeNumber == change.getChangeNumber();
    }

    public String getRestId() {
        return project + "~" + changeNumber;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ChangeEvent)) {
            return false;
        }
        ChangeEvent other = (ChangeEvent) o;
        return changeNumber == other.changeNumber && patchSet == other.patchSet && type == other.type
                && project.equals(other.project) && kind.equals(other.kind) && jobId.equals(other.jobId)
                && requester.equals(other.requester) && owner.equals(other.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, project, changeNumber, patchSet, kind, jobId, requester, owner);
    }

    @Override
    public String toString() {
        return type == Type.PATCHSET_CREATED ? "patch set " + patchSet + " (" + kind + ") of " + getRestId()
                : type == Type.CHANGE_ABANDONED ? getRestId() + " abandoned"
                : requester.getDisplayName() + " asked to stop " + jobId + " on " + getRestId();
    }
}
