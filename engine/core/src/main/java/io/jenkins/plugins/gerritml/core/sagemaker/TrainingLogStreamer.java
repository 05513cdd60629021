package io.jenkins.plugins.gerritml.core.sagemaker;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies a training job's CloudWatch log streams ({@code /aws/sagemaker/TrainingJobs}, streams named
 * {@code <job>/<host>-<epoch>}) to a sink, incrementally: each {@link #poll()} continues every stream from its
 * {@code nextForwardToken}. Events at or before the last timestamp already shown are skipped by content, so a token
 * that replays (or a resumed build that starts from a timestamp) never shows a line twice.
 */
public final class TrainingLogStreamer {
    public static final String LOG_GROUP = "/aws/sagemaker/TrainingJobs";
    /** Pages per stream per poll: a chatty job must not hold the shared scheduler for long. */
    private static final int MAX_PAGES = 10;
    /** At most this many periodic reads skipped in a row (a minute at the default 5-s interval). */
    private static final int MAX_SKIP = 11;

    private final CloudWatchLogsClient logs;
    private final String jobName;
    private final Consumer<String> sink;
    private final long startMillis;
    private final Map<String, StreamCursor> streams = new LinkedHashMap<>();
    private long lines;
    private int quietReads;
    private int skip;

    /** Streams everything from the start of the job. */
    public TrainingLogStreamer(final CloudWatchLogsClient logs, final String jobName, final Consumer<String> sink) {
        this(logs, jobName, sink, -1L);
    }

    /** Streams events after {@code afterMillis} (epoch ms), e.g. the last timestamp shown before a restart. */
    public TrainingLogStreamer(final CloudWatchLogsClient logs, final String jobName, final Consumer<String> sink,
            final long afterMillis) {
        this.logs = logs;
        this.jobName = jobName;
        this.sink = sink;
        this.startMillis = afterMillis;
    }

    private static final class StreamCursor {
        private String token;
        private long lastTimestamp;
        private final long floor;
        private final Set<String> atLastTimestamp = new HashSet<>();

        StreamCursor(final long after) {
            floor = after;
            lastTimestamp = after;
        }
    }

    /**
     * {@link #poll()} at the streamer's own pace, for the periodic reads while the job runs: after each read that
     * found nothing new, the next 1, 3, 7, then 11 calls are skipped, so a quiet job is read about once a minute
     * at a 5-s interval, and a read that finds lines brings the pace back. CloudWatch Logs allows 5
     * DescribeLogStreams a second per account and region; 200 quiet jobs read every 5 s would make 40.
     *
     * @return the number of lines passed to the sink (0 for a skipped call)
     */
    public synchronized int pollWhenDue() {
        if (skip > 0) {
            skip--;
            return 0;
        }
        int emitted = poll();
        if (emitted > 0) {
            quietReads = 0;
        } else {
            quietReads++;
            skip = Math.min((1 << Math.min(quietReads, 4)) - 1, MAX_SKIP);
        }
        return emitted;
    }

    /** Fetches what is new in every stream of the job; returns the number of lines passed to the sink. */
    public synchronized int poll() {
        try {
            discoverStreams();
        } catch (ResourceNotFoundException e) {
            return 0; // the log group appears with the first job of the account/region
        }
        int emitted = 0;
        for (Map.Entry<String, StreamCursor> entry : streams.entrySet()) {
            emitted += pollStream(entry.getKey(), entry.getValue());
        }
        lines += emitted;
        return emitted;
    }

    private void discoverStreams() {
        String token = null;
        do {
            String pageToken = token;
            DescribeLogStreamsResponse page = logs.describeLogStreams(b -> b.logGroupName(LOG_GROUP)
                    .logStreamNamePrefix(jobName + "/").nextToken(pageToken));
            for (LogStream stream : page.logStreams()) {
                streams.computeIfAbsent(stream.logStreamName(), s -> new StreamCursor(startMillis));
            }
            token = page.nextToken();
        } while (token != null);
    }

    private int pollStream(final String stream, final StreamCursor cursor) {
        int emitted = 0;
        String label = stream.startsWith(jobName + "/") ? stream.substring(jobName.length() + 1) : stream;
        for (int page = 0; page < MAX_PAGES; page++) {
            String sent = cursor.token;
            GetLogEventsResponse response;
            try {
                response = logs.getLogEvents(b -> b.logGroupName(LOG_GROUP).logStreamName(stream)
                        .startFromHead(true).nextToken(sent).startTime(sent == null && cursor.floor >= 0
                                ? cursor.floor + 1 : null));
            } catch (ResourceNotFoundException e) {
                return emitted;
            }
            for (OutputLogEvent event : response.events()) {
                if (accept(cursor, event)) {
                    sink.accept("[" + label + "] " + event.message());
                    emitted++;
                }
            }
            String next = response.nextForwardToken();
            if (next != null) {
                cursor.token = next;
            }
            // CloudWatch answers the same token back when there is nothing more, for now.
            if (next == null || next.equals(sent) || response.events().isEmpty()) {
                break;
            }
        }
        return emitted;
    }

    private static boolean accept(final StreamCursor cursor, final OutputLogEvent event) {
        long timestamp = event.timestamp() == null ? 0L : event.timestamp();
        String key = event.message() + '\u0000' + event.ingestionTime();
        if (timestamp <= cursor.floor || timestamp < cursor.lastTimestamp) {
            return false;
        }
        if (timestamp == cursor.lastTimestamp) {
            return cursor.atLastTimestamp.add(key);
        }
        cursor.lastTimestamp = timestamp;
        cursor.atLastTimestamp.clear();
        cursor.atLastTimestamp.add(key);
        return true;
    }

    /** The newest event timestamp shown over all streams (epoch ms), to resume from after a restart. */
    public synchronized long lastTimestamp() {
        return streams.values().stream().mapToLong(c -> c.lastTimestamp).max().orElse(startMillis);
    }

    public synchronized long linesShown() {
        return lines;
    }
}
