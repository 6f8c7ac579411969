package org.vae4j.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory figures a benchmark reports: the process's resident set (native memory included)
 * from {@code /proc/self/status}, and the Java heap from the memory pool beans.
 */
final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final double MB = 1024.0 * 1024.0;

    private MemoryProbe() {
    }

    /** The resident set now, in MB, or NaN where {@code /proc} is not there. */
    static double rssMb() {
        return statusKb("VmRSS:") / 1024.0;
    }

    /** The highest resident set since the process started or {@link #resetPeaks()}, in MB. */
    static double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    /**
     * Starts a new peak: the heap pools' peaks, and Linux's resident-set high-water mark (by
     * writing 5 to {@code /proc/self/clear_refs}; where that is refused, the peak stays the
     * process's own since it started).
     */
    static void resetPeaks() {
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // no reset: VmHWM is then the process's peak, which is still an upper bound
        }
    }

    /** The sum of the heap pools' peaks since {@link #resetPeaks()}, in MB: an upper bound. */
    static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            sum += pool.getPeakUsage().getUsed();
        }
        return sum / MB;
    }

    /** The heap the JVM has committed (holds pages for), in MB. */
    static double heapCommittedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / MB;
    }

    /** The heap in use now, in MB (live objects and garbage not yet collected). */
    static double heapUsedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MB;
    }

    /**
     * The heap left after the latest collection, in MB: live objects plus what that collection
     * kept (-1 before the first collection). Read after {@code System.gc()} it is the live heap.
     */
    static double heapAfterGcMb() {
        long sum = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : heapPools()) {
            MemoryUsage u = pool.getCollectionUsage();
            if (u != null) {
                sum += u.getUsed();
                any = true;
            }
        }
        return any ? sum / MB : -1;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    }

    private static double statusKb(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    String v = line.substring(key.length()).trim();
                    return Double.parseDouble(v.substring(0, v.indexOf(' ')));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
