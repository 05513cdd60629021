package io.jenkins.plugins.gerritml.core.tensorboard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the few fields of TensorBoard's {@code Event} protobuf that scalars need, by field number, without
 * generated classes (tensorboard/compat/proto: event.proto, summary.proto, tensor.proto, tensor_shape.proto):
 * <pre>
 * Event        { double wall_time = 1; int64 step = 2; Summary summary = 5; ... }
 * Summary      { repeated Value value = 1; }
 * Value        { string tag = 1; SummaryMetadata metadata = 9;
 *                oneof value { float simple_value = 2; bytes obsolete_old_style_histogram = 3; Image image = 4;
 *                              HistogramProto histo = 5; Audio audio = 6; TensorProto tensor = 8; } }
 * SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; } }
 * TensorProto  { DataType dtype = 1; TensorShapeProto tensor_shape = 2 { repeated Dim dim = 2 { int64 size = 1; }
 *                bool unknown_rank = 3; } bytes tensor_content = 4; repeated float float_val = 5;
 *                repeated double double_val = 6; repeated int32 int_val = 7; repeated int64 int64_val = 10;
 *                repeated bool bool_val = 11; repeated int32 half_val = 13; }
 * </pre>
 * A value is a scalar when it is a TF1 {@code simple_value}, or a one-element numeric tensor whose tag's first
 * metadata names the {@code scalars} plugin (TF2 {@code tf.summary.scalar}) — TensorBoard's own rule. Everything
 * else (histograms, images, audio, text, graphs, other plugins' tensors) is counted and skipped.
 */
final class EventDecoder {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] SCALARS = TagTable.SCALARS_PLUGIN.getBytes(StandardCharsets.UTF_8);

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LEN = 2;
    private static final int WIRE_FIXED32 = 5;

    // tensorflow/core/framework/types.proto
    private static final int DT_FLOAT = 1;
    private static final int DT_DOUBLE = 2;
    private static final int DT_INT32 = 3;
    private static final int DT_UINT8 = 4;
    private static final int DT_INT16 = 5;
    private static final int DT_INT8 = 6;
    private static final int DT_INT64 = 9;
    private static final int DT_BOOL = 10;
    private static final int DT_BFLOAT16 = 14;
    private static final int DT_HALF = 19;

    /** {@code 08 01 | 12 00 | 22 04}: dtype = DT_FLOAT, tensor_shape = {}, tensor_content of 4 bytes (then them). */
    private static final long FLOAT_SCALAR_TENSOR_HEAD = 0x0422_0012_0108L;
    private static final long FLOAT_SCALAR_TENSOR_MASK = 0xffff_ffff_ffffL;
    private static final int FLOAT_SCALAR_TENSOR_BYTES = 10;

    /** Tensor field key and length, then the tensor above. */
    private static final int TENSOR_FIELD_BYTES = 2 + FLOAT_SCALAR_TENSOR_BYTES;
    /** Value.metadata (9) { plugin_data (1) { plugin_name (1): "scalars" } }. */
    private static final byte[] SCALARS_METADATA = {0x4a, 0x0b, 0x0a, 0x09, 0x0a, 0x07, 's', 'c', 'a', 'l', 'a', 'r',
        's'};
    private static final long SCALARS_METADATA_HEAD = (long) LONG_LE.get(SCALARS_METADATA, 0);
    private static final long SCALARS_METADATA_TAIL = (long) LONG_LE.get(SCALARS_METADATA, SCALARS_METADATA.length - 8);

    private static final int KIND_NONE = 0;
    private static final int KIND_SIMPLE = 1;
    private static final int KIND_TENSOR = 2;
    private static final int KIND_OTHER = 3;

    /** Where decoded scalars go: with the tag's entry, so per-tag state needs no map lookup. */
    interface ScalarSink {
        void onScalar(TagTable.Entry tag, long step, double wallTime, double value);
    }

    /** A protobuf that does not decode; the reader adds file and offset. */
    static final class MalformedEventException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedEventException(final String message) {
            super(message, null, false, false);
        }
    }

    private final TagTable tags;
    private final boolean quickPath;
    private byte[] buf;
    private int pos;
    private long scalars;
    private long skippedValues;
    private long quickEvents;

    // Results of the last decodeTensor call (kept in fields to avoid allocating per value).
    private boolean tensorIsNumber;
    private double tensorValue;

    EventDecoder(final TagTable tags) {
        this(tags, true);
    }

    /** @param quickPath whether to match tf.summary.scalar's exact layout first (tests compare with it off) */
    EventDecoder(final TagTable tags, final boolean quickPath) {
        this.tags = tags;
        this.quickPath = quickPath;
    }

    long scalars() {
        return scalars;
    }

    long skippedValues() {
        return skippedValues;
    }

    /** Events that took the quick path (for tests). */
    long quickEvents() {
        return quickEvents;
    }

    void decodeEvent(final byte[] data, final int start, final int end, final ScalarSink listener)
            throws MalformedEventException {
        buf = data;
        pos = start;
        if (quickPath && decodeScalarEventQuickly(start, end, listener)) {
            return;
        }
        pos = start;
        double wallTime = 0;
        long step = 0;
        int summaryStart = -1;
        int summaryEnd = -1;
        int extraSummaries = 0;
        while (pos < end) {
            int key = readKey(end);
            switch (key) {
                case (1 << 3) | WIRE_FIXED64:
                    wallTime = Double.longBitsToDouble(readFixed64(end));
                    break;
                case (2 << 3) | WIRE_VARINT:
                    step = readVarint(end);
                    break;
                case (5 << 3) | WIRE_LEN:
                    int length = readLength(end);
                    if (summaryStart >= 0) {
                        extraSummaries++; // repeated occurrences of a message field merge; rare, handled below
                    } else {
                        summaryStart = pos;
                        summaryEnd = pos + length;
                    }
                    pos += length;
                    break;
                default:
                    skipField(key, end);
            }
        }
        if (summaryStart >= 0) {
            decodeSummary(summaryStart, summaryEnd, step, wallTime, listener);
            if (extraSummaries > 0) {
                decodeLaterSummaries(start, end, summaryEnd, step, wallTime, listener);
            }
        }
    }

    /**
     * The event {@code tf.summary.scalar} writes, byte for byte: {@code wall_time, [step,] summary { value { tag,
     * tensor {DT_FLOAT, shape {}, 4 bytes}, metadata { plugin_data { plugin_name: "scalars" } } } }}, each field
     * once, in this order, with one-byte lengths. Matched exactly, it means what the general path would make of it;
     * anything else (returns false, having changed nothing but {@link #pos}) goes the general way.
     */
    private boolean decodeScalarEventQuickly(final int start, final int end, final ScalarSink listener)
            throws MalformedEventException {
        byte[] b = buf;
        if (end - start < 9 + 2 + 2 + 2 + 1 + TENSOR_FIELD_BYTES + SCALARS_METADATA.length || b[start] != 0x09) {
            return false;
        }
        double wallTime = Double.longBitsToDouble((long) LONG_LE.get(b, start + 1));
        long step = 0;
        pos = start + 9;
        if (b[pos] == 0x10) {
            pos++;
            step = readVarint(end);
        }
        int p = pos;
        // summary (field 5) holding one value (field 1) that fills it, each with a one-byte length
        if (end - p < 6 || b[p] != 0x2a || b[p + 1] != end - p - 2 || b[p + 2] != 0x0a || b[p + 3] != end - p - 4
                || b[p + 4] != 0x0a) {
            return false;
        }
        int tagLength = b[p + 5];
        int tagStart = p + 6;
        int tensorField = tagStart + tagLength;
        if (tagLength <= 0 || end - tensorField != TENSOR_FIELD_BYTES + SCALARS_METADATA.length
                || b[tensorField] != 0x42 || b[tensorField + 1] != FLOAT_SCALAR_TENSOR_BYTES
                || ((long) LONG_LE.get(b, tensorField + 2) & FLOAT_SCALAR_TENSOR_MASK) != FLOAT_SCALAR_TENSOR_HEAD
                || (long) LONG_LE.get(b, tensorField + TENSOR_FIELD_BYTES) != SCALARS_METADATA_HEAD
                || (long) LONG_LE.get(b, end - 8) != SCALARS_METADATA_TAIL) { // two overlapping 8-byte reads
            return false;
        }
        quickEvents++;
        TagTable.Entry entry = tags.lookup(b, tagStart, tagLength);
        entry.setPluginOnce(TagTable.SCALARS_PLUGIN);
        if (entry.scalars) {
            scalars++;
            listener.onScalar(entry, step, wallTime, Float.intBitsToFloat((int) INT_LE.get(b, tensorField + 8)));
        } else {
            skippedValues++;
        }
        return true;
    }

    private void decodeLaterSummaries(final int start, final int end, final int firstSummaryEnd, final long step,
            final double wallTime, final ScalarSink listener) throws MalformedEventException {
        pos = start;
        while (pos < end) {
            int key = readKey(end);
            if (key == ((5 << 3) | WIRE_LEN)) {
                int length = readLength(end);
                int summaryStart = pos;
                if (summaryStart >= firstSummaryEnd) {
                    decodeSummary(summaryStart, summaryStart + length, step, wallTime, listener);
                }
                pos = summaryStart + length;
            } else {
                skipField(key, end);
            }
        }
    }

    private void decodeSummary(final int start, final int end, final long step, final double wallTime,
            final ScalarSink listener) throws MalformedEventException {
        pos = start;
        while (pos < end) {
            int key = readKey(end);
            if (key == ((1 << 3) | WIRE_LEN)) {
                int length = readLength(end);
                int valueEnd = pos + length;
                decodeValue(valueEnd, step, wallTime, listener);
                pos = valueEnd;
            } else {
                skipField(key, end);
            }
        }
    }

    private void decodeValue(final int end, final long step, final double wallTime, final ScalarSink listener)
            throws MalformedEventException {
        int tagStart = 0;
        int tagLength = 0;
        int kind = KIND_NONE;
        float simpleValue = 0;
        int tensorStart = 0;
        int tensorEnd = 0;
        int metadataStart = -1;
        int metadataEnd = -1;
        while (pos < end) {
            int key = readKey(end);
            int field = key >>> 3;
            if (key == ((1 << 3) | WIRE_LEN)) {
                tagLength = readLength(end);
                tagStart = pos;
                pos += tagLength;
            } else if (key == ((2 << 3) | WIRE_FIXED32)) {
                kind = KIND_SIMPLE;
                simpleValue = Float.intBitsToFloat(readFixed32(end));
            } else if (key == ((8 << 3) | WIRE_LEN)) {
                kind = KIND_TENSOR;
                int length = readLength(end);
                tensorStart = pos;
                tensorEnd = pos + length;
                pos = tensorEnd;
            } else if (key == ((9 << 3) | WIRE_LEN)) {
                // Only the first metadata of a tag counts, so it is decoded once per tag (below), else skipped.
                int length = readLength(end);
                metadataStart = pos;
                metadataEnd = pos + length;
                pos = metadataEnd;
            } else if (field >= 3 && field <= 6) {
                kind = KIND_OTHER;
                skipField(key, end);
            } else {
                skipField(key, end);
            }
        }
        if (tagLength == 0) {
            skippedValues++; // TensorBoard ignores untagged values (old plugin-asset summaries) too
            return;
        }
        TagTable.Entry entry = tags.lookup(buf, tagStart, tagLength);
        if (metadataStart >= 0 && !entry.hasPlugin()) {
            int resume = pos;
            entry.setPluginOnce(pluginName(metadataStart, metadataEnd));
            pos = resume;
        }
        if (kind == KIND_SIMPLE) {
            entry.setPluginOnce(TagTable.SCALARS_PLUGIN); // TensorBoard migrates simple_value to a scalars tensor
            if (entry.scalars) {
                scalars++;
                listener.onScalar(entry, step, wallTime, simpleValue);
                return;
            }
        } else if (kind == KIND_TENSOR && entry.scalars) {
            int resume = pos;
            decodeTensor(tensorStart, tensorEnd);
            pos = resume;
            if (tensorIsNumber) {
                scalars++;
                listener.onScalar(entry, step, wallTime, tensorValue);
                return;
            }
        }
        skippedValues++;
    }

    /** SummaryMetadata.plugin_data (1) -> PluginData.plugin_name (1); "" when absent. */
    private String pluginName(final int start, final int end) throws MalformedEventException {
        pos = start;
        int pluginStart = 0;
        int pluginLength = 0;
        while (pos < end) {
            int metadataKey = readKey(end);
            if (metadataKey == ((1 << 3) | WIRE_LEN)) {
                int pluginDataEnd = readLength(end) + pos;
                while (pos < pluginDataEnd) {
                    int pluginKey = readKey(pluginDataEnd);
                    if (pluginKey == ((1 << 3) | WIRE_LEN)) {
                        pluginLength = readLength(pluginDataEnd);
                        pluginStart = pos;
                        pos += pluginLength;
                    } else {
                        skipField(pluginKey, pluginDataEnd);
                    }
                }
            } else {
                skipField(metadataKey, end);
            }
        }
        return pluginLength == SCALARS.length && equalsScalars(pluginStart) ? TagTable.SCALARS_PLUGIN
                : new String(buf, pluginStart, pluginLength, StandardCharsets.UTF_8);
    }

    private boolean equalsScalars(final int start) {
        for (int i = 0; i < SCALARS.length; i++) {
            if (buf[start + i] != SCALARS[i]) {
                return false;
            }
        }
        return true;
    }

    /** Sets {@link #tensorIsNumber} and {@link #tensorValue} for a one-element numeric tensor. */
    private void decodeTensor(final int start, final int end) throws MalformedEventException {
        // What tf.summary.scalar writes: dtype DT_FLOAT, an empty (rank-0) shape, 4 bytes of tensor_content. The
        // general path below gives the same value; this only skips its field loop for the common case.
        if (end - start == FLOAT_SCALAR_TENSOR_BYTES
                && ((long) LONG_LE.get(buf, start) & FLOAT_SCALAR_TENSOR_MASK) == FLOAT_SCALAR_TENSOR_HEAD) {
            tensorIsNumber = true;
            tensorValue = Float.intBitsToFloat((int) INT_LE.get(buf, start + 6));
            return;
        }
        pos = start;
        int dtype = 0;
        long elements = 1;
        boolean unknownRank = false;
        int contentStart = 0;
        int contentLength = 0;
        boolean hasListValue = false;
        int listField = 0;
        double listValue = 0;
        while (pos < end) {
            int key = readKey(end);
            int field = key >>> 3;
            int wire = key & 7;
            switch (field) {
                case 1:
                    if (wire != WIRE_VARINT) {
                        throw new MalformedEventException("TensorProto.dtype has wire type " + wire);
                    }
                    dtype = (int) readVarint(end);
                    break;
                case 2:
                    if (wire != WIRE_LEN) {
                        throw new MalformedEventException("TensorProto.tensor_shape has wire type " + wire);
                    }
                    int shapeEnd = readLength(end) + pos;
                    while (pos < shapeEnd) {
                        int shapeKey = readKey(shapeEnd);
                        if (shapeKey == ((2 << 3) | WIRE_LEN)) {
                            int dimEnd = readLength(shapeEnd) + pos;
                            long size = 0;
                            while (pos < dimEnd) {
                                int dimKey = readKey(dimEnd);
                                if (dimKey == ((1 << 3) | WIRE_VARINT)) {
                                    size = readVarint(dimEnd);
                                } else {
                                    skipField(dimKey, dimEnd);
                                }
                            }
                            elements *= size;
                        } else if (shapeKey == ((3 << 3) | WIRE_VARINT)) {
                            unknownRank = readVarint(shapeEnd) != 0;
                        } else {
                            skipField(shapeKey, shapeEnd);
                        }
                    }
                    break;
                case 4:
                    if (wire != WIRE_LEN) {
                        throw new MalformedEventException("TensorProto.tensor_content has wire type " + wire);
                    }
                    contentLength = readLength(end);
                    contentStart = pos;
                    pos += contentLength;
                    break;
                case 5: case 6: case 7: case 10: case 11: case 13:
                    if (hasListValue) {
                        skipField(key, end);
                    } else if (wire == WIRE_LEN) { // packed: the first element is all a one-element tensor needs
                        int listEnd = readLength(end) + pos;
                        if (listEnd > pos) {
                            hasListValue = true;
                            listField = field;
                            listValue = readListElement(field, packedWireType(field), listEnd);
                        }
                        pos = listEnd;
                    } else {
                        hasListValue = true;
                        listField = field;
                        listValue = readListElement(field, wire, end);
                    }
                    break;
                default:
                    skipField(key, end);
            }
        }
        tensorIsNumber = false;
        if (unknownRank || elements != 1) {
            return;
        }
        if (contentLength > 0) {
            readContent(dtype, contentStart, contentLength);
        } else if (hasListValue && listField == listFieldFor(dtype)) {
            tensorIsNumber = true;
            tensorValue = dtype == DT_HALF ? halfToFloat((int) listValue)
                    : dtype == DT_BFLOAT16 ? Float.intBitsToFloat(((int) listValue) << 16) : listValue;
        }
    }

    private static int listFieldFor(final int dtype) {
        switch (dtype) {
            case DT_FLOAT: return 5;
            case DT_DOUBLE: return 6;
            case DT_INT32: case DT_INT16: case DT_INT8: case DT_UINT8: return 7;
            case DT_INT64: return 10;
            case DT_BOOL: return 11;
            case DT_HALF: case DT_BFLOAT16: return 13;
            default: return -1;
        }
    }

    private static int packedWireType(final int field) {
        return field == 5 ? WIRE_FIXED32 : field == 6 ? WIRE_FIXED64 : WIRE_VARINT;
    }

    private double readListElement(final int field, final int wire, final int end) throws MalformedEventException {
        switch (wire) {
            case WIRE_FIXED32:
                if (field != 5) {
                    throw new MalformedEventException("TensorProto field " + field + " has wire type 5");
                }
                return Float.intBitsToFloat(readFixed32(end));
            case WIRE_FIXED64:
                if (field != 6) {
                    throw new MalformedEventException("TensorProto field " + field + " has wire type 1");
                }
                return Double.longBitsToDouble(readFixed64(end));
            case WIRE_VARINT:
                long raw = readVarint(end);
                return field == 10 ? (double) raw : field == 11 ? (raw != 0 ? 1 : 0) : (double) (int) raw;
            default:
                throw new MalformedEventException("TensorProto field " + field + " has wire type " + wire);
        }
    }

    private void readContent(final int dtype, final int start, final int length) {
        int need;
        switch (dtype) {
            case DT_FLOAT: case DT_INT32: need = 4; break;
            case DT_DOUBLE: case DT_INT64: need = 8; break;
            case DT_HALF: case DT_BFLOAT16: case DT_INT16: need = 2; break;
            case DT_INT8: case DT_UINT8: case DT_BOOL: need = 1; break;
            default: return;
        }
        if (length != need) {
            return;
        }
        tensorIsNumber = true;
        switch (dtype) {
            case DT_FLOAT: tensorValue = Float.intBitsToFloat((int) INT_LE.get(buf, start)); break;
            case DT_INT32: tensorValue = (int) INT_LE.get(buf, start); break;
            case DT_DOUBLE: tensorValue = Double.longBitsToDouble((long) LONG_LE.get(buf, start)); break;
            case DT_INT64: tensorValue = (long) LONG_LE.get(buf, start); break;
            case DT_HALF: tensorValue = halfToFloat((short) SHORT_LE.get(buf, start) & 0xffff); break;
            case DT_BFLOAT16: tensorValue = Float.intBitsToFloat(((short) SHORT_LE.get(buf, start) & 0xffff) << 16);
                break;
            case DT_INT16: tensorValue = (short) SHORT_LE.get(buf, start); break;
            case DT_INT8: tensorValue = buf[start]; break;
            case DT_UINT8: tensorValue = buf[start] & 0xff; break;
            default: tensorValue = buf[start] != 0 ? 1 : 0; break;
        }
    }

    /** IEEE 754 binary16 bits to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(final int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal (or zero): exact in float
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    // --- protobuf wire format ---

    private int readKey(final int end) throws MalformedEventException {
        if (pos < end) {
            int b = buf[pos];
            if (b >= 8) { // one-byte key of fields 1..15: the slow path's checks cannot fail
                pos++;
                return b;
            }
        }
        return readKeySlowly(end);
    }

    private int readKeySlowly(final int end) throws MalformedEventException {
        long key = readVarint(end);
        if (key <= 0 || key > Integer.MAX_VALUE || (key >>> 3) == 0) {
            throw new MalformedEventException("invalid field key " + key + " at message byte " + pos);
        }
        return (int) key;
    }

    private long readVarint(final int end) throws MalformedEventException {
        if (pos < end) {
            byte b = buf[pos];
            if (b >= 0) {
                pos++;
                return b;
            }
        }
        return readVarintSlowly(end);
    }

    private long readVarintSlowly(final int end) throws MalformedEventException {
        if (end - pos >= 3) { // two or three bytes (steps up to 2 097 151) without a loop
            int b0 = buf[pos];
            int b1 = buf[pos + 1];
            if (b0 < 0 && b1 >= 0) {
                pos += 2;
                return (b0 & 0x7f) | (long) b1 << 7;
            }
            int b2 = buf[pos + 2];
            if (b0 < 0 && b1 < 0 && b2 >= 0) {
                pos += 3;
                return (b0 & 0x7f) | (long) (b1 & 0x7f) << 7 | (long) b2 << 14;
            }
        }
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new MalformedEventException("a varint runs past the end of its message");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedEventException("a varint is longer than 10 bytes");
    }

    private int readLength(final int end) throws MalformedEventException {
        if (pos < end) {
            int b = buf[pos];
            if (b >= 0 && b < end - pos) { // one-byte length that fits: the slow path's checks cannot fail
                pos++;
                return b;
            }
        }
        return readLengthSlowly(end);
    }

    private int readLengthSlowly(final int end) throws MalformedEventException {
        long length = readVarint(end);
        if (length < 0 || length > end - pos) {
            throw new MalformedEventException("a length-delimited field of " + length + " bytes runs past the end of "
                    + "its message (" + (end - pos) + " bytes left)");
        }
        return (int) length;
    }

    private long readFixed64(final int end) throws MalformedEventException {
        if (end - pos < 8) {
            throw new MalformedEventException("a fixed64 field runs past the end of its message");
        }
        long value = (long) LONG_LE.get(buf, pos);
        pos += 8;
        return value;
    }

    private int readFixed32(final int end) throws MalformedEventException {
        if (end - pos < 4) {
            throw new MalformedEventException("a fixed32 field runs past the end of its message");
        }
        int value = (int) INT_LE.get(buf, pos);
        pos += 4;
        return value;
    }

    private void skipField(final int key, final int end) throws MalformedEventException {
        switch (key & 7) {
            case WIRE_VARINT:
                readVarint(end);
                break;
            case WIRE_FIXED64:
                readFixed64(end);
                break;
            case WIRE_LEN:
                int length = readLength(end); // not "pos += readLength(...)": that adds to the old pos
                pos += length;
                break;
            case WIRE_FIXED32:
                readFixed32(end);
                break;
            default:
                throw new MalformedEventException("unsupported wire type " + (key & 7) + " for field " + (key >>> 3));
        }
    }
}
