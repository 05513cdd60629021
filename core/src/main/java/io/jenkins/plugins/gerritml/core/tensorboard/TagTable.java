package io.jenkins.plugins.gerritml.core.tensorboard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tags of one run, looked up by their UTF-8 bytes so that reading an event allocates nothing for a tag seen before.
 * Also remembers each tag's plugin from the first metadata seen, as TensorBoard does: TF1 writers strip the metadata
 * from every value but the first of a tag.
 */
final class TagTable {
    static final String SCALARS_PLUGIN = "scalars";

    static final class Entry {
        private final byte[] bytes;
        private final int hash;
        final String tag;
        private String plugin;
        boolean scalars;

        private Entry(final byte[] bytes, final int hash) {
            this.bytes = bytes;
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

    Entry lookup(final byte[] data, final int offset, final int length) {
        int hash = hash(data, offset, length);
        int mask = table.length - 1;
        for (int i = hash & mask;; i = (i + 1) & mask) {
            Entry entry = table[i];
            if (entry == null) {
                entry = new Entry(Arrays.copyOfRange(data, offset, offset + length), hash);
                table[i] = entry;
                if (++size * 2 > table.length) {
                    grow();
                }
                return entry;
            }
            if (entry.hash == hash && Arrays.equals(entry.bytes, 0, entry.bytes.length, data, offset, offset + length)) {
                return entry;
            }
        }
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

    private static int hash(final byte[] data, final int offset, final int length) {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + data[i];
        }
        return h ^ (h >>> 16);
    }
}
