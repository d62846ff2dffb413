package charrnn.cli;

/**
 * The one way a command fails: an exit code from {@link ExitCode} and one line for the user,
 * thrown from anywhere and reported once, by {@link Main}.
 */
final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int code;

    Failure(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    Failure(int code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    static Failure input(String message) {
        return new Failure(ExitCode.INPUT, message);
    }

    static Failure output(String message) {
        return new Failure(ExitCode.OUTPUT, message);
    }
}
