package charrnn.explain;

import static j2html.TagCreator.b;
import static j2html.TagCreator.body;
import static j2html.TagCreator.div;
import static j2html.TagCreator.document;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h1;
import static j2html.TagCreator.h2;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.head;
import static j2html.TagCreator.header;
import static j2html.TagCreator.html;
import static j2html.TagCreator.label;
import static j2html.TagCreator.meta;
import static j2html.TagCreator.option;
import static j2html.TagCreator.p;
import static j2html.TagCreator.rawHtml;
import static j2html.TagCreator.script;
import static j2html.TagCreator.section;
import static j2html.TagCreator.select;
import static j2html.TagCreator.span;
import static j2html.TagCreator.style;
import static j2html.TagCreator.table;
import static j2html.TagCreator.td;
import static j2html.TagCreator.text;
import static j2html.TagCreator.th;
import static j2html.TagCreator.title;
import static j2html.TagCreator.tr;

import charrnn.config.Cell;
import j2html.tags.DomContent;
import j2html.tags.specialized.DivTag;
import j2html.tags.specialized.TrTag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The page of {@code charrnn explain}: one self-contained HTML file (inline style and script,
 * nothing fetched) built with j2html, which escapes every text and attribute value. What the
 * script needs travels as JSON made of numbers only (code points, probabilities, quantised
 * unit values in base64), so nothing from the text reaches it as text.
 */
public final class Page {
    /** The marker that says a file is a page charrnn wrote, and may be replaced by the next. */
    public static final String GENERATOR = "charrnn explain";
    /** Upper edges of the surprise bins, in bits: the fixed legend of the shading. */
    static final double[] SURPRISE_BINS = {0.5, 1, 2, 3, 4, 5, 6, 8};
    /** Rows in each list of the summary. */
    static final int LISTED = 10;
    /** Characters of context shown before a character in the lists. */
    private static final int CONTEXT = 24;

    /**
     * A model's reading of the text, and the names to show it under.
     *
     * @param checkpoint the checkpoint's name, as given
     */
    public record Model(String checkpoint, Reading reading) {
        String describe() {
            Reading r = reading;
            return r.cell.title() + ", " + r.L + (r.L == 1 ? " layer" : " layers") + " of " + r.H + " units, "
                    + r.vocabulary.size() + " symbols";
        }
    }

    private Page() {
    }

    /**
     * The page for model {@code a} on the text named {@code textName}, and for {@code b} too
     * when it is not null (the same text, the same vocabulary).
     *
     * @param truncated true if the text shown is the start of a longer file
     */
    public static String render(String textName, boolean truncated, Model a, Model b) {
        Reading r = a.reading();
        List<DomContent> sections = new ArrayList<>();
        sections.add(header(
                h1(text("What " + a.checkpoint() + " makes of " + textName)),
                p(text(a.describe() + (b == null ? "" : "; compared with " + b.checkpoint() + ", " + b.describe()))
                        ).withClass("muted"),
                p(text(r.text.length + " characters shown" + (truncated ? " (the start of a longer text: see --max-chars)" : "")
                        + ", " + r.read() + " read by the model, " + (r.read() - 1) + " predicted. "
                        + "Hover over a character, or focus the text and move with the arrow keys, "
                        + "to see the model's guesses.")).withClass("muted")));
        sections.add(summary(a, b));
        sections.add(section(h2("The text, shaded by surprise"),
                p(text("Each character's background shows −log₂ p, the bits of surprise the model had for it. "
                        + "Characters outside the vocabulary are underlined and skipped; the first character "
                        + "(dashed) is not predicted.")).withClass("muted"),
                surpriseLegend(),
                textPanel(r).withId("text")).withId("surprise"));
        sections.add(units(a));
        if (b != null) {
            sections.add(comparison(a, b));
        }
        String json = data(a, b);
        if (json.indexOf('<') >= 0) {
            throw new IllegalStateException("the page's data must hold numbers only");
        }
        return document(html(
                head(meta().withCharset("utf-8"),
                        meta().withName("generator").withContent(GENERATOR),
                        meta().withName("viewport").withContent("width=device-width, initial-scale=1"),
                        title("charrnn explain: " + textName),
                        style(rawHtml(resource("page.css")))),
                body(each(sections.stream()),
                        div().withId("tip").attr("role", "tooltip").attr("aria-live", "polite").isHidden(),
                        script(rawHtml(json)).withType("application/json").withId("data"),
                        script(rawHtml(resource("page.js")))))
                .withLang("en"));
    }

