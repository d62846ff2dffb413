package charrnn.io;

import java.io.IOException;

/**
 * A file that cannot or may not be written: the message is one sentence for the user, ready to
 * print. Exit code 4.
 */
public final class OutputException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
