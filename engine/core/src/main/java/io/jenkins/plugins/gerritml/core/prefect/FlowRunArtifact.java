package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.prefect.dto.ArtifactResponse;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An artifact a flow run created; a link artifact ({@code [text](url)}) gives a title and URL to show in Gerrit. */
public final class FlowRunArtifact {
    private static final Pattern MARKDOWN_LINK = Pattern.compile("^\\s*\\[([^\\]]*)\\]\\((\\S+?)\\)\\s*$");

    private final String key;
    private final String type;
    private final String description;
    private final String title;
    private final String link;

    private FlowRunArtifact(final String key, final String type, final String description, final String title,
            final String link) {
        this.key = key;
        this.type = type;
        this.description = description;
        this.title = title;
        this.link = link;
    }

    public static FlowRunArtifact valueOf(final ArtifactResponse dto) {
        String key = dto.key == null ? "" : dto.key;
        String data = dto.data instanceof String ? (String) dto.data : "";
        Matcher matcher = MARKDOWN_LINK.matcher(data);
        String title = "";
        String link = "";
        if (matcher.matches() && (matcher.group(2).startsWith("http://") || matcher.group(2).startsWith("https://"))) {
            title = matcher.group(1).isBlank() ? matcher.group(2) : matcher.group(1);
            link = matcher.group(2);
        }
        return new FlowRunArtifact(key, dto.type == null ? "" : dto.type,
                dto.description == null ? "" : dto.description, title.isEmpty() ? key : title, link);
    }

    public static FlowRunArtifact link(final String key, final String title, final String url) {
        return new FlowRunArtifact(key, "markdown", "", title, url);
    }

    public String getKey() {
        return key;
    }

    public String getType() {
        return type;
    }

    public String getDescription() {
        return description;
    }

    /** The link text, else the key. */
    public String getTitle() {
        return title;
    }

    /** The http(s) URL of a link artifact, or empty. */
    public String getLink() {
        return link;
    }

    public boolean isLink() {
        return !link.isEmpty();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlowRunArtifact)) {
            return false;
        }
        FlowRunArtifact other = (FlowRunArtifact) o;
        return key.equals(other.key) && type.equals(other.type) && description.equals(other.description)
                && title.equals(other.title) && link.equals(other.link);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, type, description, title, link);
    }

    @Override
    public String toString() {
        return isLink() ? title + " <" + link + ">" : key + " (" + type + ")";
    }
}
