package charrnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charrnn.tools.LogbookGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LogbookCorpusTest {
    @Test
    void theShippedCorpusIsExactlyWhatTheGeneratorWrites() throws Exception {
        String shipped = Files.readString(Path.of("data", "logbook.txt"), StandardCharsets.UTF_8);
        String generated = LogbookGenerator.generate(LogbookGenerator.SEED, LogbookGenerator.TARGET_CHARS);
        assertEquals(generated.length(), shipped.length());
        assertEquals(generated, shipped);
    }
}
