package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sonymobile.tools.gerrit.gerritevents.GerritJsonEventFactory;
import com.sonymobile.tools.gerrit.gerritevents.dto.GerritEvent;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Account;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Approval;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Change;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.PatchSet;
import com.sonymobile.tools.gerrit.gerritevents.dto.attr.Provider;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.ChangeBasedEvent;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.CommentAdded;
import com.sonymobile.tools.gerrit.gerritevents.dto.events.GerritTriggeredEvent;
import net.sf.json.JSONException;
import net.sf.json.JSONObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link GerritChange} from Gerrit Trigger's build parameters (unverified) or from a Gerrit event: Gerrit
 * Trigger's own event object or a {@code stream-events} JSON line, both through gerrit-events' DTOs (trusted).
 */
public final class GerritChangeFactory {
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REFSPEC = Pattern.compile("refs/changes/(\\d{2})/(\\d+)/(\\d+)");
    private static final Pattern NAME_AND_EMAIL = Pattern.compile("\\s*\"?([^\"<]*?)\"?\\s*<([^>]*)>\\s*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GerritChangeFactory() {
    }

    // ------------------------------------------------------------------------------------------ build parameters

    /**
     * Reads the {@code GERRIT_*} parameters of a build started by Gerrit Trigger for a change-based event.
     *
     * @throws GerritParameterException naming the first missing or malformed parameter
     */
    public static GerritChange fromParameters(final Map<String, String> parameters) {
        String eventType = optional(parameters, "GERRIT_EVENT_TYPE");
        if (eventType.equals("ref-updated")) {
            throw new GerritParameterException("GERRIT_EVENT_TYPE", "GERRIT_EVENT_TYPE is ref-updated, which names "
                    + "no change or patch set: trigger this job on patchset-created, comment-added or change-merged.");
        }
        int changeNumber = positiveInt(parameters, "GERRIT_CHANGE_NUMBER", "the change number, e.g. 1234");
        int patchSet = positiveInt(parameters, "GERRIT_PATCHSET_NUMBER", "the patch set number, e.g. 3");
        String revision = required(parameters, "GERRIT_PATCHSET_REVISION", "the patch set's 40-hex commit SHA-1");
        if (!SHA1.matcher(revision).matches()) {
            throw new GerritParameterException("GERRIT_PATCHSET_REVISION", "GERRIT_PATCHSET_REVISION='"
                    + shorten(revision) + "' is not a commit: expected 40 lower-case hex digits.");
        }
        String refspec = optional(parameters, "GERRIT_REFSPEC");
        String expectedRef = refFor(changeNumber, patchSet);
        if (refspec.isEmpty()) {
            refspec = expectedRef;
        } else if (!refspec.equals(expectedRef)) {
            throw new GerritParameterException("GERRIT_REFSPEC", "GERRIT_REFSPEC='" + shorten(refspec)
                    + "' does not belong to change " + changeNumber + " patch set " + patchSet + ": expected "
                    + expectedRef + ".");
        }
        String port = optional(parameters, "GERRIT_PORT");
        return GerritChange.builder()
                .withSource(ContextSource.BUILD_PARAMETERS)
                .withServerName(optional(parameters, "GERRIT_NAME"))
                .withHost(optional(parameters, "GERRIT_HOST"))
                .withPort(port.isEmpty() ? 0 : positiveInt(parameters, "GERRIT_PORT", "the Gerrit SSH port, e.g. 29418"))
                .withScheme(optional(parameters, "GERRIT_SCHEME"))
                .withProject(required(parameters, "GERRIT_PROJECT", "the Gerrit project name"))
                .withBranch(required(parameters, "GERRIT_BRANCH", "the change's target branch, e.g. master"))
                .withTopic(optional(parameters, "GERRIT_TOPIC"))
                .withChangeId(optional(parameters, "GERRIT_CHANGE_ID"))
                .withChangeNumber(changeNumber)
                .withSubject(optional(parameters, "GERRIT_CHANGE_SUBJECT"))
                .withCommitMessage(maybeBase64(optional(parameters, "GERRIT_CHANGE_COMMIT_MESSAGE")))
                .withChangeUrl(optional(parameters, "GERRIT_CHANGE_URL"))
                .withPatchSetNumber(patchSet)
                .withRevision(revision)
                .withRefspec(refspec)
                .withOwner(account(parameters, "GERRIT_CHANGE_OWNER"))
                .withUploader(account(parameters, "GERRIT_PATCHSET_UPLOADER"))
                .withEventAccount(account(parameters, "GERRIT_EVENT_ACCOUNT"))
                .withEventType(eventType)
                .withCommentText(maybeBase64(optional(parameters, "GERRIT_EVENT_COMMENT_TEXT")))
                .withApprovals(approvals(optional(parameters, "GERRIT_EVENT_UPDATED_APPROVALS")))
                .withHashtags(hashtags(optional(parameters, "GERRIT_HASHTAGS")))
                .build();
    }