    /** "Where it went wrong": bits per character, by kind, the worst characters and words. */
    private static DomContent summary(Model a, Model b) {
        Reading r = a.reading();
        double nats = r.meanNats();
        Summary.Kind[] kinds = Summary.kinds(r);
        int[] counts = Summary.counts(kinds);
        double[] bitsA = Summary.meanBits(r, kinds);
        double[] bitsB = b == null ? null : Summary.meanBits(b.reading(), kinds);
        double total = bitsPerChar(nats) * (r.read() - 1);
        TrTag head = tr(th("kind of character"), th("characters").withClass("n"), th("share of the bits").withClass("n"),
                th("bits/char").withClass("n"));
        if (b != null) {
            head.with(th("compared").withClass("n"), th("difference").withClass("n"));
        }
        List<DomContent> rows = new ArrayList<>();
        rows.add(head);
        for (Summary.Kind kind : Summary.Kind.values()) {
            int i = kind.ordinal();
            if (counts[i] == 0) {
                continue;
            }
            TrTag row = tr(td(kind.title), td(String.valueOf(counts[i])).withClass("n"),
                    td(fixed(100 * bitsA[i] * counts[i] / total, 1) + "%").withClass("n"),
                    td(fixed(bitsA[i], 3)).withClass("n")).withData("kind", kind.name());
            if (b != null) {
                row.with(td(fixed(bitsB[i], 3)).withClass("n"), td(signed(bitsB[i] - bitsA[i])).withClass("n"));
            }
            rows.add(row);
        }
        int unknown = r.text.length - r.read();
        return section(h2("Where it went wrong"),
                p(b(fixed(bitsPerChar(nats), 4) + " bits per character"),
                        text(" (" + fixed(nats, 4) + " nats) over " + (r.read() - 1) + " characters predicted, "
                                + "read from an empty memory as charrnn eval reads them."))
                        .withId("bpc").withData("nats", Double.toString(nats)).withData("predicted", String.valueOf(r.read() - 1)),
                p(text(unknown == 0 ? "Every character is in the model's vocabulary."
                        : unknown + (unknown == 1 ? " character is" : " characters are")
                                + " outside the model's vocabulary: shown underlined, skipped by the model, "
                                + "left out of the averages.")).withId("unknown").withData("count", String.valueOf(unknown)),
                table(each(rows.stream())).withId("kinds"),
                lineEnds(r, b == null ? null : b.reading()),
                div(div(h3("Most surprising characters"), surprisingCharacters(r)),
                        div(h3("Most surprising words"), surprisingWords(r))).withClass("cols")).withId("summary");
    }

    /** The newlines' surprise by the length of the line they end (a table; empty without newlines). */
    private static DomContent lineEnds(Reading r, Reading other) {
        double[][] a = Summary.lineEnds(r);
        double[][] b = other == null ? null : Summary.lineEnds(other);
        TrTag head = tr(th("newline after a line of"), th("newlines").withClass("n"), th("bits/char").withClass("n"));
        if (b != null) {
            head.with(th("compared").withClass("n"), th("difference").withClass("n"));
        }
        List<DomContent> rows = new ArrayList<>();
        rows.add(head);
        for (int i = 0; i < Summary.LINE_BUCKETS; i++) {
            if (a[0][i] == 0) {
                continue;
            }
            int lo = i * Summary.LINE_BUCKET;
            String range = i == Summary.LINE_BUCKETS - 1 ? lo + " or more characters"
                    : lo + "–" + (lo + Summary.LINE_BUCKET - 1) + " characters";
            TrTag row = tr(td(range), td(String.valueOf((long) a[0][i])).withClass("n"), td(fixed(a[1][i], 3)).withClass("n"))
                    .withData("from", String.valueOf(lo));
            if (b != null) {
                row.with(td(fixed(b[1][i], 3)).withClass("n"), td(signed(b[1][i] - a[1][i])).withClass("n"));
            }
            rows.add(row);
        }
        return rows.size() == 1 ? text("") : table(each(rows.stream())).withId("line-ends");
    }

