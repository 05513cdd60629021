package io.jenkins.plugins.gerritml.lineage;

import hudson.model.Run;
import jenkins.model.RunAction2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The build's lineage as its steps recorded it: each remote job (SageMaker training or endpoint, Prefect run,
 * TensorFlow check) with its status, links, artifact URIs and metrics, next to the approval that allowed it
 * ({@link ApprovalAction}). The build page shows it as a summary. Plain strings only, so old builds stay readable.
 */
public class LineageAction implements RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(LineageAction.class.getName());

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> signedRecords = new ArrayList<>();
    private transient Run<?, ?> run;

    /** The build's action, attached on first use. */
    public static LineageAction of(final Run<?, ?> run) {
        synchronized (run) {
            LineageAction action = run.getAction(LineageAction.class);
            if (action == null) {
                action = new LineageAction();
                run.addAction(action);
            }
            return action;
        }
    }

    /** Adds (or replaces, by kind and id) an entry and saves the build. */
    public void record(final Entry entry) {
        synchronized (this) {
            entries.removeIf(e -> e.kind.equals(entry.kind) && e.id.equals(entry.id));
            entries.add(entry);
        }
        save();
    }

    public synchronized List<Entry> getEntries() {
        return Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /** The build's approval, if a gate recorded one. */
    public ApprovalAction getApproval() {
        return run == null ? null : run.getAction(ApprovalAction.class);
    }

    /** The archived, signed lineage records (paths under the build's artifacts); empty without a signing key. */
    public synchronized List<String> getSignedRecords() {
        return signedRecords == null ? List.of() : List.copyOf(signedRecords);
    }

    /** Notes an archived record and saves the build. */
    public void addSignedRecord(final String path) {
        synchronized (this) {
            if (!signedRecords.contains(path)) {
                signedRecords.add(path);
            }
        }
        save();
    }

    public Run<?, ?> getRun() {
        return run;
    }

    private void save() {
        if (run != null) {
            try {
                run.save();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Cannot save the lineage of " + run, e);
            }
        }
    }

    @Override
    public void onAttached(final Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(final Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public String getIconFileName() {
        return "symbol-git-network-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return "ML lineage";
    }

    @Override
    public String getUrlName() {
        return "ml-lineage";
    }

    /** One remote job, as the build page shows it. */
    public static final class Entry {
        private final String kind;
        private final String id;
        private final String status;
        private final Map<String, String> links;
        private final Map<String, String> details;

        /**
         * @param kind    what ran, e.g. {@code SageMaker training job}
         * @param id      its name or id
         * @param status  how it ended
         * @param links   title → URL (console pages, artifacts)
         * @param details name → value (artifact URIs, metrics, duration)
         */
        public Entry(final String kind, final String id, final String status, final Map<String, String> links,
                final Map<String, String> details) {
            this.kind = kind;
            this.id = id;
            this.status = status;
            this.links = new LinkedHashMap<>(links);
            this.details = new LinkedHashMap<>(details);
        }

        public String getKind() {
            return kind;
        }

        public String getId() {
            return id;
        }

        public String getStatus() {
            return status;
        }

        public Map<String, String> getLinks() {
            return Collections.unmodifiableMap(links);
        }

        public Map<String, String> getDetails() {
            return Collections.unmodifiableMap(details);
        }
    }
}
