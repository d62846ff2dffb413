package charrnn.data;

/**
 * Input the program cannot use: a missing or unreadable corpus, malformed UTF-8, a text too
 * short to train on. The message is one complete sentence for the user, ready to print.
 */
public final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
