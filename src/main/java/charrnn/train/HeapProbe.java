package charrnn.train;

import java.lang.management.ManagementFactory;

/**
 * Bytes the JVM's threads allocate on the heap, for telling whether the training loop
 * allocates, which it should not: every buffer is made once. When it does, the likely cause is
 * Vector API code that the JIT did not compile to vector instructions, whose Java fallback makes
 * an object of every vector (700 kB to 20 MB per update, and several times slower).
 *
 * <p>{@link #noteThreads()} notes the threads alive, {@link #mark()} their counts, and
 * {@link #since()} sums, over those threads, what each has allocated since (a thread that has
 * ended counts nothing). Neither of the last two allocates. On a JVM that cannot count, all
 * three do nothing and {@link #since()} is −1.
 */
final class HeapProbe {
    private final com.sun.management.ThreadMXBean threads;
    private long[] ids = new long[0];
    private long[] marks = new long[0];

    HeapProbe() {
        com.sun.management.ThreadMXBean t = null;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean hotspot
                && hotspot.isThreadAllocatedMemorySupported()) {
            try {
                hotspot.setThreadAllocatedMemoryEnabled(true);
                t = hotspot;
            } catch (UnsupportedOperationException | SecurityException e) {
                t = null;
            }
        }
        threads = t;
    }

    /** Notes the threads alive now (this allocates: call it before {@link #mark()}, not between). */
    void noteThreads() {
        if (threads == null) {
            return;
        }
        ids = threads.getAllThreadIds();
        marks = new long[ids.length];
    }

    /** Notes each noted thread's count so far. */
    void mark() {
        if (threads == null) {
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            marks[i] = threads.getThreadAllocatedBytes(ids[i]);
        }
    }

    /** Bytes the noted threads have allocated since {@link #mark()}, or −1 if this JVM cannot count. */
    long since() {
        if (threads == null) {
            return -1;
        }
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            final long now = threads.getThreadAllocatedBytes(ids[i]);
            if (now >= 0 && marks[i] >= 0) {
                sum += now - marks[i];
            }
        }
        return sum;
    }
}
