package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One exit-code table: ExitCode's constants, its TABLE, --help and README.md all agree. */
class ExitCodeTest {

    @Test
    void everyConstantHasARowAndEveryRowAConstant() throws Exception {
        TreeSet<Integer> constants = new TreeSet<>();
        for (Field f : ExitCode.class.getDeclaredFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                constants.add(f.getInt(null));
            }
        }
        TreeSet<Integer> rows = new TreeSet<>();
        ExitCode.TABLE.forEach(m -> rows.add(m.code()));
        assertEquals(constants, rows);
    }

    @Test
    void readmeTableSaysWhatTheCodeSays() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Exit codes");
        assertTrue(start >= 0, "README has an exit-code section");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Map<Integer, String> documented = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\| (.+) \\|$").matcher(section);
        while (m.find()) {
            documented.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        Map<Integer, String> table = new LinkedHashMap<>();
        ExitCode.TABLE.forEach(row -> table.put(row.code(), row.text()));
        assertEquals(table, documented);
    }

    @Test
    void helpEndsWithTheTable() {
        for (String command : new String[] {"", "sample", "eval", "plot"}) {
            Cli r = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");
            assertEquals(0, r.code());
            String help = r.out().replaceAll("\\s+", " ");
            for (ExitCode.Meaning row : ExitCode.TABLE) {
                assertTrue(help.contains(row.code() + " " + row.text()), command + " --help lacks: " + row.text());
            }
        }
    }
}
