package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The machine-readable line an ML job's review carries, from which the project's Gerrit web plugin draws one run of
 * the Checks tab: {@code gerrit-ml-check: {"v":1,"check":...,"kind":...,"id":...,"status":...}}. The review's text
 * stays for people; this line is for the Checks tab, which trusts it only on messages the CI account wrote.
 *
 * <p>{@code check} names the check across reruns (each job {@code id} is one attempt of it); {@code status} is
 * {@code RUNNING} while the job runs and {@code COMPLETED} with a {@code result} once it ended; {@code stoppable}
 * says that a review follower acts on {@code gerrit-ml stop <id>} for it. Immutable.
 */
public final class CheckBlock {
    /** How the line starts. */
    public static final String PREFIX = "gerrit-ml-check: ";
    /** The comment that asks the review follower to stop job {@code <id>}: {@code gerrit-ml stop <id>}. */
    public static final String STOP_COMMAND = "gerrit-ml stop";
    /** The comment the Checks tab's Rerun posts, for a Gerrit Trigger comment-added regular expression. */
    public static final String RERUN_COMMAND = "gerrit-ml rerun";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KIND = Pattern.compile("[a-z][a-z-]{0,31}");

    /** Where a run stands; the Checks tab's RunStatus values. */
    public enum Status { RUNNING, COMPLETED }

    /** How a completed run came out; the Checks tab's Category values. */
    public enum Result { SUCCESS, WARNING, ERROR, INFO }

    private final String check;
    private final String kind;
    private final String id;
    private final Status status;
    private final Result result;
    private final String summary;
    private final String label;
    private final List<Link> links;
    private final Instant started;
    private final Instant finished;
    private final boolean stoppable;

    private CheckBlock(final Builder b) {
        this.check = b.check;
        this.kind = b.kind;
        this.id = b.id;
        this.status = b.status;
        this.result = b.result;
        this.summary = b.summary;
        this.label = b.label;
        this.links = List.copyOf(b.links);
        this.started = b.started;
        this.finished = b.finished;
        this.stoppable = b.stoppable;
    }

    /** A job that runs now: {@code check} its stable name, {@code kind} e.g. {@code training}, {@code id} the job's. */
    public static Builder running(final String check, final String kind, final String id) {
        return new Builder(check, kind, id, Status.RUNNING, null);
    }

    /** A job that ended with {@code result}. */
    public static Builder completed(final String check, final String kind, final String id, final Result result) {
        return new Builder(check, kind, id, Status.COMPLETED, Objects.requireNonNull(result, "result"));
    }

    /** The line, e.g. {@code gerrit-ml-check: {"v":1,...}}: one line, whatever the fields hold. */
    public String render() {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", 1);
        node.put("check", check);
        node.put("kind", kind);
        node.put("id", id);
        node.put("status", status.name());
        if (result != null) {
            node.put("result", result.name());
        }
        if (!summary.isEmpty()) {
            node.put("summary", summary);
        }
        if (!label.isEmpty()) {
            node.put("label", label);
        }
        if (!links.isEmpty()) {
            ArrayNode array = node.putArray("links");
            links.forEach(link -> array.addObject().put("title", link.getTitle()).put("url", link.getUrl()));
        }
        if (started != null) {
            node.put("started", started.toString());
        }
        if (finished != null) {
            node.put("finished", finished.toString());
        }
        if (stoppable) {
            node.put("stoppable", true);
        }
        try {
            return PREFIX + JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a check block: " + e.getMessage(), e);
        }
    }

    /** This block with {@code more} links after its own (those it has already are left out). */
    public CheckBlock withMoreLinks(final List<Link> more) {
        Builder b = toBuilder(status, result);
        more.stream().map(CheckBlock::forBrowser).filter(link -> !b.links.contains(link)).forEach(b.links::add);
        return b.build();
    }

    /** This block as a completed one, e.g. what a stop turns a running block into. */
    public CheckBlock completedAs(final Result outcome, final String text, final Instant at) {
        Builder b = toBuilder(Status.COMPLETED, Objects.requireNonNull(outcome, "outcome"));
        b.stoppable = false;
        return b.withSummary(text).withFinished(at).build();
    }

    /**
     * {@code link} as the Checks tab can open it: the tab takes http(s) links only, so an {@code s3://bucket/key} (a
     * model artifact, a lineage record next to it) becomes its page in the S3 console.
     */
    static Link forBrowser(final Link link) {
        String url = link.getUrl();
        if (!url.startsWith("s3://")) {
            return link;
        }
        String path = url.substring("s3://".length());
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? "" : path.substring(slash + 1);
        String page = key.isEmpty() || key.endsWith("/")
                ? "buckets/" + bucket + (key.isEmpty() ? "" : "?prefix=" + encode(key))
                : "object/" + bucket + "?prefix=" + encode(key);
        return Link.valueOf(link.getTitle(), "https://s3.console.aws.amazon.com/s3/" + page);
    }

    private static String encode(final String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                .replace("%2F", "/");
    }

    /** A builder holding this block's fields, at {@code next} status and result. */
    private Builder toBuilder(final Status next, final Result outcome) {
        Builder b = new Builder(check, kind, id, next, outcome);
        b.summary = summary;
        b.label = label;
        b.links.addAll(links);
        b.started = started;
        b.finished = finished;
        b.stoppable = stoppable;
        return b;
    }

