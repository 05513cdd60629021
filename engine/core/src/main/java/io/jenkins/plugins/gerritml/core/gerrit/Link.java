package io.jenkins.plugins.gerritml.core.gerrit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/** A titled link for a review message: a training job's console, a flow run, a model artifact. */
public final class Link {
    private final String title;
    private final String url;

    private Link(final String title, final String url) {
        this.title = title;
        this.url = url;
    }

    /**
     * A link; the URL must be absolute (http, https or s3) so reviewers can follow it.
     *
     * @throws IllegalArgumentException naming the link when its URL is not absolute
     */
    public static Link valueOf(final String title, final String url) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a link needs a title (for URL " + url + ")");
        }
        try {
            URI uri = new URI(url == null ? "" : url.trim());
            if (!uri.isAbsolute() || uri.getScheme() == null
                    || !uri.getScheme().matches("https?|s3")) {
                throw new IllegalArgumentException("link '" + title + "' needs an absolute http(s) or s3 URL, was '"
                        + url + "'");
            }
            if (uri.getRawUserInfo() != null) {
                // A password in a URL would be published in the review message: refuse it without echoing it.
                throw new IllegalArgumentException("link '" + title + "' must not carry credentials (user info in the"
                        + " URL); link to " + uri.getScheme() + "://" + uri.getHost() + "/... without them");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("link '" + title + "' has a malformed URL: " + e.getMessage(), e);
        }
        return new Link(title.strip(), url.trim());
    }

    public String getTitle() {
        return title;
    }

    public String getUrl() {
        return url;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Link)) {
            return false;
        }
        Link other = (Link) o;
        return title.equals(other.title) && url.equals(other.url);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, url);
    }

    @Override
    public String toString() {
        return title + ": " + url;
    }
}