    private static DomContent surprisingCharacters(Reading r) {
        List<DomContent> rows = new ArrayList<>();
        rows.add(tr(th("context"), th("bits").withClass("n"), th("expected").withClass("n")));
        for (int k : Summary.mostSurprising(r, LISTED)) {
            rows.add(tr(td(context(r, k, k + 1)).withClass("ctx"), td(fixed(r.bits(k), 2)).withClass("n"),
                    td(glyph(r.vocabulary.codePoint(r.top[k * Reading.TOP])) + " " + percent(r.topP[k * Reading.TOP]))
                            .withClass("n"))
                    .withData("k", String.valueOf(k)));
        }
        return table(each(rows.stream())).withId("worst-chars");
    }

    private static DomContent surprisingWords(Reading r) {
        List<DomContent> rows = new ArrayList<>();
        rows.add(tr(th("word"), th("bits").withClass("n"), th("bits/char").withClass("n")));
        for (Summary.Word w : Summary.mostSurprisingWords(r, LISTED)) {
            rows.add(tr(td(context(r, w.from(), w.to())).withClass("ctx"), td(fixed(w.bits(), 2)).withClass("n"),
                    td(fixed(w.bits() / (w.to() - w.from()), 2)).withClass("n"))
                    .withData("k", String.valueOf(w.from())));
        }
        return table(each(rows.stream())).withId("worst-words");
    }

    /** Hidden units: the chooser, the units found to follow a feature, the shaded text. */
    private static DomContent units(Model a) {
        Reading r = a.reading();
        List<UnitFinder.Found> found = UnitFinder.find(r);
        List<DomContent> rows = new ArrayList<>();
        rows.add(tr(th("follows"), th("unit"), th("correlation r").withClass("n")));
        UnitFinder.Found first = null;
        for (UnitFinder.Found f : found) {
            rows.add(tr(td(f.feature().title).withTitle(f.feature().definition),
                    td("layer " + (f.layer() + 1) + ", unit " + f.unit()), td(signed(f.r())).withClass("n"))
                    .withData("u", String.valueOf(f.layer() * r.H + f.unit()))
                    .withData("feature", f.feature().name()));
            if (first == null || Math.abs(f.r()) > Math.abs(first.r())) {
                first = f;
            }
        }
        int chosen = first == null ? 0 : first.layer() * r.H + first.unit();
        String what = r.cell == Cell.LSTM ? "cell state c" : "hidden state h";
        return section(h2("Hidden units"),
                p(text("The text shaded by one unit's " + what + " after each character: red for positive, blue for "
                        + "negative" + (r.cell == Cell.LSTM ? ", scaled by the unit's largest |c| on this text" : ", −1 … 1")
                        + ". Units found to follow something easy to name (Pearson's r over the "
                        + r.read() + " characters read; click a row to show the unit):")).withClass("muted"),
                table(each(rows.stream())).withId("found"),
                label(text("unit "), select(each(IntStream.range(0, r.width()).mapToObj(u -> {
                    var o = option("layer " + (u / r.H + 1) + ", unit " + (u % r.H)).withValue(String.valueOf(u));
                    return (DomContent) (u == chosen ? o.isSelected() : o);
                }))).withId("unit")),
                div(span("−1"), div().withClass("g"), span("+1")).withClass("legend"),
                div().withId("unit-text").withClass("text").withTabindex(0).withDir(direction(r.text))
                        .attr("aria-label", "the text shaded by the chosen unit")).withId("units");
    }

    /** Two checkpoints on the same text: the summary, where each wins, the shaded difference. */
    private static DomContent comparison(Model a, Model b) {
        Reading ra = a.reading();
        Reading rb = b.reading();
        double bitsA = bitsPerChar(ra.meanNats());
        double bitsB = bitsPerChar(rb.meanNats());
        return section(h2("Two checkpoints"),
                p(text(b.checkpoint() + ": "), b(fixed(bitsB, 4) + " bits per character"),
                        text(" against " + fixed(bitsA, 4) + " for " + a.checkpoint() + ", a difference of "
                                + signed(bitsB - bitsA) + " bits per character."))
                        .withId("compare-bpc").withData("nats", Double.toString(rb.meanNats())),
                div(div(h3("Where " + b.checkpoint() + " is better"), gains(ra, rb, "gains-b")),
                        div(h3("Where " + a.checkpoint() + " is better"), gains(rb, ra, "gains-a"))).withClass("cols"),
                p(text("The text shaded by the difference in surprise, " + b.checkpoint() + " minus " + a.checkpoint()
                        + ": blue where " + b.checkpoint() + " is less surprised, red where it is more."))
                        .withClass("muted"),
                diffLegend(),
                div().withId("diff-text").withClass("text").withTabindex(0).withDir(direction(ra.text))
                        .attr("aria-label", "the text shaded by the difference between the two models")).withId("compare");
    }