    /**
     * The last block in {@code message}, if a line of it is one. Says nothing about who wrote the message: the
     * caller trusts only the CI account's.
     */
    public static Optional<CheckBlock> find(final String message) {
        if (message == null) {
            return Optional.empty();
        }
        String[] lines = message.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith(PREFIX)) {
                Optional<CheckBlock> block = parse(line.substring(PREFIX.length()));
                if (block.isPresent()) {
                    return block;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<CheckBlock> parse(final String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.path("v").asInt() != 1) {
                return Optional.empty();
            }
            Status status = Status.valueOf(node.path("status").asText());
            String check = node.path("check").asText();
            String kind = node.path("kind").asText();
            String id = node.path("id").asText();
            Builder b = status == Status.RUNNING ? running(check, kind, id)
                    : completed(check, kind, id, Result.valueOf(node.path("result").asText()));
            b.withSummary(node.path("summary").asText("")).withLabel(node.path("label").asText(""))
                    .stoppable(node.path("stoppable").asBoolean(false));
            for (JsonNode link : node.path("links")) {
                b.withLink(link.path("title").asText(), link.path("url").asText());
            }
            if (node.hasNonNull("started")) {
                b.withStarted(Instant.parse(node.get("started").asText()));
            }
            if (node.hasNonNull("finished")) {
                b.withFinished(Instant.parse(node.get("finished").asText()));
            }
            return Optional.of(b.build());
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether one of {@code messages} (a change's, as posted) already shows job {@code id}, e.g. the RUNNING line a
     * killed command posted before it was run again: then the job is not announced twice.
     */
    public static boolean announced(final List<PostedMessage> messages, final String id) {
        return messages.stream().map(m -> find(m.getMessage())).flatMap(Optional::stream)
                .anyMatch(block -> block.getId().equals(id));
    }

    /** The job id a stop comment names, if {@code comment} is one ({@code gerrit-ml stop <id>} on a line of its own). */
    public static Optional<String> stopRequested(final String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        for (String line : comment.split("\n")) {
            String text = line.strip();
            if (text.startsWith(STOP_COMMAND + " ")) {
                String id = text.substring(STOP_COMMAND.length()).strip();
                if (!id.isEmpty() && id.indexOf(' ') < 0) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    public String getCheck() {
        return check;
    }

    public String getKind() {
        return kind;
    }

    public String getId() {
        return id;
    }

    public Status getStatus() {
        return status;
    }

    /** The result of a completed run; empty while it runs. */
    public Optional<Result> getResult() {
        return Optional.ofNullable(result);
    }

    public String getSummary() {
        return summary;
    }

    public String getLabel() {
        return label;
    }

    public List<Link> getLinks() {
        return links;
    }

    public Optional<Instant> getStarted() {
        return Optional.ofNullable(started);
    }

    public Optional<Instant> getFinished() {
        return Optional.ofNullable(finished);
    }

    public boolean isStoppable() {
        return stoppable;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CheckBlock)) {
            return false;
        }
        return render().equals(((CheckBlock) o).render());
    }

    @Override
    public int hashCode() {
        return render().hashCode();
    }

    @Override
    public String toString() {
        return render();
    }

    /** Builds a {@link CheckBlock}; names and kinds are checked as they are set. */
    public static final class Builder {
        private final String check;
        private final String kind;
        private final String id;
        private final Status status;
        private final Result result;
        private String summary = "";
        private String label = "";
        private final List<Link> links = new ArrayList<>();
        private Instant started;
        private Instant finished;
        private boolean stoppable;

        private Builder(final String check, final String kind, final String id, final Status status,
                final Result result) {
            if (check == null || check.isBlank()) {
                throw new IllegalArgumentException("a check run needs a name, e.g. 'SageMaker training churn'");
            }
            if (kind == null || !KIND.matcher(kind).matches()) {
                throw new IllegalArgumentException("check kind '" + kind + "' must be lower-case letters and dashes,"
                        + " e.g. training");
            }
            if (id == null || id.isBlank() || id.strip().indexOf(' ') >= 0) {
                throw new IllegalArgumentException("check run id '" + id + "' must be one word: the job's id");
            }
            this.check = oneLine(check);
            this.kind = kind;
            this.id = id.strip();
            this.status = status;
            this.result = result;
        }

        /** A few words for the run's summary, e.g. {@code validation:auc 0.91}; kept to one line. */
        public Builder withSummary(final String text) {
            this.summary = text == null ? "" : oneLine(text);
            return this;
        }

        /** The label the run votes on, which ties the run to its vote in the Checks tab. */
        public Builder withLabel(final String name) {
            this.label = name == null ? "" : name.strip();
            return this;
        }

        /** A link for the run; an {@code s3://} URI becomes its page in the S3 console, which a browser can open. */
        public Builder withLink(final String title, final String url) {
            links.add(forBrowser(Link.valueOf(title, url)));
            return this;
        }

        public Builder withLinks(final List<Link> more) {
            more.forEach(link -> links.add(forBrowser(link)));
            return this;
        }

        public Builder withStarted(final Instant at) {
            this.started = at;
            return this;
        }

        public Builder withFinished(final Instant at) {
            this.finished = at;
            return this;
        }

        /** Whether a review follower stops the job on {@code gerrit-ml stop <id>}. */
        public Builder stoppable(final boolean acts) {
            this.stoppable = acts;
            return this;
        }

        public CheckBlock build() {
            return new CheckBlock(this);
        }

        private static String oneLine(final String text) {
            String flat = text.strip().replaceAll("\\s*\\R\\s*", " ");
            return flat.length() > 200 ? flat.substring(0, 199) + "…" : flat;
        }
    }
}
