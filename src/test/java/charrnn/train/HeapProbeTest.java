package charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class HeapProbeTest {
    /** Kept reachable, so that the JIT cannot drop the allocations below. */
    static volatile Object sink;

    /** A new probe; the test is skipped on a JVM that cannot count. */
    private static HeapProbe counting() {
        HeapProbe probe = new HeapProbe();
        assumeTrue(probe.since() >= 0, "this JVM does not count allocated bytes");
        return probe;
    }

    @Test
    void countsWhatTheNotedThreadsAllocateSinceTheMark() throws Exception {
        HeapProbe probe = counting();
        probe.noteThreads();
        probe.mark();
        sink = new byte[3_000_000];
        long here = probe.since();
        assertTrue(here >= 3_000_000 && here < 3_500_000, "3 MB allocated here, counted " + here);

        // a thread noted before it allocates is counted too, while it lives
        java.util.concurrent.CountDownLatch marked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch allocated = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch counted = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            try {
                marked.await();
                sink = new long[500_000];
                allocated.countDown();
                counted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        probe.noteThreads();
        probe.mark();
        marked.countDown();
        allocated.await();
        long both = probe.since();
        counted.countDown();
        other.join();
        assertTrue(both >= 4_000_000, "4 MB allocated by the other thread, counted " + both);
        // and once it has ended, it counts nothing
        assertTrue(probe.since() < 1_000_000, "an ended thread counts nothing, counted " + probe.since());
    }

    @Test
    void aThreadNotNotedIsNotCounted() throws Exception {
        HeapProbe probe = counting();
        probe.noteThreads();
        probe.mark();
        Thread later = new Thread(() -> sink = new byte[5_000_000]);
        later.start();
        later.join();
        long counted = probe.since();
        assertTrue(counted < 1_000_000, "a thread started after noteThreads counts nothing, counted " + counted);
    }

    @Test
    void nothingMarkedNothingCounted() {
        HeapProbe probe = counting();
        assertEquals(0, probe.since(), "no thread noted");
    }
}
