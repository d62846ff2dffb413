package charrnn.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Turns Ctrl-C and SIGTERM into a request to stop training: the JVM's shutdown hook raises the
 * flag the training loop checks before every update, then waits until the run has saved its
 * final checkpoint, so a stopped run loses nothing.
 */
final class StopSignal implements BooleanSupplier, AutoCloseable {
    /** Longest wait for the final checkpoint after a signal. */
    private static final long GRACE_SECONDS = 120;

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopSignal() {
        hook = new Thread(() -> {
            requested = true;
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "charrnn-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public boolean getAsBoolean() {
        return requested;
    }

    /** The run has saved what it had: let a pending shutdown go on. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the latch is open
        }
    }
}
