package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.gerritml.core.pipeline.StatusSource;
import io.jenkins.plugins.gerritml.core.prefect.dto.LogResponse;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flow run states for the shared watcher, with logs on the side: each tick costs one {@code POST /flow_runs/filter}
 * for all followed runs, plus one {@code POST /logs/filter} (more only when a page of 200 is full) for all runs whose
 * logs someone streams. Use one instance per Prefect server so the watcher batches all its runs together.
 *
 * <p>Logs are paged by timestamp. Prefect's log batches from the runner and the flow process arrive out of order,
 * so each query looks {@link #LOOKBACK} behind the last line seen and drops lines already delivered (by id).
 */
public final class FlowRunStatusSource implements StatusSource<FlowRunState> {
    private static final Logger LOGGER = Logger.getLogger(FlowRunStatusSource.class.getName());
    /** Longer than Prefect's log batch interval (2 s) plus a slow network. */
    static final Duration LOOKBACK = Duration.ofSeconds(15);
    /** Bounds one tick's log reading; the rest comes on the next tick. */
    private static final int MAX_LOG_PAGES_PER_READ = 10;
    private static final DateTimeFormatter WIRE = DateTimeFormatter.ISO_INSTANT;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final PrefectClient client;
    private final Map<String, LogStream> streams = new ConcurrentHashMap<>();
    private final AtomicLong pollRequests = new AtomicLong();

    public FlowRunStatusSource(final PrefectClient client) {
        this.client = client;
    }

    @Override
    public Map<String, FlowRunState> read(final Set<String> ids) {
        long before = client.requestCount();
        try {
            return readStatesAndLogs(ids);
        } finally {
            pollRequests.addAndGet(client.requestCount() - before);
        }
    }

    /** HTTP calls made by the watcher's reads so far (status and log pages), for benchmarks. */
    public long pollRequestCount() {
        return pollRequests.get();
    }

    private Map<String, FlowRunState> readStatesAndLogs(final Set<String> ids) {
        Map<String, FlowRunState> states = new HashMap<>();
        for (FlowRun run : client.readFlowRuns(ids)) {
            states.put(run.getId(), run.getState());
        }
        List<String> streamed = new ArrayList<>();
        for (String id : ids) {
            if (streams.containsKey(id)) {
                streamed.add(id);
            }
        }
        if (!streamed.isEmpty()) {
            try {
                pumpLogs(streamed);
            } catch (PrefectException e) {
                // Statuses were read; logs catch up on the next tick.
                LOGGER.log(Level.FINE, "Cannot read Prefect logs this tick", e);
            }
        }
        return states;
    }

    @Override
    public boolean isTerminal(final FlowRunState status) {
        return status.isTerminal();
    }

    @Override
    public String describe() {
        return "Prefect flow runs at " + client.getApiUrl();
    }

    /**
     * Streams the logs of {@code flowRunId} to {@code sink}, one formatted line per call, from {@code since} on
     * (null: from the run's first line).
     */
    public void streamLogs(final String flowRunId, @CheckForNull final Instant since, final Consumer<String> sink) {
        streams.put(flowRunId, new LogStream(sink, since));
    }

    /** Reads what is left of one run's logs and stops streaming them. */
    public void drainLogs(final String flowRunId) {
        try {
            if (streams.containsKey(flowRunId)) {
                pumpLogs(List.of(flowRunId));
            }
        } finally {
            streams.remove(flowRunId);
        }
    }

    public void stopStreaming(final String flowRunId) {
        streams.remove(flowRunId);
    }

    /** Runs whose logs are being streamed. */
    public int streamCount() {
        return streams.size();
    }

    private synchronized void pumpLogs(final Collection<String> flowRunIds) {
        Instant after = null;
        boolean fromStart = false;
        for (String id : flowRunIds) {
            LogStream stream = streams.get(id);
            if (stream == null) {
                continue;
            }
            Instant from = stream.lowerBound();
            if (from == null) {
                fromStart = true;
            } else if (after == null || from.isBefore(after)) {
                after = from;
            }
        }
        String afterText = fromStart || after == null ? null : WIRE.format(after);
        Instant newestInAnswer = null;
        for (int page = 0, offset = 0; page < MAX_LOG_PAGES_PER_READ; page++, offset += PrefectClient.PAGE_SIZE) {
            List<LogResponse> logs = client.readLogs(flowRunIds, afterText, offset);
            for (LogResponse log : logs) {
                Instant timestamp = FlowRun.parseInstant(log.timestamp);
                if (timestamp != null && (newestInAnswer == null || timestamp.isAfter(newestInAnswer))) {
                    newestInAnswer = timestamp;
                }
                LogStream stream = log.flowRunId == null ? null : streams.get(log.flowRunId);
                if (stream != null) {
                    stream.offer(log);
                }
            }
            if (logs.size() < PrefectClient.PAGE_SIZE) {
                break;
            }
        }
        Instant seenUpTo = newestInAnswer;
        flowRunIds.forEach(id -> {
            LogStream stream = streams.get(id);
            if (stream != null) {
                stream.prune();
                if (seenUpTo != null) {
                    stream.queriedUpTo(seenUpTo);
                }
            }
        });
    }

    /** One run's log position: the newest timestamp seen and the ids delivered within the look-back window. */
    private static final class LogStream {
        private final Consumer<String> sink;
        @CheckForNull private Instant since;
        @CheckForNull private Instant newest;
        private final Map<String, Instant> delivered = new LinkedHashMap<>();

        LogStream(final Consumer<String> sink, @CheckForNull final Instant since) {
            this.sink = sink;
            this.since = since;
        }

        @CheckForNull
        Instant lowerBound() {
            return newest != null ? newest.minus(LOOKBACK) : since;
        }

        void offer(final LogResponse log) {
            Instant timestamp = FlowRun.parseInstant(log.timestamp);
            if (timestamp == null || log.id == null || delivered.containsKey(log.id)) {
                return;
            }
            Instant bound = lowerBound();
            if (bound != null && timestamp.isBefore(bound)) {
                return; // already behind us: delivered earlier and pruned
            }
            delivered.put(log.id, timestamp);
            if (newest == null || timestamp.isAfter(newest)) {
                newest = timestamp;
            }
            String prefix = CLOCK.format(timestamp) + " " + levelName(log.level) + " ";
            String message = log.message == null ? "" : log.message;
            message.lines().forEach(line -> sink.accept(prefix + line));
        }

        /**
         * A run without lines yet, in an answer whose newest line was {@code serverTime}: its first line cannot be
         * older than the look-back before that, so later queries need not reach further back for it.
         */
        void queriedUpTo(final Instant serverTime) {
            if (newest == null) {
                Instant floor = serverTime.minus(LOOKBACK);
                if (since == null || since.isBefore(floor)) {
                    since = floor;
                }
            }
        }

        void prune() {
            Instant bound = lowerBound();
            if (bound != null) {
                delivered.values().removeIf(timestamp -> timestamp.isBefore(bound));
            }
        }
    }

    static String levelName(@CheckForNull final Integer level) {
        if (level == null) {
            return "INFO ";
        }
        if (level >= 50) {
            return "CRITICAL";
        }
        if (level >= 40) {
            return "ERROR";
        }
        if (level >= 30) {
            return "WARN ";
        }
        if (level >= 20) {
            return "INFO ";
        }
        return "DEBUG";
    }
}