    /** The characters where {@code better} has the fewest bits compared with {@code worse}. */
    private static DomContent gains(Reading worse, Reading better, String id) {
        List<DomContent> rows = new ArrayList<>();
        rows.add(tr(th("context"), th("bits").withClass("n"), th("instead of").withClass("n")));
        for (int k : Summary.largestGains(worse, better, LISTED)) {
            rows.add(tr(td(context(worse, k, k + 1)).withClass("ctx"), td(fixed(better.bits(k), 2)).withClass("n"),
                    td(fixed(worse.bits(k), 2)).withClass("n")).withData("k", String.valueOf(k)));
        }
        return table(each(rows.stream())).withId(id);
    }

    /**
     * The text as one span per character: the surprise bin as a class (s0 … s8), u outside the
     * vocabulary, f for the first character read, nl on a newline, c on a control character,
     * which is shown as its control picture, its code point in data-cp (a raw U+000D or U+0000
     * would not survive HTML parsing as itself).
     */
    private static DivTag textPanel(Reading r) {
        List<DomContent> spans = new ArrayList<>(r.text.length);
        int k = 0;
        for (int i = 0; i < r.text.length; i++) {
            final int cp = r.text[i];
            final boolean known = k < r.read() && r.at[k] == i;
            String cls = !known ? "u" : k == 0 ? "f" : "s" + bin(r.bits(k), SURPRISE_BINS);
            if (cp == '\n') {
                cls += " nl";
            }
            if (Character.isISOControl(cp) && cp != '\n' && cp != '\t') {
                spans.add(span(controlPicture(cp)).withClass(cls + " c").withData("cp", String.valueOf(cp)));
            } else {
                spans.add(span(new String(Character.toChars(cp))).withClass(cls));
            }
            if (known) {
                k++;
            }
        }
        return div(each(spans.stream())).withClass("text shade").withTabindex(0).withDir(direction(r.text))
                .attr("aria-label", "the text shaded by surprise");
    }

    /**
     * The text's base direction, as dir="auto" would find it: that of its first strongly
     * directional character. (dir="auto" itself makes the browser look again at every span
     * the script adds: seconds for a page of 20,000 characters.)
     */
    static String direction(int[] text) {
        for (int cp : text) {
            switch (Character.getDirectionality(cp)) {
                case Character.DIRECTIONALITY_RIGHT_TO_LEFT, Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC:
                    return "rtl";
                case Character.DIRECTIONALITY_LEFT_TO_RIGHT:
                    return "ltr";
                default:
                    break;
            }
        }
        return "ltr";
    }

    /** How a control character (other than tab and newline) is shown. */
    static String controlPicture(int cp) {
        if (cp < 0x20) {
            return new String(Character.toChars(0x2400 + cp));
        }
        return cp == 0x7F ? "\u2421" : "\uFFFD";
    }

    private static DomContent surpriseLegend() {
        List<DomContent> cells = new ArrayList<>();
        cells.add(span("bits:"));
        double lo = 0;
        for (int i = 0; i <= SURPRISE_BINS.length; i++) {
            String range = i < SURPRISE_BINS.length ? trim(lo) + "–" + trim(SURPRISE_BINS[i]) : "≥ " + trim(lo);
            cells.add(span(range).withClass("s" + i));
            lo = i < SURPRISE_BINS.length ? SURPRISE_BINS[i] : lo;
        }
        return div(each(cells.stream())).withClass("legend shade");
    }

    private static DomContent diffLegend() {
        String[] labels = {"< −4", "−4 … −2", "−2 … −1", "−1 … −¼", "±¼", "¼ … 1", "1 … 2", "2 … 4", "> 4"};
        List<DomContent> cells = new ArrayList<>();
        cells.add(span("bits:"));
        for (int i = 0; i < labels.length; i++) {
            cells.add(span(labels[i]).withClass("d" + i));
        }
        return div(each(cells.stream())).withClass("legend");
    }

    /** The bin of x: the number of upper edges it exceeds or reaches. */
    static int bin(double x, double[] edges) {
        int i = 0;
        while (i < edges.length && x >= edges[i]) {
            i++;
        }
        return i;
    }

