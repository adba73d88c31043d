package io.taskapi.spi.state;

/**
 * The store indexes of the writes that created a record and last changed it, as Nomad's {@code CreateIndex} and
 * {@code ModifyIndex} show them.
 *
 * @param createIndex the index of the write that created the record (0 when the store keeps no indexes)
 * @param modifyIndex the index of the write that last changed it (0 when the store keeps no indexes)
 */
public record WriteIndexes(long createIndex, long modifyIndex) {
    /** What a store that keeps no indexes reports. */
    public static final WriteIndexes NONE = new WriteIndexes(0, 0);
}