    /**
     * What a build started by Gerrit's event does with {@code GERRIT_*} variables that name another change or patch
     * set (a {@code withEnv} or edited parameters): it ignores them and works for the event, and this line says so
     * for the build log. Empty when the variables agree with the event or are absent.
     */
    public static Optional<String> ignoredParameters(final GerritChange event, final Map<String, String> parameters) {
        String change = parameters.getOrDefault("GERRIT_CHANGE_NUMBER", "").trim();
        String patchSet = parameters.getOrDefault("GERRIT_PATCHSET_NUMBER", "").trim();
        boolean otherChange = !change.isEmpty() && !change.equals(Integer.toString(event.getChangeNumber()));
        boolean otherPatchSet = !patchSet.isEmpty() && !patchSet.equals(Integer.toString(event.getPatchSetNumber()));
        if (!otherChange && !otherPatchSet) {
            return Optional.empty();
        }
        return Optional.of("GERRIT_CHANGE_NUMBER=" + (change.isEmpty() ? "(unset)" : change)
                + " GERRIT_PATCHSET_NUMBER=" + (patchSet.isEmpty() ? "(unset)" : patchSet) + " are ignored: this "
                + "build was started by Gerrit's event for change " + event.getChangeNumber() + " patch set "
                + event.getPatchSetNumber() + ", and works for it. To act on another change, start a build for it.");
    }

    /** The ref of a patch set: {@code refs/changes/<last two digits>/<change>/<patch set>}. */
    public static String refFor(final int changeNumber, final int patchSet) {
        return String.format("refs/changes/%02d/%d/%d", changeNumber % 100, changeNumber, patchSet);
    }

    private static String optional(final Map<String, String> parameters, final String name) {
        String value = parameters.get(name);
        return value == null ? "" : value.trim();
    }

    private static String required(final Map<String, String> parameters, final String name, final String what) {
        String value = optional(parameters, name);
        if (value.isEmpty()) {
            throw new GerritParameterException(name, "Build parameter " + name + " is missing or empty: expected "
                    + what + ". Start the build from Gerrit Trigger, or pass " + name + " as a build parameter.");
        }
        return value;
    }

    private static int positiveInt(final Map<String, String> parameters, final String name, final String what) {
        String value = required(parameters, name, what);
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new GerritParameterException(name, "Build parameter " + name + "='" + shorten(value)
                + "' is not valid: expected " + what + " (a positive whole number).");
    }

    private static GerritAccount account(final Map<String, String> parameters, final String prefix) {
        String name = optional(parameters, prefix + "_NAME");
        String email = optional(parameters, prefix + "_EMAIL");
        String nameAndEmail = optional(parameters, prefix);
        if (name.isEmpty() && email.isEmpty() && !nameAndEmail.isEmpty()) {
            Matcher matcher = NAME_AND_EMAIL.matcher(nameAndEmail);
            if (matcher.matches()) {
                name = matcher.group(1);
                email = matcher.group(2);
            } else {
                name = nameAndEmail;
            }
        }
        return GerritAccount.valueOf(name, email, optional(parameters, prefix + "_USERNAME"));
    }

    /**
     * Gerrit Trigger Base64-encodes the commit message and comment unless the job asks for readable text. Decode
     * when the value is strict Base64 of valid UTF-8 text; keep it as it is otherwise.
     */
    static String maybeBase64(final String value) {
        if (value.isEmpty() || value.length() % 4 != 0 || !value.matches("[A-Za-z0-9+/]+={0,2}")) {
            return value;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            boolean printable = text.codePoints().allMatch(c -> c == '\n' || c == '\r' || c == '\t' || c >= 0x20);
            return printable ? text : value;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return value;
        }
    }

