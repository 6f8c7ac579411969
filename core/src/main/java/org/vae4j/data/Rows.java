package org.vae4j.data;

/**
 * Where a {@link Dataset}'s values live: a float array on the heap ({@link OnHeap}, every data
 * set that fits in memory), or a file read per batch ({@link MappedRows}, a {@code .npy} array
 * larger than the heap). Values are addressed by their flat row-major position.
 */
sealed interface Rows permits Rows.OnHeap, Rows.Indexed, MappedRows {

    /** Copies {@code count} values from flat position {@code from} into {@code dst[off..]}. */
    void copy(long from, float[] dst, int off, int count);

    /** Whether the values are on the heap; if not, loaders assemble each batch from the file. */
    default boolean inMemory() {
        return this instanceof OnHeap;
    }

    /**
     * Some rows of {@code base} ({@code width} values each) in the order {@code rows} gives:
     * a split of a set that stays in its file.
     */
    record Indexed(Rows base, long[] rows, int width) implements Rows {
        @Override
        public void copy(long from, float[] dst, int off, int count) {
            long end = from + count;
            for (long at = from; at < end; ) {
                int row = (int) (at / width);
                int column = (int) (at - (long) row * width);
                int n = (int) Math.min(end - at, width - column);
                base.copy(rows[row] * width + column, dst, off, n);
                off += n;
                at += n;
            }
        }

        @Override
        public boolean inMemory() {
            return base.inMemory();
        }
    }

    /** Values in a float array. */
    record OnHeap(float[] values) implements Rows {
        @Override
        public void copy(long from, float[] dst, int off, int count) {
            System.arraycopy(values, Math.toIntExact(from), dst, off, count);
        }
    }
}