    /**
     * The data the script reads: the vocabulary's code points (V), and per character read its
     * symbol (x), p of it (p, 0 for the first), its rank, the top guesses and their
     * probabilities (TOP per character, −1 for none), the units as signed bytes of value/scale
     * ×127 in base64 (K·L·H, row k), each unit's scale; and for a compared model its p and rank.
     */
    static String data(Model a, Model b) {
        Reading r = a.reading();
        StringBuilder s = new StringBuilder(r.read() * 64);
        s.append("{\"V\":");
        ints(s, r.vocabulary.codePoints());
        s.append(",\"x\":");
        ints(s, r.symbol);
        s.append(",\"L\":").append(r.L).append(",\"H\":").append(r.H).append(',');
        probabilities(s, r);
        s.append(",\"top\":");
        ints(s, r.top);
        s.append(",\"topP\":[");
        for (int i = 0; i < r.topP.length; i++) {
            s.append(i == 0 ? "" : ",").append(number(r.topP[i], 6));
        }
        s.append(']');
        double[] scale = scales(r);
        s.append(",\"scale\":[");
        for (int u = 0; u < scale.length; u++) {
            s.append(u == 0 ? "" : ",").append(number(scale[u], 6));
        }
        s.append("],\"units\":\"").append(Base64.getEncoder().encodeToString(quantised(r, scale))).append('"');
        if (b != null) {
            s.append(",\"b\":{");
            probabilities(s, b.reading());
            s.append('}');
        }
        return s.append('}').toString();
    }

    /** "p":[...],"rank":[...]: p_{k−1}[x_k] and its rank, per character read (0 for the first). */
    private static void probabilities(StringBuilder s, Reading r) {
        s.append("\"p\":[0");
        for (int k = 1; k < r.read(); k++) {
            s.append(',').append(number(Math.exp(-r.nats[k]), 6));
        }
        s.append("],\"rank\":");
        ints(s, r.rank);
    }

    /** Each unit's scale: 1 for h (within −1 … 1), the largest |c| on this text for the LSTM. */
    static double[] scales(Reading r) {
        double[] scale = new double[r.width()];
        java.util.Arrays.fill(scale, 1);
        if (r.cell == Cell.LSTM) {
            java.util.Arrays.fill(scale, Double.MIN_NORMAL);
            for (int i = 0; i < r.units.length; i++) {
                final int u = i % r.width();
                scale[u] = Math.max(scale[u], Math.abs(r.units[i]));
            }
        }
        return scale;
    }

    /** Every unit value as round(127·value/scale), a signed byte. */
    private static byte[] quantised(Reading r, double[] scale) {
        byte[] q = new byte[r.units.length];
        for (int i = 0; i < q.length; i++) {
            final double v = Math.max(-1, Math.min(1, r.units[i] / scale[i % r.width()]));
            q[i] = (byte) Math.round(127 * v);
        }
        return q;
    }

    private static void ints(StringBuilder s, int[] values) {
        s.append('[');
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ",").append(values[i]);
        }
        s.append(']');
    }

    /** x with the given significant digits, in a form JSON reads. */
    private static String number(double x, int digits) {
        return x == 0 ? "0" : String.format(Locale.ROOT, "%." + digits + "g", x).replace("e+", "e");
    }

    /** Up to CONTEXT characters before characters [from, to) of the reading, those in bold. */
    private static DomContent context(Reading r, int from, int to) {
        int start = Math.max(0, r.at[from] - CONTEXT);
        int lineStart = start;
        for (int i = r.at[from] - 1; i >= start; i--) {
            if (r.text[i] == '\n') {
                lineStart = i + 1;
                break;
            }
        }
        return span(text(show(r.text, lineStart, r.at[from])), b(show(r.text, r.at[from], r.at[to - 1] + 1)));
    }

    /** Characters [from, to) of the text, newlines, tabs and controls as their glyphs. */
    static String show(int[] text, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(text[i] == ' ' ? " " : glyph(text[i]));
        }
        return s.toString();
    }

    /** A character as the lists show it: newline ↵, tab ⇥, other controls as control pictures. */
    static String glyph(int cp) {
        if (cp == '\n') {
            return "↵";
        }
        if (cp == '\t') {
            return "⇥";
        }
        if (cp == ' ') {
            return "␣";
        }
        return Character.isISOControl(cp) ? controlPicture(cp) : new String(Character.toChars(cp));
    }

    static double bitsPerChar(double nats) {
        return nats / Math.log(2);
    }

    private static String fixed(double x, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    private static String signed(double x) {
        return String.format(Locale.ROOT, "%+.3f", x).replace('-', '−');
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    private static String resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
