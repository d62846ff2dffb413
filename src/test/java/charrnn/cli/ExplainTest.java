package charrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charrnn.config.Cell;
import charrnn.config.Precision;
import charrnn.data.Corpus;
import charrnn.io.CheckpointFile;
import charrnn.model.Params;
import charrnn.model.Rng;
import charrnn.train.Evaluator;
import charrnn.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code charrnn explain}: the page is parsed back with jsoup and its numbers are checked
 * against a literal forward pass written here (every cell, stacked), independent of
 * {@link charrnn.model.Rnn}; its bits per character against {@link Evaluator}, which is what
 * {@code eval} prints; and its text against injection of markup.
 */
class ExplainTest {
    private static final int TOP = 5;

    @TempDir
    static Path dir;
    static Path corpus;
    /** Small trained models: a stack of two tanh layers, a GRU, an LSTM. */
    static Path rnn2;
    static Path gru;
    static Path lstm;

    @BeforeAll
    static void train() throws Exception {
        corpus = dir.resolve("c.txt");
        StringBuilder sb = new StringBuilder();
        String[] words = {"alpha ", "beta ", "(gamma) ", "delta\n", "\"epsilon\", ", "a<b ", "c>d ", "x&y; ",
            "it's ", "k=l/m ", "\tz\n"};
        Rng rng = new Rng(5);
        while (sb.length() < 6_000) {
            sb.append(words[(int) (rng.nextDouble() * words.length)]);
        }
        Files.writeString(corpus, sb.toString());
        rnn2 = trained("rnn", 2, "rnn2.ckpt");
        gru = trained("gru", 1, "gru.ckpt");
        lstm = trained("lstm", 1, "lstm.ckpt");
    }

