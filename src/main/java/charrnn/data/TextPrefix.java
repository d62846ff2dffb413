package charrnn.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * The first characters of a UTF-8 file, every one of them, as code points: decoded as strictly
 * as a corpus (the same reader), for a command that shows a text as it is rather than learning
 * from it.
 *
 * @param codePoints the first characters, at most the number asked for
 * @param truncated  true if the file has more
 */
public record TextPrefix(int[] codePoints, boolean truncated) {

    /**
     * Reads up to {@code max} characters of {@code path}.
     *
     * @throws InputException if the file is missing, a folder, unreadable, empty or not UTF-8
     */
    public static TextPrefix read(Path path, int max) throws InputException {
        if (Files.isDirectory(path)) {
            throw new InputException(path + " is a directory, not a text file");
        }
        IntStream.Builder text = IntStream.builder();
        int n = 0;
        boolean more = false;
        int[] chunk = new int[1 << 16];
        try (Utf8Reader reader = Utf8Reader.open(Files.newInputStream(path))) {
            int got;
            while (!more && (got = reader.read(chunk)) != -1) {
                int take = Math.min(got, max - n);
                for (int i = 0; i < take; i++) {
                    text.add(chunk[i]);
                }
                n += take;
                more = take < got || (n == max && reader.read(chunk) != -1);
            }
        } catch (Utf8Reader.MalformedException e) {
            throw new InputException(path + " is not UTF-8 text: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read " + path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException("cannot read " + path + ": permission denied");
        } catch (IOException e) {
            throw new InputException("cannot read " + path + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (n == 0) {
            throw new InputException(path + " is empty");
        }
        return new TextPrefix(text.build().toArray(), more);
    }
}