    /** {@code {"Code-Review":"2"}}, {@code {"Code-Review":{"value":"2","oldValue":"0"}}} or a list of approvals. */
    static List<EventApproval> approvals(final String json) {
        if (json.isEmpty()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new GerritParameterException("GERRIT_EVENT_UPDATED_APPROVALS", "GERRIT_EVENT_UPDATED_APPROVALS is "
                    + "not JSON: expected e.g. {\"Code-Review\":\"2\"}.");
        }
        List<EventApproval> result = new ArrayList<>();
        if (root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode value = entry.getValue();
                boolean updated = value.isObject() && value.hasNonNull("oldValue");
                result.add(EventApproval.valueOf(entry.getKey(),
                        approvalValue(value.isObject() ? value.get("value") : value), updated || !value.isObject()));
            }
        } else if (root.isArray()) {
            for (JsonNode approval : root) {
                result.add(EventApproval.valueOf(approval.path("type").asText(), approvalValue(approval.get("value")),
                        approval.hasNonNull("oldValue")));
            }
        } else {
            throw new GerritParameterException("GERRIT_EVENT_UPDATED_APPROVALS", "GERRIT_EVENT_UPDATED_APPROVALS must "
                    + "be a JSON object or list of approvals, was: " + shorten(json));
        }
        return result;
    }

    private static int approvalValue(final JsonNode node) {
        String text = node == null ? "" : node.asText().trim();
        try {
            return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new GerritParameterException("GERRIT_EVENT_UPDATED_APPROVALS", "GERRIT_EVENT_UPDATED_APPROVALS holds "
                    + "the value '" + shorten(text) + "': expected a whole number such as 2 or -1.");
        }
    }

    private static List<String> hashtags(final String value) {
        return value.isEmpty() ? List.of()
                : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    // ------------------------------------------------------------------------------------------------- events

    /**
     * Reads one {@code stream-events} JSON line.
     *
     * @throws GerritParameterException when the line is not JSON, not an event gerrit-events knows, or not about a
     *         change
     */
    public static GerritChange fromEventJson(final String json) {
        JSONObject object;
        try {
            object = JSONObject.fromObject(json);
        } catch (JSONException e) {
            throw new GerritParameterException("event", "The Gerrit event is not JSON: " + e.getMessage());
        }
        GerritEvent event = GerritJsonEventFactory.getEventIfInteresting(object.toString());
        if (!(event instanceof GerritTriggeredEvent)) {
            throw new GerritParameterException("event", "Not a Gerrit event that can start a build: type '"
                    + object.optString("type", "(none)") + "'.");
        }
        return fromEvent((GerritTriggeredEvent) event);
    }

    /** Reads Gerrit Trigger's (or gerrit-events') event object: the trusted source. */
    public static GerritChange fromEvent(final GerritTriggeredEvent event) {
        if (!(event instanceof ChangeBasedEvent)) {
            throw new GerritParameterException("event", "The Gerrit event " + event.getEventType().getTypeValue()
                    + " names no change: trigger this job on patchset-created, comment-added or change-merged.");
        }
        ChangeBasedEvent changeEvent = (ChangeBasedEvent) event;
        Change change = changeEvent.getChange();
        PatchSet patchSet = changeEvent.getPatchSet();
        if (change == null) {
            throw new GerritParameterException("change", "The Gerrit event carries no change.");
        }
        int changeNumber = parseEventNumber("change.number", change.getNumber());
        GerritChange.Builder builder = GerritChange.builder()
                .withSource(ContextSource.GERRIT_EVENT)
                .withProject(change.getProject())
                .withBranch(change.getBranch())
                .withTopic(change.getTopic())
                .withChangeId(change.getId())
                .withChangeNumber(changeNumber)
                .withSubject(change.getSubject())
                .withCommitMessage(change.getCommitMessage())
                .withChangeUrl(change.getUrl())
                .withOwner(account(change.getOwner()))
                .withEventAccount(account(event.getAccount()))
                .withEventType(event.getEventType().getTypeValue())
                .withHashtags(hashtags(change));
        if (patchSet != null) {
            int number = parseEventNumber("patchSet.number", patchSet.getNumber());
            builder.withPatchSetNumber(number)
                    .withRevision(patchSet.getRevision())
                    .withRefspec(patchSet.getRef() == null || patchSet.getRef().isEmpty() ? refFor(changeNumber, number)
                            : patchSet.getRef())
                    .withUploader(account(patchSet.getUploader()));
        }
        Provider provider = event.getProvider();
        if (provider != null) {
            builder.withServerName(provider.getName()).withHost(provider.getHost()).withScheme(provider.getScheme());
            try {
                builder.withPort(provider.getPort() == null || provider.getPort().isEmpty() ? 0
                        : Integer.parseInt(provider.getPort()));
            } catch (NumberFormatException e) {
                throw new GerritParameterException("provider.port", "The event's Gerrit port '" + provider.getPort()
                        + "' is not a number.");
            }
        }
        if (event instanceof CommentAdded) {
            CommentAdded comment = (CommentAdded) event;
            builder.withCommentText(comment.getComment());
            List<EventApproval> approvals = new ArrayList<>();
            if (comment.getApprovals() != null) {
                for (Approval approval : comment.getApprovals()) {
                    approvals.add(EventApproval.valueOf(approval.getType(), parseApproval(approval.getValue()),
                            approval.getOldValue() != null));
                }
            }
            builder.withApprovals(approvals);
        }
        return builder.build();
    }

    private static int parseApproval(final String value) {
        try {
            return Integer.parseInt(value == null ? "0" : value.trim());
        } catch (NumberFormatException e) {
            throw new GerritParameterException("approvals", "The event's approval value '" + value
                    + "' is not a number.");
        }
    }

    private static int parseEventNumber(final String field, final String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new GerritParameterException(field, "The event's " + field + " '" + value + "' is not a number.");
        }
    }

    private static GerritAccount account(final Account account) {
        return account == null ? GerritAccount.unknown()
                : GerritAccount.valueOf(account.getName(), account.getEmail(), account.getUsername());
    }

    private static String shorten(final String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /**
     * The event's hashtags. gerrit-events added {@code Change.getHashtags()} in 2.20; Gerrit Trigger 2.39.0 bundles
     * 2.19.0, and inside Jenkins its copy is the one loaded, so an older one must read as "no hashtags", not fail.
     */
    private static List<String> hashtags(final Change change) {
        try {
            List<String> hashtags = change.getHashtags();
            return hashtags == null ? List.of() : hashtags;
        } catch (NoSuchMethodError e) {
            return List.of();
        }
    }
}