    private static Path trained(String cell, int layers, String name) throws Exception {
        Path model = dir.resolve(name);
        Cli r = Cli.run("--cell", cell, "--layers", String.valueOf(layers), "--hidden", "12", "--seq-length", "12",
                "--learning-rate", "0.05", "--iterations", "300", "--sample-every", "0", "--print-every", "300",
                "--val-fraction", "0", "--save", model.toString(), corpus.toString());
        assertEquals(0, r.code(), r.err());
        // sharpen the trained weights so every unit and probability works well away from 0 and from uniform
        TrainingState s = CheckpointFile.read(model);
        Rng rng = new Rng(name.hashCode());
        for (var m : s.params().all()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = 2 * m.data[i] + 0.3 * rng.nextGaussian();
            }
        }
        CheckpointFile.write(model, s);
        return model;
    }

    // ---------------------------------------------------------------- the literal model

    /** p_{k} and the shown units after each character of {@code xs}, step by step, from zero. */
    private record Literal(double[][] p, double[][] units) {
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    /** Row i of W times v (v of W's width). */
    private static double affine(org.ejml.data.DMatrixRMaj w, double[] v, int i) {
        double s = 0;
        for (int j = 0; j < w.numCols; j++) {
            s += w.get(i, j) * v[j];
        }
        return s;
    }

    private static Literal literal(Params p, Cell cell, int[] xs) {
        final int H = p.H;
        final int V = p.V;
        final int L = p.L;
        double[][] h = new double[L][H];
        double[][] c = new double[L][H];
        double[][] probs = new double[xs.length][];
        double[][] units = new double[xs.length][L * H];
        for (int k = 0; k < xs.length; k++) {
            double[] in = new double[V];
            in[xs[k]] = 1;
            for (int l = 0; l < L; l++) {
                double[] next = new double[H];
                double[] a = new double[cell.gates() * H];     // Wxh·in + bh
                double[] u = new double[cell.gates() * H];     // Whh·h
                for (int i = 0; i < a.length; i++) {
                    a[i] = affine(p.Wxh[l], in, i) + p.bh[l].get(i);
                    u[i] = affine(p.Whh[l], h[l], i);
                }
                for (int i = 0; i < H; i++) {
                    switch (cell) {
                        case RNN -> next[i] = Math.tanh(a[i] + u[i]);
                        case GRU -> {
                            double z = sigmoid(a[i] + u[i]);
                            double r = sigmoid(a[H + i] + u[H + i]);
                            double n = Math.tanh(a[2 * H + i] + r * u[2 * H + i]);
                            next[i] = (1 - z) * n + z * h[l][i];
                        }
                        case LSTM -> {
                            double ig = sigmoid(a[i] + u[i]);
                            double fg = sigmoid(a[H + i] + u[H + i]);
                            double gg = Math.tanh(a[2 * H + i] + u[2 * H + i]);
                            double og = sigmoid(a[3 * H + i] + u[3 * H + i]);
                            c[l][i] = fg * c[l][i] + ig * gg;
                            next[i] = og * Math.tanh(c[l][i]);
                        }
                    }
                }
                h[l] = next;
                in = next;
                for (int i = 0; i < H; i++) {
                    units[k][l * H + i] = cell == Cell.LSTM ? c[l][i] : h[l][i];
                }
            }
            double[] y = new double[V];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                y[v] = affine(p.Why, in, v) + p.by.get(v);
                max = Math.max(max, y[v]);
            }
            double sum = 0;
            for (int v = 0; v < V; v++) {
                y[v] = Math.exp(y[v] - max);
                sum += y[v];
            }
            for (int v = 0; v < V; v++) {
                y[v] /= sum;
            }
            probs[k] = y;
        }
        return new Literal(probs, units);
    }

    // ---------------------------------------------------------------- reading the page back

    private static Document page(Path html) throws Exception {
        return Jsoup.parse(html.toFile(), "UTF-8");
    }

    private static String data(Document doc) {
        Element d = doc.getElementById("data");
        assertNotNull(d);
        return d.data();
    }

    private static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), key);
        return Arrays.stream(m.group(1).split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), key);
        return m.group(1);
    }

    private static Cli explain(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "explain";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.run(all);
    }

    // ---------------------------------------------------------------- tests

    @ParameterizedTest
    @ValueSource(strings = {"rnn2", "gru", "lstm"})
    void everyProbabilityGuessAndUnitOnThePageIsTheModels(String which) throws Exception {
        Path model = switch (which) {
            case "rnn2" -> rnn2;
            case "gru" -> gru;
            default -> lstm;
        };
        TrainingState s = CheckpointFile.read(model);
        // longer than one window of the evaluator (100), with a character outside the vocabulary
        String content = "alpha (beta) \"gamma\" delta\nit's x&y; a<b c>d\n".repeat(4) + "Q" + "k=l/m epsilon\n".repeat(3);
        Path text = dir.resolve(which + ".txt");
        Files.writeString(text, content);
        Path html = dir.resolve(which + ".html");
        Cli r = explain("--checkpoint", model.toString(), text.toString(), "-o", html.toString());
        assertEquals(0, r.code(), r.err());

        int[] cps = content.codePoints().filter(cp -> s.vocabulary().contains(cp)).toArray();
        int[] xs = Arrays.stream(cps).map(s.vocabulary()::indexOf).toArray();
        assertEquals(content.codePointCount(0, content.length()) - 1, xs.length, "one character (Q) is outside");
        Literal lit = literal(s.params(), s.hp().cell(), xs);

        Document doc = page(html);
        String json = data(doc);
        double[] x = numbers(json, "x");
        double[] p = numbers(json, "p");
        double[] rank = numbers(json, "rank");
        double[] top = numbers(json, "top");
        double[] topP = numbers(json, "topP");
        assertEquals(xs.length, x.length);
        for (int k = 1; k < xs.length; k++) {
            assertEquals(xs[k], (int) x[k]);
            double[] q = lit.p()[k - 1];
            double expected = q[xs[k]];
            assertEquals(expected, p[k], 1e-5 * expected, "p of character " + k);
            int above = 0;
            for (double v : q) {
                above += v > expected ? 1 : 0;
            }
            assertEquals(above + 1, (int) rank[k], "rank of character " + k);
            Integer[] order = new Integer[q.length];
            for (int v = 0; v < q.length; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (i, j) -> Double.compare(q[j], q[i]));
            for (int j = 0; j < TOP; j++) {
                assertEquals(order[j].intValue(), (int) top[k * TOP + j], "guess " + j + " of character " + k);
                assertEquals(q[order[j]], topP[k * TOP + j], 1e-3 * q[order[j]]);
            }
        }

        // units: signed bytes of value/scale·127
        byte[] q = Base64.getDecoder().decode(string(json, "units"));
        double[] scale = numbers(json, "scale");
        int W = s.params().L * s.params().H;
        assertEquals(xs.length * W, q.length);
        double worst = 0;
        for (int k = 0; k < xs.length; k++) {
            for (int u = 0; u < W; u++) {
                double shown = q[k * W + u] / 127.0 * scale[u];
                double err = Math.abs(shown - lit.units()[k][u]) / scale[u];
                worst = Math.max(worst, err);
            }
        }
        assertTrue(worst <= 0.5 / 127 + 1e-6, "units within half a quantisation step, worst " + worst);
        if (s.hp().cell() == Cell.LSTM) {
            double largest = Arrays.stream(lit.units()).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(0);
            assertEquals(largest, Arrays.stream(scale).max().orElse(0), 1e-5 * largest);
        }

        // the bits per character are eval's: the evaluator on the same text, outside characters skipped
        Corpus read = Corpus.load(text, s.vocabulary(), new HashMap<>());
        double evalNats = new Evaluator(s.params(), Evaluator.DEFAULT_WINDOW, Precision.FLOAT64).meanLoss(read.text(), 0, read.length());
        Element bpc = doc.getElementById("bpc");
        assertEquals(evalNats, Double.parseDouble(bpc.attr("data-nats")), 1e-9);
        double literalNats = 0;
        for (int k = 1; k < xs.length; k++) {
            literalNats -= Math.log(lit.p()[k - 1][xs[k]]);
        }
        assertEquals(literalNats / (xs.length - 1), evalNats, 1e-9);
        assertEquals("1", doc.getElementById("unknown").attr("data-count"));

        // the newlines' surprise by the length of the line they end, counted here on the characters read
        double[] count = new double[7];
        double[] bitsSum = new double[7];
        int length = 0;
        for (int k = 0; k < cps.length; k++) {
            if (cps[k] != '\n') {
                length++;
                continue;
            }
            count[Math.min(length / 10, 6)]++;
            bitsSum[Math.min(length / 10, 6)] -= Math.log(lit.p()[k - 1][xs[k]]) / Math.log(2);
            length = 0;
        }
        List<Element> lineRows = doc.select("#line-ends tr[data-from]");
        assertEquals(Arrays.stream(count).filter(c -> c > 0).count(), lineRows.size());
        for (Element row : lineRows) {
            int b = Integer.parseInt(row.attr("data-from")) / 10;
            assertEquals((long) count[b], Long.parseLong(row.child(1).text()));
            assertEquals(bitsSum[b] / count[b], Double.parseDouble(row.child(2).text()), 5e-4);
        }

        // the shading follows the probabilities: each span's bin from −log₂ p
        Element panel = doc.getElementById("text");
        List<Element> spans = panel.children();
        assertEquals(content.codePointCount(0, content.length()), spans.size());
        int k = 0;
        for (Element span : spans) {
            if (span.hasClass("u")) {
                assertEquals("Q", span.text());
                continue;
            }
            if (k > 0) {
                double bits = -Math.log(lit.p()[k - 1][xs[k]]) / Math.log(2);
                int bin = 0;
                double[] edges = {0.5, 1, 2, 3, 4, 5, 6, 8};
                while (bin < edges.length && bits >= edges[bin]) {
                    bin++;
                }
                assertTrue(span.hasClass("s" + bin), "character " + k + " at " + bits + " bits: " + span.className());
            } else {
                assertTrue(span.hasClass("f"));
            }
            k++;
        }
    }

    @Test
    void nothingInTheTextOrTheNamesBecomesMarkup() throws Exception {
        String content = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
                + " & &amp; \"q\" 'a' \t tab\nline <!-- c --> <![CDATA[x]]> ]]> {{x}} ${x}\n"
                + "<i>a</i><b>x</b><img src=x>".repeat(12) + "\n"
                + "مرحبا بالعالم (Arabic) עברית 😀𝄞 a\u200Fb\r\nCR\u0000NUL\u0007 <style>body{display:none}</style>"
                + " <a href=\"javascript:alert(3)\">x</a> </div></body></html>";
        Path named = dir.resolve("<img src=x onerror=alert(4)> \"&.txt");
        Files.writeString(named, content);
        Path html = dir.resolve("inject.html");
        Cli r = explain("--checkpoint", gru.toString(), "--compare", gru.toString(), named.toString(),
                "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        Document doc = page(html);

        // the text panel holds the text, character by character, and nothing else
        Element panel = doc.getElementById("text");
        StringBuilder shown = new StringBuilder();
        for (Element span : panel.children()) {
            assertEquals("span", span.tagName());
            assertTrue(span.children().isEmpty());
            shown.append(span.wholeText());
        }
        String expected = content.replace('\r', '\u240D').replace('\u0000', '\u2400').replace('\u0007', '\u2407');
        assertEquals(expected, shown.toString());
        assertEquals(List.of("13", "0", "7"), panel.select("span.c").stream().map(e -> e.attr("data-cp")).toList());
        assertEquals(content.codePointCount(0, content.length()), panel.children().size());
        // the lists quote the text as text: newlines and tabs as ↵ and ⇥
        String quoted = expected.replace('\n', '↵').replace('\t', '⇥');
        List<Element> contexts = doc.select("td.ctx");
        assertEquals(40, contexts.size(), "10 characters, 10 words, 2 × 10 gains");
        for (Element td : contexts) {
            assertTrue(quoted.contains(td.wholeText()), "a list quotes " + td.wholeText());
        }
        assertTrue(contexts.stream().filter(td -> td.wholeText().matches(".*<[a-z/][^<>]*>.*")).count() >= 10,
                "the lists quote tags");
        assertEquals("charrnn explain: " + named, doc.title());
        assertTrue(doc.select("h1").text().contains(named.toString()));

        // no element, attribute or script that the page does not make itself
        Set<String> tags = Set.of("html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
                "b", "section", "div", "span", "table", "tbody", "tr", "th", "td", "label", "select", "option",
                "script");
        Set<String> attributes = Set.of("lang", "charset", "name", "content", "id", "class", "title", "tabindex",
                "dir", "aria-label", "role", "aria-live", "hidden", "type", "value", "selected", "data-nats",
                "data-predicted", "data-count", "data-kind", "data-from", "data-cp", "data-k", "data-u", "data-feature");
        for (Element e : doc.getAllElements()) {
            if (e == doc) {
                continue;
            }
            assertTrue(tags.contains(e.tagName()), "unexpected element " + e.tagName());
            for (Attribute a : e.attributes()) {
                assertTrue(attributes.contains(a.getKey()), "unexpected attribute " + a.getKey() + " on " + e.tagName());
            }
        }
        List<Element> scripts = doc.select("script");
        assertEquals(2, scripts.size());
        assertEquals("application/json", scripts.get(0).attr("type"));
        assertTrue(scripts.get(0).data().matches("[{}\\[\\]\":,.0-9a-zA-Z+/=-]*"), "the data is numbers only");
        assertEquals(1, doc.select("style").size());
        assertEquals(Set.of("generator", "viewport"),
                doc.select("meta[name]").stream().map(e -> e.attr("name")).collect(Collectors.toSet()));
        // every value in a data attribute is a number or a name the page chose
        for (Element e : doc.select("[data-k], [data-u]")) {
            assertTrue((e.attr("data-k") + e.attr("data-u")).matches("[0-9]+"));
        }
        assertFalse(Files.readString(html).contains("<img"), "the raw page holds no img tag");
    }

    @Test
    void twoCheckpointsAreComparedOnTheSameText() throws Exception {
        Path text = dir.resolve("two.txt");
        Files.writeString(text, "alpha beta (gamma) delta\nepsilon, it's a<b\n".repeat(3));
        Path html = dir.resolve("two.html");
        Cli r = explain("--checkpoint", gru.toString(), "--compare", lstm.toString(), text.toString(), "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        TrainingState other = CheckpointFile.read(lstm);
        Corpus read = Corpus.load(text, other.vocabulary(), new HashMap<>());
        double evalNats = new Evaluator(other.params(), Evaluator.DEFAULT_WINDOW, Precision.FLOAT64).meanLoss(read.text(), 0, read.length());
        Document doc = page(html);
        assertEquals(evalNats, Double.parseDouble(doc.getElementById("compare-bpc").attr("data-nats")), 1e-9);
        String json = data(doc);
        String b = json.substring(json.indexOf("\"b\":"));
        double[] p = numbers(b, "p");
        int[] xs = new int[read.length()];
        for (int k = 0; k < xs.length; k++) {
            xs[k] = read.text().at(k);
        }
        Literal lit = literal(other.params(), Cell.LSTM, xs);
        for (int k = 1; k < xs.length; k++) {
            assertEquals(lit.p()[k - 1][xs[k]], p[k], 1e-5 * p[k]);
        }
        assertNotNull(doc.getElementById("diff-text"));
        assertEquals(10, doc.select("#gains-b tr[data-k]").size());
        assertTrue(r.out().contains("compare " + lstm), r.out());
    }

    @Test
    void aUnitBuiltToFollowSpacesIsFoundInEachLayer() throws Exception {
        // unit 3 of layer 1 is tanh(±3): +3 for a space, −3 for anything else; unit 5 of layer 2 copies it
        TrainingState s = CheckpointFile.read(rnn2);
        Params p = s.params();
        int space = s.vocabulary().indexOf(' ');
        for (int v = 0; v < p.V; v++) {
            p.Wxh[0].set(3, v, v == space ? 3 : -3);
        }
        for (int j = 0; j < p.H; j++) {
            p.Whh[0].set(3, j, 0);
            p.Whh[1].set(5, j, 0);
            p.Wxh[1].set(5, j, j == 3 ? 3 : 0);
        }
        p.bh[0].set(3, 0, 0);
        p.bh[1].set(5, 0, 0);
        Path model = dir.resolve("space.ckpt");
        CheckpointFile.write(model, s);
        Path text = dir.resolve("space.txt");
        Files.writeString(text, "alpha beta gamma (delta) \"epsilon\" it's x&y; a<b\n".repeat(6));
        Path html = dir.resolve("space.html");
        Cli r = explain("--checkpoint", model.toString(), text.toString(), "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        Document doc = page(html);
        Element first = doc.selectFirst("#found tr[data-feature=SPACE]");
        assertNotNull(first);
        List<Element> rows = doc.select("#found tr[data-feature=SPACE]");
        assertEquals(2, rows.size());
        assertEquals("3", rows.get(0).attr("data-u"));
        assertEquals(String.valueOf(p.H + 5), rows.get(1).attr("data-u"));
        for (Element row : rows) {
            double rr = Double.parseDouble(row.child(2).text().replace('−', '-'));
            assertTrue(rr > 0.99, "r = " + rr);
        }
        // the chooser starts on the unit that follows a feature most closely
        assertEquals(1, doc.select("#unit option[selected]").size());
        assertTrue(Set.of("3", String.valueOf(p.H + 5)).contains(doc.selectFirst("#unit option[selected]").attr("value")));
        assertEquals(2 * p.H, doc.select("#unit option").size());
    }

    @Test
    void thePageReplacesOnlyAPageItWroteAndNeverAnInput() throws Exception {
        Path text = dir.resolve("rules.txt");
        Files.writeString(text, "alpha beta\n");
        Path sub = Files.createDirectories(dir.resolve("rules"));
        Path html = sub.resolve("out.html");
        Files.writeString(html, "<html><body>someone's page</body></html>");
        Cli foreign = explain("--checkpoint", gru.toString(), text.toString(), "-o", html.toString());
        assertEquals(ExitCode.OUTPUT, foreign.code());
        assertEquals(1, foreign.errLines().length, foreign.err());
        assertTrue(foreign.err().contains("not a page written by charrnn"), foreign.err());
        assertEquals("<html><body>someone's page</body></html>", Files.readString(html));

        Files.delete(html);
        assertEquals(0, explain("--checkpoint", gru.toString(), text.toString(), "-o", html.toString()).code());
        String before = Files.readString(html);
        Cli again = explain("--checkpoint", lstm.toString(), text.toString(), "-o", html.toString());
        assertEquals(0, again.code(), again.err());
        assertFalse(before.equals(Files.readString(html)), "its own page is replaced");

        Path textAsPage = sub.resolve("t.html");
        Files.writeString(textAsPage, "alpha beta\n");
        Cli self = explain("--checkpoint", gru.toString(), textAsPage.toString(), "-o", textAsPage.toString());
        assertEquals(ExitCode.OUTPUT, self.code());
        assertEquals("alpha beta\n", Files.readString(textAsPage));
        Cli onCheckpoint = explain("--checkpoint", gru.toString(), text.toString(), "-o", gru.toString());
        assertEquals(ExitCode.OUTPUT, onCheckpoint.code());
        Cli onFolder = explain("--checkpoint", gru.toString(), text.toString(), "-o", sub.toString());
        assertEquals(ExitCode.OUTPUT, onFolder.code());
        Cli inMissingFolder = explain("--checkpoint", gru.toString(), text.toString(), "-o",
                sub.resolve("missing").resolve("x.html").toString());
        assertEquals(ExitCode.OUTPUT, inMissingFolder.code());
        assertEquals(1, inMissingFolder.errLines().length, inMissingFolder.err());
        try (var files = Files.list(sub)) {
            assertEquals(Set.of("out.html", "t.html"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()), "no temporary file left");
        }
    }

    @Test
    void badInputIsOneLineAndTheDocumentedCode() throws Exception {
        Path text = dir.resolve("bad.txt");
        Files.writeString(text, "alpha\n");
        Path html = dir.resolve("bad.html");
        Path unknownOnly = dir.resolve("unknown.txt");
        Files.writeString(unknownOnly, "QQQ WWW");
        Path notUtf8 = dir.resolve("latin1.txt");
        Files.write(notUtf8, new byte[] {'a', (byte) 0xE9, 'b'});
        Path otherVocabulary = dir.resolve("other.ckpt");
        Files.writeString(dir.resolve("o.txt"), "0123456789 ".repeat(300));
        assertEquals(0, Cli.run("--hidden", "8", "--seq-length", "8", "--iterations", "20", "--sample-every", "0",
                "--val-fraction", "0", "--save", otherVocabulary.toString(), dir.resolve("o.txt").toString()).code());
        Object[][] cases = {
            {ExitCode.USAGE, new String[] {"--checkpoint", gru.toString(), "--max-chars", "1", text.toString()}},
            {ExitCode.USAGE, new String[] {text.toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", dir.resolve("none.ckpt").toString(), text.toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", text.toString(), text.toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", gru.toString(), dir.resolve("none.txt").toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", gru.toString(), dir.toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", gru.toString(), unknownOnly.toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", gru.toString(), notUtf8.toString()}},
            {ExitCode.INPUT, new String[] {"--checkpoint", gru.toString(), "--compare", otherVocabulary.toString(),
                text.toString()}},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[1];
            String[] withOutput = Arrays.copyOf(args, args.length + 2);
            withOutput[args.length] = "-o";
            withOutput[args.length + 1] = html.toString();
            Cli r = explain(withOutput);
            assertEquals((int) c[0], r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().startsWith("charrnn: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(html), "no page for " + String.join(" ", args));
        }
    }

    @Test
    void maxCharsShowsTheStartOfTheText() throws Exception {
        Path text = dir.resolve("long.txt");
        Files.writeString(text, "alpha 😀 beta\n".repeat(50));
        Path html = dir.resolve("long.html");
        Cli r = explain("--checkpoint", gru.toString(), "--max-chars", "30", text.toString(), "-o", html.toString());
        assertEquals(0, r.code(), r.err());
        Document doc = page(html);
        assertEquals(30, doc.getElementById("text").children().size());
        String shown = doc.getElementById("text").children().stream().map(Element::wholeText).collect(Collectors.joining());
        String content = Files.readString(text);
        assertEquals(content.substring(0, content.offsetByCodePoints(0, 30)), shown);
        assertTrue(r.out().contains("(the first 30)"), r.out());
    }

    @Test
    void theDefaultPageIsNamedAfterTheText() {
        assertEquals(Path.of("speech.html"), ExplainCommand.defaultOutput(Path.of("/some/where/speech.txt")));
        assertEquals(Path.of("notes.html"), ExplainCommand.defaultOutput(Path.of("notes")));
        assertEquals(Path.of(".hidden.html"), ExplainCommand.defaultOutput(Path.of(".hidden")));
    }
}
