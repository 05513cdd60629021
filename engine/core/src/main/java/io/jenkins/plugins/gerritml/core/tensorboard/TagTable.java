package io.jenkins.plugins.gerritml.core.tensorboard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tags of one run, looked up by their UTF-8 bytes so that reading an event allocates nothing for a tag seen before.
 * Also remembers each tag's plugin from the first metadata seen, as TensorBoard does: TF1 writers strip the metadata
 * from every value but the first of a tag. Lookups compare the first and last 8 bytes as two longs, which covers
 * whole tags of up to 16 bytes without a byte loop (this lookup runs once per value read). Before hashing, the tag is
 * compared with the one that followed the previous tag last time, which is nearly always the one that comes.
 */
final class TagTable {
    static final String SCALARS_PLUGIN = "scalars";
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final class Entry {
        private final byte[] bytes;
        private final long head;
        private final long tail;
        private final int hash;
        final String tag;
        private String plugin;
        boolean scalars;
        /** Per-run state of whoever reads the run (the reader keeps its metric accumulator here). */
        Object attachment;
        /** The tag looked up after this one last time: writers log the same tags in the same order every step. */
        private Entry successor;

        private Entry(final byte[] bytes, final long head, final long tail, final int hash) {
            this.bytes = bytes;
            this.head = head;
            this.tail = tail;
            this.hash = hash;
            this.tag = new String(bytes, StandardCharsets.UTF_8);
        }

        boolean hasPlugin() {
            return plugin != null;
        }

        void setPluginOnce(final String pluginName) {
            if (plugin == null) {
                plugin = pluginName;
                scalars = SCALARS_PLUGIN.equals(pluginName);
            }
        }
    }

    private Entry[] table = new Entry[64];
    private int size;
    private Entry previous;

    Entry lookup(final byte[] data, final int offset, final int length) {
        long head;
        long tail;
        if (length >= 8) {
            head = (long) LONG_LE.get(data, offset);
            tail = (long) LONG_LE.get(data, offset + length - 8);
        } else {
            head = 0;
            for (int i = 0; i < length; i++) {
                head = (head << 8) | (data[offset + i] & 0xff);
            }
            tail = 0;
        }
        Entry predicted = previous == null ? null : previous.successor;
        if (predicted != null && predicted.head == head && predicted.tail == tail && predicted.bytes.length == length
                && (length <= 16 || middleEquals(predicted.bytes, data, offset, length))) {
            previous = predicted;
            return predicted;
        }
        Entry entry = find(data, offset, length, head, tail);
        if (previous != null) {
            previous.successor = entry;
        }
        previous = entry;
        return entry;
    }

    private Entry find(final byte[] data, final int offset, final int length, final long head, final long tail) {
        long mixed = (head * 0x9E3779B97F4A7C15L) ^ (tail * 0xC2B2AE3D27D4EB4FL) ^ length;
        int hash = (int) (mixed ^ (mixed >>> 29) ^ (mixed >>> 41));
        int mask = table.length - 1;
        for (int i = hash & mask;; i = (i + 1) & mask) {
            Entry entry = table[i];
            if (entry == null) {
                entry = new Entry(Arrays.copyOfRange(data, offset, offset + length), head, tail, hash);
                table[i] = entry;
                if (++size * 2 > table.length) {
                    grow();
                }
                return entry;
            }
            if (entry.hash == hash && entry.head == head && entry.tail == tail && entry.bytes.length == length
                    && (length <= 16 || middleEquals(entry.bytes, data, offset, length))) {
                return entry;
            }
        }
    }

    /** Bytes 8 .. length-8 in 8-byte steps (head and tail are already equal); tags are short, so no vector call. */
    private static boolean middleEquals(final byte[] known, final byte[] data, final int offset, final int length) {
        for (int i = 8; i < length - 8; i += 8) { // i + 8 <= length: each read stays inside the tag
            if ((long) LONG_LE.get(known, i) != (long) LONG_LE.get(data, offset + i)) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        Entry[] old = table;
        table = new Entry[old.length * 2];
        int mask = table.length - 1;
        for (Entry entry : old) {
            if (entry != null) {
                int i = entry.hash & mask;
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = entry;
            }
        }
    }
}
