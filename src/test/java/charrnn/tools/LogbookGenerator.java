package charrnn.tools;

import charrnn.model.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code data/logbook.txt}, the project's default corpus: the invented logbook of a
 * river barge, drawn from a small phrase grammar with word lists written for this project.
 * English-like words, punctuation, numbers, dialogue and line structure give a character
 * model plenty to learn in a minute, and the text is ours to ship.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes charrnn.tools.LogbookGenerator
 * data/logbook.txt}. A test checks that the committed file is exactly this program's output.
 */
public final class LogbookGenerator {
    /** The seed and size of the committed corpus. */
    public static final long SEED = 2026;
    public static final int TARGET_CHARS = 600_000;
    private static final int LINE_WIDTH = 72;

    private static final String[] NAMES = {
        "Mara", "Tobin", "Elsa", "Old Finch", "the captain", "the cook", "the pilot", "Jory",
        "Wenna", "the ferryman", "the boy", "Hollis"};
    private static final String[] NOUNS = {
        "river", "barge", "rope", "lantern", "harbour", "bridge", "storm", "cargo", "deck",
        "mill", "village", "heron", "willow", "current", "anchor", "sail", "reed", "lock",
        "market", "bell", "fog", "tide", "stove", "kettle", "map", "lamp", "boat", "shore",
        "crate", "barrel", "garden", "tower", "road", "window", "letter", "coin", "oar"};
    private static final String[] ADJECTIVES = {
        "grey", "quiet", "cold", "narrow", "heavy", "old", "bright", "slow", "green", "broken",
        "wet", "long", "small", "dark", "warm", "empty", "crooked", "silver", "muddy", "strange"};
    private static final String[] VERBS_PAST = {
        "passed", "watched", "carried", "mended", "found", "lost", "followed", "crossed",
        "loaded", "painted", "cleaned", "counted", "heard", "tied", "opened", "closed", "left",
        "reached", "pulled", "lifted"};
    private static final String[] VERBS_PRESENT = {
        "rises", "falls", "turns", "waits", "sings", "drifts", "creaks", "shines", "sleeps", "bends"};
    private static final String[] PREPOSITIONS = {
        "under", "over", "beside", "behind", "near", "past", "towards", "across", "along", "below"};
    private static final String[] ADVERBS = {
        "slowly", "again", "at last", "before dawn", "after supper", "in silence", "by noon",
        "all morning", "twice", "without a word"};
    private static final String[] WEATHER = {
        "Rain from the west.", "Clear sky, light wind.", "Fog until noon.", "Wind rising.",
        "Cold and dry.", "Showers, then sun.", "Still air, low water.", "Thunder in the hills."};
    private static final String[] SAYINGS = {
        "we should be there by {n} o'clock", "the {noun} will not hold", "keep the {noun} dry",
        "I have seen this {noun} before", "the water is {adj} today", "tie the {noun} to the {noun}",
        "nobody crosses the {noun} at night", "tell {name} about the {noun}"};

    private final Rng rng;

    LogbookGenerator(long seed) {
        this.rng = new Rng(seed);
    }

    /** The text of the corpus for {@code seed}, about {@code targetChars} characters long. */
    public static String generate(long seed, int targetChars) {
        return new LogbookGenerator(seed).text(targetChars);
    }

    private String text(int targetChars) {
        StringBuilder out = new StringBuilder(targetChars + 1_000);
        int day = 1;
        while (out.length() < targetChars) {
            out.append("Day ").append(day++).append(". ").append(pick(WEATHER)).append('\n');
            int paragraphs = 1 + below(3);
            for (int p = 0; p < paragraphs; p++) {
                StringBuilder para = new StringBuilder();
                int sentences = 2 + below(4);
                for (int s = 0; s < sentences; s++) {
                    if (s > 0) {
                        para.append(' ');
                    }
                    para.append(sentence());
                }
                wrap(para.toString(), out);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private String sentence() {
        switch (below(6)) {
            case 0:
                return capital(subject()) + " " + pick(VERBS_PAST) + " the " + noun() + " "
                        + pick(PREPOSITIONS) + " the " + noun() + ".";
            case 1:
                return capital(subject()) + " " + pick(VERBS_PAST) + " the " + noun() + " "
                        + pick(ADVERBS) + ".";
            case 2:
                return "The " + noun() + " " + pick(VERBS_PRESENT) + " " + pick(PREPOSITIONS) + " the "
                        + noun() + ".";
            case 3:
                return capital(pick(NAMES)) + " said, \"" + capital(saying()) + ".\"";
            case 4:
                return "We " + pick(VERBS_PAST) + " " + (2 + below(40)) + " " + plural(pick(NOUNS))
                        + " and " + pick(VERBS_PAST) + " the " + noun() + ".";
            default:
                return capital(subject()) + " " + pick(VERBS_PAST) + " the " + noun() + ", and "
                        + subject() + " " + pick(VERBS_PAST) + " it " + pick(ADVERBS) + ".";
        }
    }

    private String saying() {
        String s = pick(SAYINGS);
        while (s.contains("{")) {
            s = s.replaceFirst("\\{noun\\}", pick(NOUNS))
                    .replaceFirst("\\{adj\\}", pick(ADJECTIVES))
                    .replaceFirst("\\{name\\}", pick(NAMES))
                    .replaceFirst("\\{n\\}", Integer.toString(1 + below(12)));
        }
        return s;
    }

    private String subject() {
        return below(3) == 0 ? "the " + noun() : pick(NAMES);
    }

    private String noun() {
        return below(2) == 0 ? pick(ADJECTIVES) + " " + pick(NOUNS) : pick(NOUNS);
    }

    private static String plural(String noun) {
        return noun.endsWith("s") || noun.endsWith("x") ? noun + "es" : noun + "s";
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void wrap(String paragraph, StringBuilder out) {
        int column = 0;
        for (String word : paragraph.split(" ")) {
            if (column > 0 && column + 1 + word.length() > LINE_WIDTH) {
                out.append('\n');
                column = 0;
            } else if (column > 0) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        out.append('\n');
    }

    private String pick(String[] words) {
        return words[below(words.length)];
    }

    private int below(int n) {
        return (int) (rng.nextDouble() * n);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LogbookGenerator OUTPUT_FILE");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), generate(SEED, TARGET_CHARS), StandardCharsets.UTF_8);
    }
}
