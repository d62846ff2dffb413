package charrnn.explain;

/**
 * Properties of a text that are easy to name, one value per character read, measured after
 * reading it (as a unit's value is): what the automatic unit finder correlates units with.
 */
public enum Feature {
    LINE_POSITION("position in the line", "characters since the last newline"),
    IN_QUOTES("inside quotes", "1 between an opening and a closing \""),
    IN_BRACKETS("inside brackets", "1 inside ( ), [ ] or { }"),
    WORD_START("start of a word", "1 on a letter after a non-letter"),
    IN_WORD("inside a word", "1 on a letter"),
    CAPITAL("capital letter", "1 on an upper-case letter"),
    SPACE("space", "1 on a space or tab");

    public final String title;
    public final String definition;

    Feature(String title, String definition) {
        this.title = title;
        this.definition = definition;
    }

    /** The feature's value after each character of {@code cps}, the characters read in order. */
    public double[] values(int[] cps) {
        double[] f = new double[cps.length];
        int column = 0;
        boolean quoted = false;
        int depth = 0;
        for (int k = 0; k < cps.length; k++) {
            final int c = cps[k];
            final boolean letter = Character.isLetter(c);
            column = c == '\n' ? 0 : column + 1;
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            f[k] = switch (this) {
                case LINE_POSITION -> column;
                case IN_QUOTES -> quoted ? 1 : 0;
                case IN_BRACKETS -> depth > 0 ? 1 : 0;
                case WORD_START -> letter && (k == 0 || !Character.isLetter(cps[k - 1])) ? 1 : 0;
                case IN_WORD -> letter ? 1 : 0;
                case CAPITAL -> Character.isUpperCase(c) ? 1 : 0;
                case SPACE -> c == ' ' || c == '\t' ? 1 : 0;
            };
        }
        return f;
    }
}
